import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, entityStreamId, generateEid } from '../../domain/registration';
import { assertInScope } from '../../domain/accounts/region-scope';
import { NotFoundError } from '../../domain/shared/errors';
import { accountStreamId, decider as accountDecider } from '../../domain/accounts/account';
import { PASSWORD_HASHER, type PasswordHasher } from '../ports/password-hasher';
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
 * two entities can never share one (a collision of the random part simply retries with a new one).
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
  ) {}

  execute({ input, meta }: ApproveRegistrationCommand) {
    let initialPassword: string | undefined;
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(entityStreamId(input.entityId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('entity', input.entityId);
        assertInScope(meta.actor, stream.state.regionCode);
        const eid = generateEid(stream.state.regionCode, this.ids.randomBase32(5));
        const events = decider.decide({ type: 'ApproveRegistration', data: { eid } }, stream.state, {
          now: this.clock.now(),
          actor: meta.actor,
          calendar: this.settings.calendar,
        });
        // Producers get their account when approved (seed 000): username = e-ID, a one-time initial password.
        initialPassword = `${this.ids.randomBase32(6)}-${this.ids.randomBase32(6)}-sy`;
        const accountId = this.ids.uuid();
        const account = accountDecider.decide(
          {
            type: 'CreateAccount',
            data: {
              accountId,
              username: eid,
              passwordHash: await this.hasher.hash(initialPassword),
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
        return [
          { stream, events },
          { stream: this.ledger.fresh(claimStreamId('eid', eid)), events: [claim('eid', eid, stream.streamId, input.entityId)] },
          { stream: this.ledger.fresh(accountStreamId(accountId)), events: account },
          { stream: this.ledger.fresh(claimStreamId('username', eid.toLowerCase())), events: [claim('username', eid.toLowerCase(), accountStreamId(accountId), accountId)] },
        ];
      },
      (events) => {
        const d = dataOf<{ entityId: string; eid: string }>(events, 'RegistrationApproved');
        const a = dataOf<{ accountId: string; username: string }>(events, 'AccountCreated');
        return { entityId: d.entityId, eid: d.eid, account: { accountId: a.accountId, username: a.username, ...(initialPassword ? { initialPassword } : {}) } };
      },
    );
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
        assertInScope(meta.actor, stream.state.regionCode);
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
