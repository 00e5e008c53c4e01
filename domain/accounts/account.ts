import type { DecisionContext, Role } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { mayCreate } from './delegation';
import { ROLE_TREE } from './permissions';

/** Lockout: this many failed logins inside the window lock the account for the lock duration. */
export const LOCKOUT = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

export type CreateAccount = {
  type: 'CreateAccount';
  data: {
    accountId: string;
    username: string;
    passwordHash: string;
    displayName: string;
    role: Role;
    regionCode: string;
    orgId: string;
    orgName: string;
    mustChangePassword: boolean;
  };
};
/** The handler verified the password against the stored hash; the decider applies lockout. */
export type RecordLoginAttempt = { type: 'RecordLoginAttempt'; data: { passwordOk: boolean; source: string } };
export type ChangePassword = { type: 'ChangePassword'; data: { passwordHash: string } };
export type DisableAccount = { type: 'DisableAccount'; data: { reason: string } };
export type AccountCommand = CreateAccount | RecordLoginAttempt | ChangePassword | DisableAccount;

export type AccountCreated = DomainEvent<'AccountCreated', CreateAccount['data'] & { createdBy: string; createdAt: string }>;
export type LoginSucceeded = DomainEvent<'LoginSucceeded', { accountId: string; source: string; at: string }>;
export type LoginFailed = DomainEvent<'LoginFailed', { accountId: string; source: string; at: string; reason: 'bad-password' | 'locked' | 'disabled' }>;
export type AccountLocked = DomainEvent<'AccountLocked', { accountId: string; until: string; failures: number }>;
export type PasswordChanged = DomainEvent<'PasswordChanged', { accountId: string; passwordHash: string; at: string }>;
export type AccountDisabled = DomainEvent<'AccountDisabled', { accountId: string; reason: string; at: string }>;
export type AccountEvent = AccountCreated | LoginSucceeded | LoginFailed | AccountLocked | PasswordChanged | AccountDisabled;

export interface AccountState {
  status: 'none' | 'active' | 'disabled';
  accountId: string;
  username: string;
  passwordHash: string;
  role: Role;
  regionCode: string;
  orgId: string;
  displayName: string;
  mustChangePassword: boolean;
  recentFailures: string[];
  lockedUntil: string | null;
}

export function initialState(): AccountState {
  return { status: 'none', accountId: '', username: '', passwordHash: '', role: 'consumer', regionCode: '', orgId: '', displayName: '', mustChangePassword: false, recentFailures: [], lockedUntil: null };
}

export function accountStreamId(accountId: string): string {
  return `account-${accountId}`;
}

export class LoginRefusedError extends BusinessRuleError {
  constructor(reason: 'bad-credentials' | 'locked' | 'disabled', details: Record<string, unknown> = {}) {
    super(reason === 'locked' ? 'ACCOUNT_LOCKED' : reason === 'disabled' ? 'ACCOUNT_DISABLED' : 'BAD_CREDENTIALS', reason === 'locked' ? 'account locked after repeated failed logins' : 'wrong username or password', details);
  }
}

export function decide(command: AccountCommand, state: AccountState, ctx: DecisionContext): AccountEvent[] {
  const at = ctx.now.toISOString();
  switch (command.type) {
    case 'CreateAccount': {
      if (state.status !== 'none') throw new InvalidStateError('account already exists');
      const d = command.data;
      if (!/^[A-Za-z0-9_.-]{3,64}$/.test(d.username)) throw new ValidationError('username', 'username: 3–64 letters, digits, _ . -');
      if (!(d.role in ROLE_TREE) || d.role === 'system') throw new ValidationError('role', `unknown role ${d.role}`);
      if (!/^\d{0,12}$/.test(d.regionCode)) throw new ValidationError('regionCode', 'regionCode must be a GB/T 2260 prefix');
      if (d.role !== 'producer') mayCreate({ role: ctx.actor.role, regionCode: ctx.actor.regionCode ?? '' }, { role: d.role, regionCode: d.regionCode });
      return [{ type: 'AccountCreated', data: { ...d, createdBy: ctx.actor.userId, createdAt: at } }];
    }
    case 'RecordLoginAttempt': {
      if (state.status === 'none') throw new LoginRefusedError('bad-credentials');
      const base = { accountId: state.accountId, source: command.data.source, at };
      if (state.status === 'disabled') return [{ type: 'LoginFailed', data: { ...base, reason: 'disabled' } }];
      if (state.lockedUntil && Date.parse(state.lockedUntil) > ctx.now.getTime()) return [{ type: 'LoginFailed', data: { ...base, reason: 'locked' } }];
      if (command.data.passwordOk) return [{ type: 'LoginSucceeded', data: base }];
      const recent = state.recentFailures.filter((t) => ctx.now.getTime() - Date.parse(t) < LOCKOUT.windowMs);
      const failed: AccountEvent = { type: 'LoginFailed', data: { ...base, reason: 'bad-password' } };
      if (recent.length + 1 >= LOCKOUT.failures)
        return [failed, { type: 'AccountLocked', data: { accountId: state.accountId, until: new Date(ctx.now.getTime() + LOCKOUT.lockMs).toISOString(), failures: recent.length + 1 } }];
      return [failed];
    }
    case 'ChangePassword':
      if (state.status !== 'active') throw new InvalidStateError('account is not active');
      return [{ type: 'PasswordChanged', data: { accountId: state.accountId, passwordHash: command.data.passwordHash, at } }];
    case 'DisableAccount':
      if (state.status !== 'active') throw new InvalidStateError('account is not active');
      return [{ type: 'AccountDisabled', data: { accountId: state.accountId, reason: command.data.reason, at } }];
    default:
      return assertNever(command);
  }
}

export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      return { ...state, status: 'active', accountId: d.accountId, username: d.username, passwordHash: d.passwordHash, role: d.role, regionCode: d.regionCode, orgId: d.orgId, displayName: d.displayName, mustChangePassword: d.mustChangePassword };
    }
    case 'LoginSucceeded':
      return { ...state, recentFailures: [], lockedUntil: null };
    case 'LoginFailed':
      return event.data.reason === 'bad-password' ? { ...state, recentFailures: [...state.recentFailures, event.data.at].slice(-LOCKOUT.failures) } : state;
    case 'AccountLocked':
      return { ...state, lockedUntil: event.data.until, recentFailures: [] };
    case 'PasswordChanged':
      return { ...state, passwordHash: event.data.passwordHash, mustChangePassword: false };
    case 'AccountDisabled':
      return { ...state, status: 'disabled' };
    default:
      return assertNever(event);
  }
}

export const decider: Decider<AccountCommand, AccountEvent, AccountState, DecisionContext> = { decide, evolve, initialState };
