import type { DecisionContext, Role } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { mayCreate } from './delegation';
import { ROLE_TREE } from './permissions';

/**
 * An account (账户): who may sign in, with which role and region. No secret is ever part of it — the password
 * hash lives in the credential store (decision 0011); the events say only that a password was set, and by whom.
 */

/**
 * Failed password checks (sign-in or password change) are counted per account AND source address, so a
 * stranger who knows a producer's username (the e-ID printed on every label) can only lock out their own
 * address: the owner signing in from elsewhere is not affected. The first `freeFailures` cost nothing; each
 * further one locks that address out of that account for a doubling time (1, 2, 4, … minutes, at most
 * `maxLockMs`). A success from the address, an admin unlock or a reset clears it; so does `forgetAfterMs`
 * without a failure.
 */
export const LOCKOUT = { freeFailures: 4, firstLockMs: 60_000, maxLockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000, maxSourcesKept: 200 } as const;

export type CreateAccount = {
  type: 'CreateAccount';
  data: {
    accountId: string;
    username: string;
    displayName: string;
    role: Role;
    regionCode: string;
    orgId: string;
    orgName: string;
    mustChangePassword: boolean;
  };
};
/** The handler verified the password against the credential store; the decider applies the lockout. */
export type RecordLoginAttempt = { type: 'RecordLoginAttempt'; data: { passwordOk: boolean; source: string } };
/** The handler verified the current password (and hashed the new one into the credential store when right). */
export type ChangePassword = { type: 'ChangePassword'; data: { currentPasswordOk: boolean; source: string } };
export type DisableAccount = { type: 'DisableAccount'; data: { reason: string } };
export type EnableAccount = { type: 'EnableAccount'; data: Record<string, never> };
export type UnlockAccount = { type: 'UnlockAccount'; data: Record<string, never> };
/** An admin sets a one-time password (stored in the credential store); the owner must change it. */
export type ResetPassword = { type: 'ResetPassword'; data: Record<string, never> };
export type AccountCommand = CreateAccount | RecordLoginAttempt | ChangePassword | DisableAccount | EnableAccount | UnlockAccount | ResetPassword;

/** `createdBy` set the initial password; the hash itself is in the credential store. */
export type AccountCreated = DomainEvent<'AccountCreated', CreateAccount['data'] & { createdBy: string; createdAt: string }>;
export type LoginSucceeded = DomainEvent<'LoginSucceeded', { accountId: string; source: string; at: string }>;
export type LoginFailed = DomainEvent<'LoginFailed', { accountId: string; source: string; at: string; reason: 'bad-password' | 'locked' | 'disabled' }>;
/** `source` absent: a whole-account lock of an older ledger. */
export type AccountLocked = DomainEvent<'AccountLocked', { accountId: string; until: string; failures: number; source?: string }>;
export type PasswordChanged = DomainEvent<'PasswordChanged', { accountId: string; at: string; by: string }>;
export type PasswordChangeFailed = DomainEvent<'PasswordChangeFailed', { accountId: string; source: string; at: string; reason: 'bad-password' | 'locked' }>;
export type PasswordReset = DomainEvent<'PasswordReset', { accountId: string; at: string; by: string }>;
export type AccountDisabled = DomainEvent<'AccountDisabled', { accountId: string; reason: string; at: string; by?: string }>;
export type AccountEnabled = DomainEvent<'AccountEnabled', { accountId: string; at: string; by: string }>;
export type AccountUnlocked = DomainEvent<'AccountUnlocked', { accountId: string; at: string; by: string }>;
export type AccountEvent =
  | AccountCreated
  | LoginSucceeded
  | LoginFailed
  | AccountLocked
  | PasswordChanged
  | PasswordChangeFailed
  | PasswordReset
  | AccountDisabled
  | AccountEnabled
  | AccountUnlocked;

/** Failed password checks from one source address. */
export interface SourceFailures {
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

export interface AccountState {
  status: 'none' | 'active' | 'disabled';
  accountId: string;
  username: string;
  role: Role;
  regionCode: string;
  orgId: string;
  displayName: string;
  mustChangePassword: boolean;
  /** Keyed by source address. */
  sources: Record<string, SourceFailures>;
  /** A whole-account lock recorded by an older ledger (before locks were per source). */
  accountLockedUntil: string | null;
}

export function initialState(): AccountState {
  return { status: 'none', accountId: '', username: '', role: 'consumer', regionCode: '', orgId: '', displayName: '', mustChangePassword: false, sources: {}, accountLockedUntil: null };
}

export function accountStreamId(accountId: string): string {
  return `account-${accountId}`;
}

export class LoginRefusedError extends BusinessRuleError {
  constructor(reason: 'bad-credentials' | 'locked' | 'disabled', details: Record<string, unknown> = {}) {
    super(
      reason === 'locked' ? 'ACCOUNT_LOCKED' : reason === 'disabled' ? 'ACCOUNT_DISABLED' : 'BAD_CREDENTIALS',
      reason === 'locked' ? 'too many failed attempts from this address: try again later' : reason === 'disabled' ? 'account disabled' : 'wrong username or password',
      details,
    );
  }
}

/**
 * When the next password check from `source` may run: null when now, else the end of its lock. Handlers ask
 * this BEFORE verifying a password, so a locked address learns nothing (no oracle) and costs no argon2 time.
 */
export function lockedUntil(state: AccountState, source: string, now: Date): string | null {
  const until = [state.sources[source]?.lockedUntil, state.accountLockedUntil].filter((u): u is string => !!u && Date.parse(u) > now.getTime());
  return until.sort().at(-1) ?? null;
}

/** The lock the n-th consecutive failure from one address earns (null: none yet). */
export function lockAfterFailures(failures: number): number | null {
  if (failures <= LOCKOUT.freeFailures) return null;
  return Math.min(LOCKOUT.firstLockMs * 2 ** (failures - LOCKOUT.freeFailures - 1), LOCKOUT.maxLockMs);
}

/** A failed check from `source`: its event, plus a lock when the address has now failed too often. */
function failedCheck(state: AccountState, source: string, ctx: DecisionContext, failed: LoginFailed | PasswordChangeFailed): AccountEvent[] {
  const previous = state.sources[source];
  const forgotten = !previous || ctx.now.getTime() - Date.parse(previous.lastFailureAt) >= LOCKOUT.forgetAfterMs;
  const failures = (forgotten ? 0 : previous.failures) + 1;
  const lockMs = lockAfterFailures(failures);
  if (lockMs === null) return [failed];
  return [failed, { type: 'AccountLocked', data: { accountId: state.accountId, source, until: new Date(ctx.now.getTime() + lockMs).toISOString(), failures } }];
}

function assertActive(state: AccountState): void {
  if (state.status !== 'active') throw new InvalidStateError(state.status === 'none' ? 'no such account' : 'account is disabled');
}

export function decide(command: AccountCommand, state: AccountState, ctx: DecisionContext): AccountEvent[] {
  const at = ctx.now.toISOString();
  const by = ctx.actor.userId;
  switch (command.type) {
    case 'CreateAccount': {
      if (state.status !== 'none') throw new InvalidStateError('account already exists');
      const d = command.data;
      if (!/^[A-Za-z0-9_.-]{3,64}$/.test(d.username)) throw new ValidationError('username', 'username: 3–64 letters, digits, _ . -');
      if (!(d.role in ROLE_TREE) || d.role === 'system') throw new ValidationError('role', `unknown role ${d.role}`);
      if (!/^\d{0,12}$/.test(d.regionCode)) throw new ValidationError('regionCode', 'regionCode must be a GB/T 2260 prefix');
      if (d.role !== 'producer') mayCreate({ role: ctx.actor.role, regionCode: ctx.actor.regionCode ?? '' }, { role: d.role, regionCode: d.regionCode });
      return [{ type: 'AccountCreated', data: { ...d, createdBy: by, createdAt: at } }];
    }
    case 'RecordLoginAttempt': {
      if (state.status === 'none') throw new LoginRefusedError('bad-credentials');
      const { source } = command.data;
      const base = { accountId: state.accountId, source, at };
      if (lockedUntil(state, source, ctx.now)) return [{ type: 'LoginFailed', data: { ...base, reason: 'locked' } }];
      if (state.status === 'disabled') return [{ type: 'LoginFailed', data: { ...base, reason: 'disabled' } }];
      if (command.data.passwordOk) return [{ type: 'LoginSucceeded', data: base }];
      return failedCheck(state, source, ctx, { type: 'LoginFailed', data: { ...base, reason: 'bad-password' } });
    }
    case 'ChangePassword': {
      assertActive(state);
      const { source } = command.data;
      const base = { accountId: state.accountId, source, at };
      if (lockedUntil(state, source, ctx.now)) return [{ type: 'PasswordChangeFailed', data: { ...base, reason: 'locked' } }];
      if (!command.data.currentPasswordOk) return failedCheck(state, source, ctx, { type: 'PasswordChangeFailed', data: { ...base, reason: 'bad-password' } });
      return [{ type: 'PasswordChanged', data: { accountId: state.accountId, at, by } }];
    }
    case 'DisableAccount':
      assertActive(state);
      if (!command.data.reason.trim()) throw new ValidationError('reason', 'a reason is required');
      if (by === state.accountId) throw new BusinessRuleError('NOT_ALLOWED', 'an admin cannot disable their own account');
      return [{ type: 'AccountDisabled', data: { accountId: state.accountId, reason: command.data.reason, at, by } }];
    case 'EnableAccount':
      if (state.status !== 'disabled') throw new InvalidStateError(state.status === 'none' ? 'no such account' : 'account is not disabled');
      return [{ type: 'AccountEnabled', data: { accountId: state.accountId, at, by } }];
    case 'UnlockAccount':
      if (state.status === 'none') throw new InvalidStateError('no such account');
      if (!Object.values(state.sources).some((s) => s.failures > 0) && !state.accountLockedUntil) return [];
      return [{ type: 'AccountUnlocked', data: { accountId: state.accountId, at, by } }];
    case 'ResetPassword':
      assertActive(state);
      if (by === state.accountId) throw new BusinessRuleError('NOT_ALLOWED', 'change your own password with your current one (POST /auth/password)');
      return [{ type: 'PasswordReset', data: { accountId: state.accountId, at, by } }];
    default:
      return assertNever(command);
  }
}

/** Keeps the per-source table bounded: addresses forgotten by time go, then the oldest beyond the cap. */
function pruneSources(sources: Record<string, SourceFailures>, at: string): Record<string, SourceFailures> {
  const now = Date.parse(at);
  const kept = Object.entries(sources).filter(([, s]) => now - Date.parse(s.lastFailureAt) < LOCKOUT.forgetAfterMs || (s.lockedUntil && Date.parse(s.lockedUntil) > now));
  kept.sort(([, a], [, b]) => b.lastFailureAt.localeCompare(a.lastFailureAt));
  return Object.fromEntries(kept.slice(0, LOCKOUT.maxSourcesKept));
}

function recordFailure(state: AccountState, source: string, at: string): AccountState {
  const previous = state.sources[source];
  const forgotten = !previous || Date.parse(at) - Date.parse(previous.lastFailureAt) >= LOCKOUT.forgetAfterMs;
  const failures = (forgotten ? 0 : previous.failures) + 1;
  return { ...state, sources: pruneSources({ ...state.sources, [source]: { failures, lastFailureAt: at, lockedUntil: previous?.lockedUntil ?? null } }, at) };
}

function withoutSource(sources: Record<string, SourceFailures>, source: string): Record<string, SourceFailures> {
  const { [source]: _cleared, ...rest } = sources;
  return rest;
}

export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      return { ...state, status: 'active', accountId: d.accountId, username: d.username, role: d.role, regionCode: d.regionCode, orgId: d.orgId, displayName: d.displayName, mustChangePassword: d.mustChangePassword };
    }
    case 'LoginSucceeded':
      return { ...state, sources: withoutSource(state.sources, event.data.source) };
    case 'LoginFailed':
    case 'PasswordChangeFailed':
      return event.data.reason === 'bad-password' ? recordFailure(state, event.data.source, event.data.at) : state;
    case 'AccountLocked': {
      const { source, until } = event.data;
      if (source === undefined) return { ...state, accountLockedUntil: until };
      const current = state.sources[source];
      return current ? { ...state, sources: { ...state.sources, [source]: { ...current, lockedUntil: until } } } : state;
    }
    case 'PasswordChanged':
      return { ...state, mustChangePassword: false };
    case 'PasswordReset':
      return { ...state, mustChangePassword: true, sources: {}, accountLockedUntil: null };
    case 'AccountDisabled':
      return { ...state, status: 'disabled' };
    case 'AccountEnabled':
      return { ...state, status: 'active' };
    case 'AccountUnlocked':
      return { ...state, sources: {}, accountLockedUntil: null };
    default:
      return assertNever(event);
  }
}

export const decider: Decider<AccountCommand, AccountEvent, AccountState, DecisionContext> = { decide, evolve, initialState };
