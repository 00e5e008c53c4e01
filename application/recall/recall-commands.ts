import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider as incidentDecider, incidentStreamId } from '../../domain/incidents';
import { decider, recallStreamId, type RecallLotStanding, type ReportRecallQuantities } from '../../domain/recall';
import type { Actor } from '../../domain/shared/actor';
import { BusinessRuleError, InvalidStateError, NotFoundError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

export class AcknowledgeRecallCommand extends LedgerCommand<{ incidentId: string; holderEntityId: string; note: string | null }> {}
export class ReportRecallQuantitiesCommand extends LedgerCommand<{ incidentId: string; holderEntityId: string; lots: ReportRecallQuantities['data']['lots']; note: string | null }> {}

export interface RecallOutcome {
  incidentId: string;
  holderEntityId: string;
  status: 'notified' | 'acknowledged';
  standing: RecallLotStanding[];
}

/**
 * Only the holder answers its own notice: a producer acting for another entity, or anyone else, is told
 * the notice does not exist for them (404), so notices cannot be probed.
 * ACCESS: "is this actor the holder of this notice" belongs to the access policy once it decides ownership.
 */
function assertHolder(actor: Actor, holderEntityId: string, incidentId: string): void {
  if (actor.role === 'producer' && actor.orgId === holderEntityId) return;
  if (actor.role === 'producer') throw new NotFoundError('recall notice', `${incidentId}/${holderEntityId}`);
  throw new BusinessRuleError('NOT_HOLDER', 'only the holder acknowledges and reports its recall notice', { incidentId, holderEntityId });
}

abstract class RecallHandler {
  constructor(
    @Inject(LEDGER) protected readonly ledger: Ledger,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(ID_GENERATOR) protected readonly ids: IdGenerator,
  ) {}

  /** The notice, answerable only while its incident is open (a closed incident refuses every answer). */
  protected async loadOpen(actor: Actor, incidentId: string, holderEntityId: string) {
    assertHolder(actor, holderEntityId, incidentId);
    const stream = await this.ledger.load(recallStreamId(incidentId, holderEntityId), decider);
    if (stream.state.status === 'none') throw new NotFoundError('recall notice', `${incidentId}/${holderEntityId}`);
    const incident = await this.ledger.load(incidentStreamId(incidentId), incidentDecider);
    if (incident.state.status === 'closed') throw new InvalidStateError(`incident ${incidentId} is closed`, { incidentId, status: 'closed' });
    return stream;
  }

  protected result(incidentId: string, holderEntityId: string) {
    return (events: { type: string; data: Record<string, unknown> }[]): RecallOutcome => {
      const last = [...events].reverse().find((e) => 'standing' in e.data);
      return { incidentId, holderEntityId, status: 'acknowledged', standing: (last?.data.standing as RecallLotStanding[] | undefined) ?? [] };
    };
  }
}

/** 签收: the holder confirms it received the notice. */
@CommandHandler(AcknowledgeRecallCommand)
export class AcknowledgeRecallHandler extends RecallHandler implements ICommandHandler<AcknowledgeRecallCommand, CommandOutcome<RecallOutcome>> {
  execute({ input, meta }: AcknowledgeRecallCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.loadOpen(meta.actor, input.incidentId, input.holderEntityId);
        return [{ stream, events: decider.decide({ type: 'AcknowledgeRecall', data: { note: input.note } }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      this.result(input.incidentId, input.holderEntityId),
    );
  }
}

/** The holder reports, per lot, what it recovered, destroyed, or had already sold to consumers. */
@CommandHandler(ReportRecallQuantitiesCommand)
export class ReportRecallQuantitiesHandler extends RecallHandler implements ICommandHandler<ReportRecallQuantitiesCommand, CommandOutcome<RecallOutcome>> {
  execute({ input, meta }: ReportRecallQuantitiesCommand) {
    const reportId = this.ids.uuid();
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await this.loadOpen(meta.actor, input.incidentId, input.holderEntityId);
        const data = { reportId, lots: input.lots, note: input.note };
        return [{ stream, events: decider.decide({ type: 'ReportRecallQuantities', data }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      this.result(input.incidentId, input.holderEntityId),
    );
  }
}
