import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, entityStreamId, generateEid } from '../../domain/registration';
import { NotFoundError } from '../../domain/shared/errors';
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
@CommandHandler(ApproveRegistrationCommand)
export class ApproveRegistrationHandler implements ICommandHandler<ApproveRegistrationCommand, CommandOutcome<{ entityId: string; eid: string }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  execute({ input, meta }: ApproveRegistrationCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.ledger.load(entityStreamId(input.entityId), decider);
        if (stream.state.status === 'none') throw new NotFoundError('entity', input.entityId);
        const eid = generateEid(stream.state.regionCode, this.ids.randomBase32(5));
        const events = decider.decide({ type: 'ApproveRegistration', data: { eid } }, stream.state, {
          now: this.clock.now(),
          actor: meta.actor,
          calendar: this.settings.calendar,
        });
        return [
          { stream, events },
          { stream: this.ledger.fresh(claimStreamId('eid', eid)), events: [claim('eid', eid, stream.streamId, input.entityId)] },
        ];
      },
      (events) => {
        const d = dataOf<{ entityId: string; eid: string }>(events, 'RegistrationApproved');
        return { entityId: d.entityId, eid: d.eid };
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
