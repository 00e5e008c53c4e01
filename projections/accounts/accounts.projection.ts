import type { AccountEvent } from '../../domain/accounts';
import type { Projection } from '../runner/projection';

/**
 * `accounts`: who exists, with role, region, status and locks — never a secret (the password hashes are in the
 * credential store; a legacy event's hash is dropped by its upcaster before it gets here, and again below).
 * `lockedSources` lists the addresses currently locked out of the account, for the admin who unlocks it.
 */
export const accountsProjection: Projection = {
  name: 'accounts',
  version: 2,
  handles: ['AccountCreated', 'AccountLocked', 'AccountDisabled', 'AccountEnabled', 'AccountUnlocked', 'LoginSucceeded', 'PasswordChanged', 'PasswordReset'],
  collections: ['accounts'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as AccountEvent;
    if (event.type === 'AccountCreated') {
      const { passwordHash: _secret, ...d } = event.data as typeof event.data & { passwordHash?: string };
      ctx.put('accounts', { _id: d.accountId, ...d, status: 'active', lockedUntil: null, lockedSources: [], lastLoginAt: null });
      return;
    }
    const doc = await ctx.get('accounts', event.data.accountId);
    if (!doc) return;
    switch (event.type) {
      case 'AccountLocked': {
        const sources = ((doc.lockedSources as { source: string; until: string }[] | undefined) ?? []).filter((s) => s.source !== event.data.source);
        const source = event.data.source ?? '*';
        ctx.put('accounts', { ...doc, lockedUntil: event.data.until, lockedSources: [...sources, { source, until: event.data.until }].slice(-50) });
        return;
      }
      case 'AccountDisabled':
        ctx.put('accounts', { ...doc, status: 'disabled', disabledReason: event.data.reason, disabledAt: event.data.at });
        return;
      case 'AccountEnabled':
        ctx.put('accounts', { ...doc, status: 'active', disabledReason: null, disabledAt: null });
        return;
      case 'AccountUnlocked':
      case 'PasswordReset':
        ctx.put('accounts', { ...doc, lockedUntil: null, lockedSources: [], mustChangePassword: event.type === 'PasswordReset' ? true : doc.mustChangePassword });
        return;
      case 'PasswordChanged':
        ctx.put('accounts', { ...doc, mustChangePassword: false, passwordChangedAt: event.data.at });
        return;
      case 'LoginSucceeded': {
        const sources = ((doc.lockedSources as { source: string }[] | undefined) ?? []).filter((s) => s.source !== event.data.source);
        ctx.put('accounts', { ...doc, lastLoginAt: event.data.at, lockedSources: sources, lockedUntil: sources.length ? doc.lockedUntil : null });
        return;
      }
      default:
        return;
    }
  },
};
