import {
  decider,
  LOCKOUT,
  lockAfterFailures,
  lockedUntil,
  type AccountEvent,
  type AccountState,
  type CreateAccount,
} from '../../../../domain/accounts/account';
import { mayAdminister } from '../../../../domain/accounts/delegation';
import type { Actor, DecisionContext } from '../../../../domain/shared/actor';
import { BusinessRuleError, InvalidStateError } from '../../../../domain/shared/errors';
import { NOW, spec } from '../support/decider-spec';

const COUNTY: Actor = { userId: 'acc-county', orgId: 'org-county', role: 'county-admin', regionCode: '469027' };
const ctx = (now: Date = NOW, actor: Actor = COUNTY): DecisionContext => ({ now, actor });
const at = (ms: number) => new Date(NOW.getTime() + ms);
const account = spec(decider, ctx());

const creation: CreateAccount['data'] = {
  accountId: 'acc-1',
  username: '469027ABCDE',
  displayName: '乐东甲合作社',
  role: 'producer',
  regionCode: '469027',
  orgId: 'ent-1',
  orgName: '乐东甲合作社',
  mustChangePassword: true,
};
const created: AccountEvent = { type: 'AccountCreated', data: { ...creation, createdBy: 'acc-county', createdAt: NOW.toISOString() } };
const STRANGER = '203.0.113.7';
const OWNER = '198.51.100.20';
const failedLogin = (source: string, time: Date): AccountEvent => ({ type: 'LoginFailed', data: { accountId: 'acc-1', source, at: time.toISOString(), reason: 'bad-password' } });
const login = (passwordOk: boolean, source: string) => ({ type: 'RecordLoginAttempt' as const, data: { passwordOk, source } });

/** Plays attempts one by one through decide/evolve, as the handler does, and returns the events of each. */
function attempts(state: AccountState, tries: { ok: boolean; source: string; at: Date; change?: boolean }[]): { events: AccountEvent[][]; state: AccountState } {
  const all: AccountEvent[][] = [];
  for (const t of tries) {
    const command = t.change ? { type: 'ChangePassword' as const, data: { currentPasswordOk: t.ok, source: t.source } } : login(t.ok, t.source);
    const events = decider.decide(command, state, ctx(t.at, { userId: 'acc-1', orgId: 'ent-1', role: 'producer', regionCode: '469027' }));
    state = events.reduce(decider.evolve, state);
    all.push(events);
  }
  return { events: all, state };
}
const createdState = () => decider.evolve(decider.initialState(), created);

describe('account decider: no secret in any event', () => {
  it('an account is created without any password material; the creator is named', () => {
    const { events } = account.given([]).when({ type: 'CreateAccount', data: creation }).then([created]);
    expect(JSON.stringify(events)).not.toMatch(/argon2|passwordHash|"password"/i);
  });

  it('a password change says only that it changed, when and by whom', () => {
    account
      .given([created])
      .when({ type: 'ChangePassword', data: { currentPasswordOk: true, source: OWNER } }, ctx(at(1000), { userId: 'acc-1', orgId: 'ent-1', role: 'producer' }))
      .then([{ type: 'PasswordChanged', data: { accountId: 'acc-1', at: at(1000).toISOString(), by: 'acc-1' } }]);
  });

  it('a changed password clears mustChangePassword; a reset by an admin sets it again and clears every lock', () => {
    const changed: AccountEvent = { type: 'PasswordChanged', data: { accountId: 'acc-1', at: NOW.toISOString(), by: 'acc-1' } };
    const after = [created, changed].reduce(decider.evolve, decider.initialState());
    expect(after.mustChangePassword).toBe(false);
    const { state } = account
      .given([created, changed, ...Array.from({ length: 6 }, (_, i) => failedLogin(STRANGER, at(i)))])
      .when({ type: 'ResetPassword', data: {} })
      .then([{ type: 'PasswordReset', data: { accountId: 'acc-1', at: NOW.toISOString(), by: 'acc-county' } }]);
    expect(state.mustChangePassword).toBe(true);
    expect(state.sources).toEqual({});
  });
});

describe('account decider: lockout per account and source address, with progressive delay', () => {
  it('the first four failures from an address cost nothing; the fifth locks that address for a minute', () => {
    const tries = Array.from({ length: 5 }, (_, i) => ({ ok: false, source: STRANGER, at: at(i * 1000) }));
    const { events, state } = attempts(createdState(), tries);
    expect(events.slice(0, 4).map((e) => e.map((x) => x.type))).toEqual([['LoginFailed'], ['LoginFailed'], ['LoginFailed'], ['LoginFailed']]);
    expect(events[4]).toEqual([
      failedLogin(STRANGER, at(4000)),
      { type: 'AccountLocked', data: { accountId: 'acc-1', source: STRANGER, until: at(4000 + 60_000).toISOString(), failures: 5 } },
    ]);
    expect(lockedUntil(state, STRANGER, at(5000))).toBe(at(64_000).toISOString());
  });

  it('while an address is locked even the right password is refused from it, and it is not checked', () => {
    const tries = Array.from({ length: 5 }, (_, i) => ({ ok: false, source: STRANGER, at: at(i) }));
    const { state } = attempts(createdState(), tries);
    const events = decider.decide(login(true, STRANGER), state, ctx(at(30_000)));
    expect(events).toEqual([{ type: 'LoginFailed', data: { accountId: 'acc-1', source: STRANGER, at: at(30_000).toISOString(), reason: 'locked' } }]);
    // A locked refusal does not count as another failure (the lock does not grow while it runs).
    expect(events.reduce(decider.evolve, state).sources[STRANGER]!.failures).toBe(5);
  });

  it('the owner signing in from another address is not locked out by a stranger', () => {
    const tries = Array.from({ length: 8 }, (_, i) => ({ ok: false, source: STRANGER, at: at(i * 61_000) }));
    const { state } = attempts(createdState(), tries);
    expect(lockedUntil(state, STRANGER, at(8 * 61_000))).not.toBeNull();
    expect(decider.decide(login(true, OWNER), state, ctx(at(8 * 61_000)))).toEqual([
      { type: 'LoginSucceeded', data: { accountId: 'acc-1', source: OWNER, at: at(8 * 61_000).toISOString() } },
    ]);
  });

  it('each further failure after a lock doubles the lock, up to fifteen minutes', () => {
    expect([1, 4, 5, 6, 7, 8, 9, 10, 20].map(lockAfterFailures)).toEqual([null, null, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    // Played on the clock: every try waits out the previous lock, and the locks grow.
    let time = NOW.getTime();
    let state = createdState();
    const locks: number[] = [];
    for (let i = 0; i < 8; i++) {
      const { events, state: next } = attempts(state, [{ ok: false, source: STRANGER, at: new Date(time) }]);
      state = next;
      const lock = events[0]!.find((e) => e.type === 'AccountLocked');
      if (lock) {
        const until = Date.parse((lock.data as { until: string }).until);
        locks.push(until - time);
        time = until;
      } else time += 1000;
    }
    expect(locks).toEqual([60_000, 120_000, 240_000, 480_000]);
  });

  it('a success from the address clears its count; an hour without failures forgets it', () => {
    const four = Array.from({ length: 4 }, (_, i) => ({ ok: false, source: STRANGER, at: at(i) }));
    const cleared = attempts(createdState(), [...four, { ok: true, source: STRANGER, at: at(10) }]).state;
    expect(cleared.sources[STRANGER]).toBeUndefined();
    const forgotten = attempts(createdState(), [...four, { ok: false, source: STRANGER, at: at(LOCKOUT.forgetAfterMs + 10) }]);
    expect(forgotten.events[4]!.map((e) => e.type)).toEqual(['LoginFailed']);
    expect(forgotten.state.sources[STRANGER]!.failures).toBe(1);
  });

  it('a wrong current password in a password change counts like a failed login and locks the same way', () => {
    const tries = [
      ...Array.from({ length: 3 }, (_, i) => ({ ok: false, source: STRANGER, at: at(i) })),
      { ok: false, source: STRANGER, at: at(3), change: true },
      { ok: false, source: STRANGER, at: at(4), change: true },
    ];
    const { events, state } = attempts(createdState(), tries);
    expect(events[3]!.map((e) => e.type)).toEqual(['PasswordChangeFailed']);
    expect(events[4]!.map((e) => e.type)).toEqual(['PasswordChangeFailed', 'AccountLocked']);
    // Locked now: the right current password from that address is refused too, without a change.
    const locked = decider.decide({ type: 'ChangePassword', data: { currentPasswordOk: true, source: STRANGER } }, state, ctx(at(10)));
    expect(locked).toEqual([{ type: 'PasswordChangeFailed', data: { accountId: 'acc-1', source: STRANGER, at: at(10).toISOString(), reason: 'locked' } }]);
  });

  it('an admin unlock clears every address; nothing to unlock appends nothing', () => {
    const fails = Array.from({ length: 5 }, (_, i) => failedLogin(STRANGER, at(i)));
    const { state } = account.given([created, ...fails]).when({ type: 'UnlockAccount', data: {} }).then([{ type: 'AccountUnlocked', data: { accountId: 'acc-1', at: NOW.toISOString(), by: 'acc-county' } }]);
    expect(state.sources).toEqual({});
    account.given([created]).when({ type: 'UnlockAccount', data: {} }).then([]);
  });

  it('the per-address table stays bounded however many addresses fail', () => {
    const many = Array.from({ length: LOCKOUT.maxSourcesKept + 50 }, (_, i) => failedLogin(`10.0.${i >> 8}.${i & 255}`, at(i)));
    const state = [created, ...many].reduce(decider.evolve, decider.initialState());
    expect(Object.keys(state.sources)).toHaveLength(LOCKOUT.maxSourcesKept);
    expect(state.sources[`10.0.0.0`]).toBeUndefined(); // the oldest went first
  });

  it('a whole-account lock of an older ledger (no source) still holds until it ends', () => {
    const legacy: AccountEvent = { type: 'AccountLocked', data: { accountId: 'acc-1', until: at(60_000).toISOString(), failures: 5 } };
    const state = [created, legacy].reduce(decider.evolve, decider.initialState());
    expect(decider.decide(login(true, OWNER), state, ctx(at(1000)))[0]!.data).toMatchObject({ reason: 'locked' });
    expect(decider.decide(login(true, OWNER), state, ctx(at(60_000)))[0]!.type).toBe('LoginSucceeded');
  });
});

describe('account decider: disable and enable', () => {
  const disabled: AccountEvent = { type: 'AccountDisabled', data: { accountId: 'acc-1', reason: '主体注销', at: NOW.toISOString(), by: 'acc-county' } };

  it('disable needs a reason and names who did it; a disabled account cannot sign in even with the right password', () => {
    account.given([created]).when({ type: 'DisableAccount', data: { reason: '主体注销' } }).then([disabled]);
    account.given([created]).when({ type: 'DisableAccount', data: { reason: ' ' } }).thenThrows(Error, 'reason');
    account.given([created, disabled]).when(login(true, OWNER)).then([{ type: 'LoginFailed', data: { accountId: 'acc-1', source: OWNER, at: NOW.toISOString(), reason: 'disabled' } }]);
    account.given([created, disabled]).when({ type: 'DisableAccount', data: { reason: 'again' } }).thenThrows(InvalidStateError);
  });

  it('enable brings a disabled account back; enabling an active one is refused', () => {
    const { state } = account.given([created, disabled]).when({ type: 'EnableAccount', data: {} }).then([{ type: 'AccountEnabled', data: { accountId: 'acc-1', at: NOW.toISOString(), by: 'acc-county' } }]);
    expect(state.status).toBe('active');
    account.given([created]).when({ type: 'EnableAccount', data: {} }).thenThrows(InvalidStateError);
  });

  it('an admin cannot disable or reset their own account', () => {
    const self = ctx(NOW, { ...COUNTY, userId: 'acc-1' });
    account.given([created]).when({ type: 'DisableAccount', data: { reason: 'x' } }, self).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
    account.given([created]).when({ type: 'ResetPassword', data: {} }, self).thenThrows(BusinessRuleError, 'NOT_ALLOWED');
  });
});

describe('delegation: who administers which account', () => {
  const allowed = (role: Actor['role'], target: Actor['role']) => {
    try {
      mayAdminister({ role, userId: 'admin' }, { role: target, accountId: 'target' });
      return true;
    } catch (err) {
      expect((err as BusinessRuleError).code).toBe('NOT_ALLOWED');
      return false;
    }
  };

  it('admins administer the admin levels below them, staff, and (county and above) producers', () => {
    expect(allowed('province-admin', 'county-admin')).toBe(true);
    expect(allowed('province-admin', 'province-admin')).toBe(false);
    expect(allowed('county-admin', 'city-admin')).toBe(false);
    expect(allowed('county-admin', 'lab')).toBe(true);
    expect(allowed('county-admin', 'producer')).toBe(true);
    expect(allowed('township-admin', 'producer')).toBe(false);
    expect(allowed('supervisor', 'producer')).toBe(false);
    expect(allowed('ministry-admin', 'consumer')).toBe(false);
    expect(() => mayAdminister({ role: 'ministry-admin', userId: 'me' }, { role: 'province-admin', accountId: 'me' })).toThrow(BusinessRuleError);
  });
});
