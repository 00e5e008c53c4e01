import type { AccountEvent } from '../../domain/accounts';
import type { Projection } from '../runner/projection';

/** `accounts`: who exists, with role, region and status — never the password hash. */
export const accountsProjection: Projection = {
  name: 'accounts',
  version: 1,
  handles: ['AccountCreated', 'AccountLocked', 'AccountDisabled', 'LoginSucceeded'],
  collections: ['accounts'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as AccountEvent;
    if (event.type === 'AccountCreated') {
      const { passwordHash: _secret, ...d } = event.data;
      ctx.put('accounts', { _id: d.accountId, ...d, status: 'active', lockedUntil: null, lastLoginAt: null });
      return;
    }
    const doc = await ctx.get('accounts', event.data.accountId);
    if (!doc) return;
    if (event.type === 'AccountLocked') ctx.put('accounts', { ...doc, lockedUntil: event.data.until });
    else if (event.type === 'AccountDisabled') ctx.put('accounts', { ...doc, status: 'disabled' });
    else if (event.type === 'LoginSucceeded') ctx.put('accounts', { ...doc, lastLoginAt: event.data.at, lockedUntil: null });
  },
};
