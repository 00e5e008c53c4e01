import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountStreamId, assertPasswordAcceptable, decider, LoginRefusedError, lockedUntil, type AccountEvent, type AccountState } from '../../domain/accounts';
import type { Role } from '../../domain/shared/actor';
import { BusinessRuleError, NotFoundError, ValidationError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { PASSWORD_HASHER, type PasswordHasher } from '../ports/password-hasher';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { claim, claimStreamId, type UniqueValueClaimed } from '../ledger/unique-claim';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { ACCOUNT_CREDENTIALS, type AccountCredentials } from './credentials';
import './legacy-secrets';

export interface CreateAccountInput {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  regionCode: string;
  orgId: string;
  orgName: string;
}
export class CreateAccountCommand extends LedgerCommand<CreateAccountInput> {}
export class LoginCommand extends LedgerCommand<{ username: string; password: string; source: string }> {}
/** `source`: the caller's address, for the lockout (absent for in-process callers such as the demo loader). */
export class ChangePasswordCommand extends LedgerCommand<{ accountId: string; currentPassword: string; newPassword: string; source?: string }> {}

export interface AccountView {
  accountId: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  orgId: string;
  mustChangePassword: boolean;
}

/** What a token is issued from: the account, and the token version current at sign-in. */
export interface SignedIn extends AccountView {
  tokenVersion: number;
}

export function accountView(s: AccountState): AccountView {
  return { accountId: s.accountId, username: s.username, displayName: s.displayName, role: s.role, regionCode: s.regionCode, orgId: s.orgId, mustChangePassword: s.mustChangePassword };
}

/** The account owning a username, from its uniqueness claim in the ledger. */
export async function findAccountId(ledger: Ledger, username: string): Promise<string | null> {
  const [claimed] = await ledger.store.readStream(claimStreamId('username', username.toLowerCase()), { maxCount: 1 });
  return claimed ? (claimed as unknown as UniqueValueClaimed).data.ownerId : null;
}

/**
 * Delegated creation of an account (an admin creates the level below); the username is claimed uniquely.
 * The credential row is written before the events (decision 0011): a crash in between leaves a row no
 * username leads to, which nobody can use; a failed append removes it. An account created by the system
 * (the demo loader) has a configured password nobody else chose, so it is not forced to change it.
 */
@CommandHandler(CreateAccountCommand)
export class CreateAccountHandler implements ICommandHandler<CreateAccountCommand, CommandOutcome<AccountView>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(ACCOUNT_CREDENTIALS) private readonly credentials: AccountCredentials,
  ) {}

  async execute({ input, meta }: CreateAccountCommand) {
    let stored: string | null = null;
    try {
      const outcome = await runCommand(
        this.ledger,
        meta,
        async () => {
          assertPasswordAcceptable(input.password, input.username);
          if (await findAccountId(this.ledger, input.username)) throw new BusinessRuleError('USERNAME_TAKEN', `username ${input.username} is taken`, { field: 'username' });
          const accountId = stored ?? this.ids.uuid();
          const { password, ...rest } = input;
          const events = decider.decide({ type: 'CreateAccount', data: { ...rest, accountId, mustChangePassword: meta.actor.role !== 'system' } }, decider.initialState(), {
            now: this.clock.now(),
            actor: meta.actor,
          });
          if (!stored) {
            await this.credentials.create(accountId, await this.hasher.hash(password));
            stored = accountId;
          }
          return [
            { stream: this.ledger.fresh(accountStreamId(accountId)), events },
            { stream: this.ledger.fresh(claimStreamId('username', input.username.toLowerCase())), events: [claim('username', input.username.toLowerCase(), accountStreamId(accountId), accountId)] },
          ];
        },
        (events) => accountView({ ...decider.initialState(), ...dataOf<AccountState>(events, 'AccountCreated'), status: 'active' }),
      );
      // A racing retry of the same command appended first: its account is the one; ours never existed.
      if (stored && outcome.result.accountId !== stored) await this.credentials.discard(stored);
      return outcome;
    } catch (err) {
      if (stored) await this.credentials.discard(stored);
      throw err;
    }
  }
}

/**
 * Login: the lockout is asked first (a locked address gets no password check at all), then the password is
 * verified against the credential store and the attempt is recorded as an event (logins and failed logins
 * are in the audit trail); the decider applies the per-address lockout. An unknown username answers exactly
 * like a wrong password, and costs the same time (no user enumeration).
 */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand, CommandOutcome<SignedIn>> {
  /** A real hash to verify against for unknown usernames, so both paths cost the same time. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(ACCOUNT_CREDENTIALS) private readonly credentials: AccountCredentials,
  ) {}

  async execute({ input, meta }: LoginCommand) {
    const accountId = await findAccountId(this.ledger, input.username);
    if (!accountId) {
      this.dummyHash ??= this.hasher.hash('suyuan-timing-equaliser');
      await this.hasher.verify(await this.dummyHash, input.password);
      throw new LoginRefusedError('bad-credentials');
    }
    let state: AccountState | null = null;
    let passwordOk: boolean | null = null;
    const outcome = await runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(accountStreamId(accountId), decider);
        state = stream.state;
        const now = this.clock.now();
        if (passwordOk === null && !lockedUntil(stream.state, input.source, now)) {
          const credential = await this.credentials.credentialOf(accountId);
          passwordOk = credential ? await this.hasher.verify(credential.passwordHash, input.password) : false;
        }
        const attempt = { type: 'RecordLoginAttempt' as const, data: { passwordOk: passwordOk === true, source: input.source } };
        return [{ stream, events: decider.decide(attempt, stream.state, { now, actor: meta.actor }) }];
      },
      (events) => events as unknown as AccountEvent[],
    );
    // A replayed command (same id) did not load the stream: load it for the answer.
    state ??= (await this.ledger.load(accountStreamId(accountId), decider)).state;
    throwIfRefused(outcome.result, state);
    const credential = await this.credentials.credentialOf(accountId);
    const view = accountView(state);
    const signedIn: SignedIn = {
      ...view,
      mustChangePassword: view.mustChangePassword || credential?.seededFromLedger === true,
      tokenVersion: await this.credentials.tokenVersion(accountId),
    };
    return { result: signedIn, position: outcome.position, duplicate: outcome.duplicate };
  }
}

/** A refused password check as its HTTP answer: 423 while the address is locked, 401 for a wrong password. */
function throwIfRefused(events: AccountEvent[], state: AccountState): void {
  const failed = events.find((e) => e.type === 'LoginFailed' || e.type === 'PasswordChangeFailed') as Extract<AccountEvent, { type: 'LoginFailed' | 'PasswordChangeFailed' }> | undefined;
  if (!failed) return;
  const lock = events.find((e) => e.type === 'AccountLocked');
  const until = lock ? (lock.data as { until: string }).until : lockedUntil(state, failed.data.source, new Date(failed.data.at));
  if (failed.data.reason === 'locked') throw new LoginRefusedError('locked', until ? { until } : {});
  if (failed.data.reason === 'disabled') throw new LoginRefusedError('disabled');
  // The failure that starts a lock is still answered as a wrong password; the next attempt meets the lock.
  throw new LoginRefusedError('bad-credentials');
}

export interface PasswordChangeOutcome {
  accountId: string;
  /** Tokens of an older version (every session, this one included) are refused from now on. */
  tokenVersion: number;
  account: AccountView;
}

/**
 * Changing one's own password: throttled and locked per address exactly like sign-in (the same counters),
 * so a stolen token is not an oracle for the password. The new hash goes to the credential store before
 * the `PasswordChanged` event (decision 0011: a crash in between leaves the new password working and
 * mustChangePassword still set, so the owner is asked once more — never an old password that still works).
 */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand, CommandOutcome<PasswordChangeOutcome>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(ACCOUNT_CREDENTIALS) private readonly credentials: AccountCredentials,
  ) {}

  async execute({ input, meta }: ChangePasswordCommand) {
    const source = input.source ?? 'internal';
    let state: AccountState | null = null;
    let currentOk: boolean | null = null;
    let tokenVersion: number | null = null;
    const outcome = await runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(accountStreamId(input.accountId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('account', input.accountId);
        state = stream.state;
        const now = this.clock.now();
        if (currentOk === null && !lockedUntil(stream.state, source, now)) {
          // The new password is checked first: a weak one is refused without touching the current one.
          assertPasswordAcceptable(input.newPassword, stream.state.username, 'newPassword');
          if (input.newPassword === input.currentPassword) throw new ValidationError('newPassword', 'the new password must differ from the current one');
          const credential = await this.credentials.credentialOf(input.accountId);
          currentOk = credential ? await this.hasher.verify(credential.passwordHash, input.currentPassword) : false;
        }
        const events = decider.decide({ type: 'ChangePassword', data: { currentPasswordOk: currentOk === true, source } }, stream.state, { now, actor: meta.actor });
        if (events.some((e) => e.type === 'PasswordChanged') && tokenVersion === null)
          tokenVersion = await this.credentials.setPassword(input.accountId, await this.hasher.hash(input.newPassword));
        return [{ stream, events }];
      },
      (events) => events as unknown as AccountEvent[],
    );
    state ??= (await this.ledger.load(accountStreamId(input.accountId), decider)).state;
    throwIfRefused(outcome.result, state);
    const account = accountView(outcome.duplicate ? state : outcome.result.reduce(decider.evolve, state));
    const result = { accountId: input.accountId, tokenVersion: tokenVersion ?? (await this.credentials.tokenVersion(input.accountId)), account };
    return { result, position: outcome.position, duplicate: outcome.duplicate };
  }
}
