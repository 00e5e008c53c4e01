import type { Credential, CredentialStore, NewCredential } from '../../application/ports/credential-store';
import { openDatabase, type SqliteDatabase } from './sqlite-database';

interface Row {
  account_id: string;
  password_hash: string;
  token_version: number;
  seeded_from_ledger: number;
  updated_at: string;
}

/**
 * The CredentialStore of the embedded stack: its own SQLite file in DATA_DIR, beside the ledger (not inside
 * the events file, so it also serves EVENT_STORE=kurrentdb). Always synchronous=FULL: losing an
 * acknowledged password change or revocation to a power cut would resurrect an old password or token.
 * Cross-file atomicity with the ledger is not needed: handlers order the two writes (decision 0011).
 */
export class SqliteCredentialStore implements CredentialStore {
  private readonly db: SqliteDatabase;

  constructor(filePath: string) {
    this.db = openDatabase(filePath, { synchronous: 'FULL' });
    this.db.exec(`CREATE TABLE IF NOT EXISTS credentials (
      account_id TEXT PRIMARY KEY,
      password_hash TEXT NOT NULL,
      token_version INTEGER NOT NULL DEFAULT 0,
      seeded_from_ledger INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL
    ) STRICT`);
  }

  async get(accountId: string): Promise<Credential | null> {
    const row = this.db.prepare('SELECT * FROM credentials WHERE account_id = ?').get(accountId) as Row | undefined;
    return row ? toCredential(row) : null;
  }

  async create(c: NewCredential): Promise<boolean> {
    const info = this.db
      .prepare('INSERT INTO credentials (account_id, password_hash, token_version, seeded_from_ledger, updated_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (account_id) DO NOTHING')
      .run(c.accountId, c.passwordHash, c.seededFromLedger ? 1 : 0, c.at);
    return info.changes === 1;
  }

  async setPassword(accountId: string, passwordHash: string, at: string): Promise<number> {
    return this.db
      .prepare(
        `INSERT INTO credentials (account_id, password_hash, token_version, seeded_from_ledger, updated_at) VALUES (?, ?, 1, 0, ?)
         ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, token_version = token_version + 1, seeded_from_ledger = 0, updated_at = excluded.updated_at
         RETURNING token_version`,
      )
      .pluck()
      .get(accountId, passwordHash, at) as number;
  }

  async revokeTokens(accountId: string, at: string): Promise<number | null> {
    const version = this.db.prepare('UPDATE credentials SET token_version = token_version + 1, updated_at = ? WHERE account_id = ? RETURNING token_version').pluck().get(at, accountId);
    return typeof version === 'number' ? version : null;
  }

  async delete(accountId: string): Promise<void> {
    this.db.prepare('DELETE FROM credentials WHERE account_id = ?').run(accountId);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toCredential(row: Row): Credential {
  return { accountId: row.account_id, passwordHash: row.password_hash, tokenVersion: row.token_version, seededFromLedger: row.seeded_from_ledger === 1, updatedAt: row.updated_at };
}
