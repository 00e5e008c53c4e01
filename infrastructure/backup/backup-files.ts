import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { BACKUP_FORMAT, MANIFEST_FILE, type BackupFile, type BackupManifest, type StoredBackup } from '../../application/backup/backup-manifest';

/** Files of DATA_DIR a backup carries, and what each holds. */
export const DATA_FILES = {
  /** The ledger: copied whole in a full backup; an increment carries its new rows. */
  events: 'events.sqlite',
  /** Password hashes and token versions (issue 11): mutable, so every backup carries a fresh copy. */
  credentials: 'credentials.sqlite',
  /** Delayed and repeatable jobs (fault deadlines, webhook retries): mutable, copied every time. */
  jobs: 'jobs.sqlite',
  /** Signing key, trace-code secret, token key: without them a restored ledger's labels and tokens fail. */
  secrets: 'secrets.json',
  /** Read models: never backed up (rebuilt from the log), read only for the reactors' checkpoints. */
  readModels: 'read-models.sqlite',
} as const;

/** An increment's rows of the events table, one JSON object per line, exactly as stored. */
export const INCREMENT_EVENTS = 'events.ndjson';
/** An increment's rows of the commands table (idempotency keys and their fingerprints). */
export const INCREMENT_COMMANDS = 'commands.ndjson';

export function sha256File(file: string): BackupFile {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      bytes += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every complete backup under `root` (directories with a manifest; `.partial-*` ones are unfinished). */
export function listBackups(root: string): StoredBackup[] {
  if (!fs.existsSync(root)) return [];
  const out: StoredBackup[] = [];
  for (const name of fs.readdirSync(root)) {
    const dir = path.join(root, name);
    const manifestFile = path.join(dir, MANIFEST_FILE);
    if (name.startsWith('.') || !fs.existsSync(manifestFile)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
    if (manifest.format === BACKUP_FORMAT) out.push({ manifest, dir });
  }
  return out;
}

/**
 * Opens a live SQLite file of a running server read-only (WAL: this reader never blocks its writer).
 * null when the file does not exist.
 */
export function openLiveReadOnly(file: string): Database.Database | null {
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  return db;
}

/**
 * SQLite's online backup API (better-sqlite3 `db.backup`): a consistent copy of a file another process is
 * writing. After the first step everything left is copied in one step, so a busy writer cannot keep
 * restarting the copy. The copy is switched to a rollback journal: one self-contained file.
 */
export async function onlineCopy(source: string, target: string): Promise<boolean> {
  const db = openLiveReadOnly(source);
  if (!db) return false;
  try {
    await db.backup(target, { progress: () => 1_000_000_000 });
  } finally {
    db.close();
  }
  const copy = new Database(target);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return true;
}
