import { accountStreamId } from '../../domain/accounts/account';
import type { Clock } from '../ports/clock';
import type { CredentialStore } from '../ports/credential-store';
import type { EventStore } from '../ports/event-store';
import { legacyPasswordHash } from './legacy-secrets';

/** How long a token version read from the store is trusted when no write went through this process. */
export const TOKEN_VERSION_TTL_MS = 5_000;

/**
 * The accounts capability's one door to the credential store. It seeds an account's row from a legacy
 * event on first use (decision 0011), and it keeps the token versions the auth guard checks on every
 * request in memory: every write through this object updates that cache at once, so in one process a
 * revocation is effective for the very next request; other processes see it within TOKEN_VERSION_TTL_MS.
 */
export class AccountCredentials {
  private readonly versions = new Map<string, { version: number; readAt: number }>();

  constructor(
    readonly store: CredentialStore,
    private readonly events: EventStore,
    private readonly clock: Clock,
  ) {}

  /** The stored credential, seeded from the ledger when the account predates the credential store. */
  async credentialOf(accountId: string) {
    const row = await this.store.get(accountId);
    if (row) return row;
    const legacy = legacyPasswordHash(await this.events.readStream(accountStreamId(accountId)));
    if (!legacy) return null;
    await this.store.create({ accountId, passwordHash: legacy, seededFromLedger: true, at: this.clock.now().toISOString() });
    return this.store.get(accountId);
  }

  async create(accountId: string, passwordHash: string): Promise<void> {
    if (!(await this.store.create({ accountId, passwordHash, at: this.clock.now().toISOString() })))
      throw new Error(`credential for account ${accountId} exists already`);
    this.remember(accountId, 0);
  }

  /** New password (change or reset): every token issued before is revoked. Returns the new token version. */
  async setPassword(accountId: string, passwordHash: string): Promise<number> {
    return this.remember(accountId, await this.store.setPassword(accountId, passwordHash, this.clock.now().toISOString()));
  }

  /** Revokes every token of the account (disable). Returns the new token version. */
  async revokeTokens(accountId: string): Promise<number> {
    const version = await this.store.revokeTokens(accountId, this.clock.now().toISOString());
    // An account predating the store has no row yet: give it one from its legacy hash, then revoke.
    if (version !== null) return this.remember(accountId, version);
    if (await this.credentialOf(accountId)) return this.revokeTokens(accountId);
    return this.remember(accountId, 0);
  }

  /** Removes the row of an account whose creation was not appended (it never existed). */
  async discard(accountId: string): Promise<void> {
    this.versions.delete(accountId);
    await this.store.delete(accountId);
  }

  /** The token version a token must carry to be accepted (0 for an account without a row). */
  async tokenVersion(accountId: string): Promise<number> {
    const cached = this.versions.get(accountId);
    const now = this.clock.now().getTime();
    if (cached && now - cached.readAt < TOKEN_VERSION_TTL_MS) return cached.version;
    const version = (await this.store.get(accountId))?.tokenVersion ?? 0;
    return this.remember(accountId, version);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private remember(accountId: string, version: number): number {
    // Bounded: a token check per account and 5 s is cheap, an unbounded map of every account ever seen is not.
    if (this.versions.size > 50_000) this.versions.clear();
    this.versions.set(accountId, { version, readAt: this.clock.now().getTime() });
    return version;
  }
}

export const ACCOUNT_CREDENTIALS = Symbol('AccountCredentials');
