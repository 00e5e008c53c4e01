/**
 * Credentials live beside the ledger, never in it (issue 11, decision 0011): an event is immutable and
 * exported to auditors, so a password hash written there could never be withdrawn. One row per account.
 */
export interface Credential {
  accountId: string;
  /** argon2id, PHC string format. */
  passwordHash: string;
  /**
   * Every bearer token carries the version current when it was issued; disable, password change and reset
   * bump it, so older tokens are refused at once (the guard compares it on every request).
   */
  tokenVersion: number;
  /**
   * The hash was copied from a legacy event that still holds it (decision 0011): that hash is readable in
   * exports, so the password must be changed before the account may do anything else.
   */
  seededFromLedger: boolean;
  updatedAt: string;
}

export interface NewCredential {
  accountId: string;
  passwordHash: string;
  seededFromLedger?: boolean;
  at: string;
}

export interface CredentialStore {
  get(accountId: string): Promise<Credential | null>;
  /** Inserts the row with token version 0; false (and nothing changed) when the account already has one. */
  create(credential: NewCredential): Promise<boolean>;
  /** Replaces the hash (creating the row if absent), clears `seededFromLedger`, bumps the token version; returns it. */
  setPassword(accountId: string, passwordHash: string, at: string): Promise<number>;
  /** Bumps the token version (revokes every token issued before); returns the new one, or null without a row. */
  revokeTokens(accountId: string, at: string): Promise<number | null>;
  /** Removes a row no event refers to (an account creation whose append failed). */
  delete(accountId: string): Promise<void>;
  close(): Promise<void>;
}

export const CREDENTIAL_STORE = Symbol('CredentialStore');
