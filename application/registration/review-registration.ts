import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, entityStreamId, generateEid } from '../../domain/registration';
import { assertAllowed, regionalRecord } from '../access';
import { NotFoundError } from '../../domain/shared/errors';
import { accountStreamId, decider as accountDecider } from '../../domain/accounts/account';
import { PASSWORD_HASHER, type PasswordHasher } from '../ports/password-hasher';
import { ACCOUNT_CREDENTIALS, type AccountCredentials } from '../accounts/credentials';
import { assertCreditCodeFree, creditCodeClaim } from './credit-code-claim';
import type { Clock, IdGenerator } from '../ports/clock';
import { CLOCK, ID_GENERATOR } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { claim, claimStreamId } from '../ledger/unique-claim';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';

export class ApproveRegistrationCommand extends LedgerCommand<{ entityId: string }> {}
export class RejectRegistrationCommand extends LedgerCommand<{ entityId: string; reason: string }> {}

/**
 * County review (seed 001 第八条): approval issues the e-ID, claimed as `eid-{eid}` in the same append so
 * two entities can never share one (a collision of the random part simply retries with a new one). The
 * unified social credit code is claimed the same way (`creditcode-{code}`): one enterprise, one e-ID.
 */
export interface Approval {
  entityId: string;
  eid: string;
  /** The producer's account (username = e-ID); the initial password is shown once, on the first answer. */
  account: { accountId: string; username: string; initialPassword?: string };
}

@CommandHandler(ApproveRegistrationCommand)
export class ApproveRegistrationHandler implements ICommandHandler<ApproveRegistrationCommand, CommandOutcome<Approval>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(ACCOUNT_CREDENTIALS) private readonly credentials: AccountCredentials,
  ) {}

  async execute({ input, meta }: ApproveRegistrationCommand) {
    // The producer's credential row is written before the events (decision 0011); a failed append removes it.
    let stored: { accountId: string; initialPassword: string } | null = null;
    try {
      const outcome = await runCommand(
        this.ledger,
        meta,
        async () => {
          const stream = await this.ledger.load(entityStreamId(input.entityId), decider);
          if (stream.state.status === 'none') throw new NotFoundError('entity', input.entityId);
          assertAllowed(meta.actor, 'act', regionalRecord('entity', input.entityId, stream.state.regionCode));
          const { creditCode } = stream.state;
          if (creditCode) await assertCreditCodeFree(this.ledger, creditCode, input.entityId);
          const eid = generateEid(stream.state.regionCode, this.ids.randomBase32(5));
          const events = decider.decide({ type: 'ApproveRegistration', data: { eid } }, stream.state, {
            now: this.clock.now(),
            actor: meta.actor,
            calendar: this.settings.calendar,
          });
          // Producers get their account when approved (seed 000): username = e-ID, a one-time initial password.
          const accountId = stored?.accountId ?? this.ids.uuid();
          const account = accountDecider.decide(
            {
              type: 'CreateAccount',
              data: {
                accountId,
                username: eid,
                displayName: stream.state.name,
                role: 'producer',
                regionCode: stream.state.regionCode,
                orgId: input.entityId,
                orgName: stream.state.name,
                mustChangePassword: true,
              },
            },
            accountDecider.initialState(),
            { now: this.clock.now(), actor: meta.actor },
          );
          if (!stored) {
            const initialPassword = `${this.ids.randomBase32(6)}-${this.ids.randomBase32(6)}-sy`;
            await this.credentials.create(accountId, await this.hasher.hash(initialPassword));
            stored = { accountId, initialPassword };
          }
          return [
            { stream, events },
            { stream: this.ledger.fresh(claimStreamId('eid', eid)), events: [claim('eid', eid, stream.streamId, input.entityId)] },
            ...(creditCode ? [creditCodeClaim(this.ledger, creditCode, stream.streamId, input.entityId)] : []),
            { stream: this.ledger.fresh(accountStreamId(accountId)), events: account },
            { stream: this.ledger.fresh(claimStreamId('username', eid.toLowerCase())), events: [claim('username', eid.toLowerCase(), accountStreamId(accountId), accountId)] },
          ];
        },
        (events): Approval => {
          const d = dataOf<{ entityId: string; eid: string }>(events, 'RegistrationApproved');
          const a = dataOf<{ accountId: string; username: string }>(events, 'AccountCreated');
          return { entityId: d.entityId, eid: d.eid, account: { accountId: a.accountId, username: a.username } };
        },
      );
      const mine = stored as { accountId: string; initialPassword: string } | null;
      if (!mine) return outcome;
      // A racing retry of the same command appended first: its account is the one, ours never existed.
      if (outcome.result.account.accountId !== mine.accountId) {
        await this.credentials.discard(mine.accountId);
        return outcome;
      }
      return { ...outcome, result: { ...outcome.result, account: { ...outcome.result.account, initialPassword: mine.initialPassword } } };
    } catch (err) {
      const mine = stored as { accountId: string } | null;
      if (mine) await this.credentials.discard(mine.accountId);
      throw err;
    }
  }
}

@CommandHandler(RejectRegistrationCommand)
export class RejectRegistrationHandler implements ICommandHandler<RejectRegistrationCommand, CommandOutcome<{ entityId: string; status: 'rejected' }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: RejectRegistrationCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(entityStreamId(input.entityId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('entity', input.entityId);
        assertAllowed(meta.actor, 'act', regionalRecord('entity', input.entityId, stream.state.regionCode));
        const events = decider.decide({ type: 'RejectRegistration', data: { reason: input.reason } }, stream.state, {
          now: this.clock.now(),
          actor: meta.actor,
          calendar: this.settings.calendar,
        });
        return [{ stream, events }];
      },
      (events) => ({ entityId: dataOf<{ entityId: string }>(events, 'RegistrationRejected').entityId, status: 'rejected' as const }),
    );
  }
}
