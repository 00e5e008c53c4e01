import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountStreamId, assertPasswordAcceptable, decider, LoginRefusedError, type AccountState } from '../../domain/accounts';
import type { Role } from '../../domain/shared/actor';
import { NotFoundError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { PASSWORD_HASHER, type PasswordHasher } from '../ports/password-hasher';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { claim, claimStreamId, type UniqueValueClaimed } from '../ledger/unique-claim';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

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
export class ChangePasswordCommand extends LedgerCommand<{ accountId: string; currentPassword: string; newPassword: string }> {}

export interface AccountView {
  accountId: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  orgId: string;
  mustChangePassword: boolean;
}

export function accountView(s: AccountState): AccountView {
  return { accountId: s.accountId, username: s.username, displayName: s.displayName, role: s.role, regionCode: s.regionCode, orgId: s.orgId, mustChangePassword: s.mustChangePassword };
}

/** The account owning a username, from its uniqueness claim in the ledger. */
export async function findAccountId(ledger: Ledger, username: string): Promise<string | null> {
  const [claimed] = await ledger.store.readStream(claimStreamId('username', username.toLowerCase()), { maxCount: 1 });
  return claimed ? (claimed as unknown as UniqueValueClaimed).data.ownerId : null;
}

/** Delegated creation of an account (an admin creates the level below); the username is claimed uniquely. */
@CommandHandler(CreateAccountCommand)
export class CreateAccountHandler implements ICommandHandler<CreateAccountCommand, CommandOutcome<AccountView>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
  ) {}

  execute({ input, meta }: CreateAccountCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        assertPasswordAcceptable(input.password, input.username);
        const accountId = this.ids.uuid();
        const { password, ...rest } = input;
        const events = decider.decide(
          { type: 'CreateAccount', data: { ...rest, accountId, passwordHash: await this.hasher.hash(password), mustChangePassword: true } },
          decider.initialState(),
          { now: this.clock.now(), actor: meta.actor },
        );
        return [
          { stream: this.ledger.fresh(accountStreamId(accountId)), events },
          { stream: this.ledger.fresh(claimStreamId('username', input.username.toLowerCase())), events: [claim('username', input.username.toLowerCase(), accountStreamId(accountId), accountId)] },
        ];
      },
      (events) => {
        const d = dataOf<AccountState & { accountId: string }>(events, 'AccountCreated');
        return accountView({ ...decider.initialState(), ...d, status: 'active' });
      },
    );
  }
}

/**
 * Login: the password is checked against the argon2 hash, then the attempt is recorded as an event (so
 * logins and failed logins are in the audit trail) and the decider applies the lockout rule.
 * An unknown username answers exactly like a wrong password (no user enumeration).
 */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand, CommandOutcome<AccountView>> {
  /** A real hash to verify against for unknown usernames, so both paths cost the same time. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
  ) {}

  async execute({ input, meta }: LoginCommand) {
    const accountId = await findAccountId(this.ledger, input.username);
    if (!accountId) {
      this.dummyHash ??= this.hasher.hash('suyuan-timing-equaliser');
      await this.hasher.verify(await this.dummyHash, input.password);
      throw new LoginRefusedError('bad-credentials');
    }
    let state: AccountState | null = null;
    const outcome = await runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(accountStreamId(accountId), decider);
        state = stream.state;
        const passwordOk = await this.hasher.verify(stream.state.passwordHash, input.password);
        return [{ stream, events: decider.decide({ type: 'RecordLoginAttempt', data: { passwordOk, source: input.source } }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => events,
    );
    const failed = outcome.result.find((e) => e.type === 'LoginFailed');
    if (failed) {
      const reason = (failed.data as { reason: string }).reason;
      throw new LoginRefusedError(reason === 'locked' ? 'locked' : reason === 'disabled' ? 'disabled' : 'bad-credentials');
    }
    return { result: accountView(state!), position: outcome.position, duplicate: outcome.duplicate };
  }
}

@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand, CommandOutcome<{ accountId: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
  ) {}

  execute({ input, meta }: ChangePasswordCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(accountStreamId(input.accountId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('account', input.accountId);
        if (!(await this.hasher.verify(stream.state.passwordHash, input.currentPassword))) throw new LoginRefusedError('bad-credentials');
        assertPasswordAcceptable(input.newPassword, stream.state.username, 'newPassword');
        const events = decider.decide({ type: 'ChangePassword', data: { passwordHash: await this.hasher.hash(input.newPassword) } }, stream.state, { now: this.clock.now(), actor: meta.actor });
        return [{ stream, events }];
      },
      () => ({ accountId: input.accountId }),
    );
  }
}
