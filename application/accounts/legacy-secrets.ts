import type { RecordedEvent } from '../ports/event-store';
import { registerUpcaster } from '../ledger/upcasters';

/**
 * Development ledgers written before decision 0011 hold argon2id hashes in `AccountCreated` and
 * `PasswordChanged`. The stored bytes stay as they are (the hash chain covers them, and history is never
 * rewritten); on read, these upcasters drop the hash, so no decision, projection or view built from upcast
 * events ever sees it. New events never carry one, so for them the upcast changes nothing.
 */
function withoutPasswordHash(data: Record<string, unknown>): Record<string, unknown> {
  const { passwordHash: _secret, ...rest } = data;
  return rest;
}

registerUpcaster('AccountCreated', 1, withoutPasswordHash);
registerUpcaster('PasswordChanged', 1, withoutPasswordHash);

/** The last password hash an account's raw (not upcast) events hold, for seeding the credential store once. */
export function legacyPasswordHash(rawAccountEvents: RecordedEvent[]): string | null {
  for (let i = rawAccountEvents.length - 1; i >= 0; i--) {
    const e = rawAccountEvents[i]!;
    if ((e.type === 'AccountCreated' || e.type === 'PasswordChanged') && typeof e.data.passwordHash === 'string') return e.data.passwordHash;
    // A reset after the upgrade supersedes any older hash in the log.
    if (e.type === 'PasswordReset' || e.type === 'PasswordChanged') return null;
  }
  return null;
}
