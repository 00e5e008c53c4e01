import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, faultStreamId, type FaultCommand, type FaultLevel, type FaultState, type ReportFault } from '../../domain/faults';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { dataOf, runCommand, type CommandOutcome } from '../ledger/run-command';
import { decideFresh, loadExisting } from '../quality/decide-on-stream';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

export class ReportFaultCommand extends LedgerCommand<Omit<ReportFault['data'], 'faultId'>> {}
export class ReportFaultProgressCommand extends LedgerCommand<{ faultId: string; note: string }> {}
export class ReclassifyFaultCommand extends LedgerCommand<{ faultId: string; level: FaultLevel; reason: string }> {}
export class ResolveFaultCommand extends LedgerCommand<{ faultId: string; resolution: string }> {}

export interface FaultAnswer {
  faultId: string;
  status: FaultState['status'];
  level: FaultLevel;
  recorded: string[];
}

const load = (ledger: Ledger, id: string) => loadExisting(ledger, faultStreamId(id), decider, 'fault', id);

function answer(faultId: string, events: { type: string; data: Record<string, unknown> }[], before?: FaultState): FaultAnswer {
  const state = events.reduce((s, e) => decider.evolve(s, e as never), before ?? decider.initialState());
  return { faultId, status: state.status, level: state.level, recorded: events.map((e) => e.type) };
}

/** 故障报告 (seed 000 §九(四)): time, place, what, affected scope, measures, expected recovery. */
@CommandHandler(ReportFaultCommand)
export class ReportFaultHandler implements ICommandHandler<ReportFaultCommand, CommandOutcome<FaultAnswer>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ input, meta }: ReportFaultCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const faultId = this.ids.uuid();
        return decideFresh(this.ledger, faultStreamId(faultId), decider, { type: 'ReportFault', data: { ...input, faultId } }, { now: this.clock.now(), actor: meta.actor });
      },
      (events) => answer(dataOf<{ faultId: string }>(events, 'FaultReported').faultId, events),
    );
  }
}

/** Commands on an open fault; each first records the deadlines that passed (see the decider). */
abstract class FaultStepHandler<C extends LedgerCommand<{ faultId: string }>> {
  constructor(
    @Inject(LEDGER) protected readonly ledger: Ledger,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  protected abstract command(input: C['input']): FaultCommand;

  async execute({ input, meta }: C) {
    let before: FaultState | undefined;
    // A retry (duplicate key) is answered from the stored events without deciding again, so `before` stays
    // unset: its state is the stream up to those events. Without it the answer folded from the initial
    // state (a level 3 fault's repeated resolve answered level 1; found by the fault-injection harness).
    const history = await this.ledger.store.readStream(faultStreamId(input.faultId));
    const stateBefore = (events: { position: number }[]) => {
      const first = Math.min(...events.map((e) => e.position));
      return history.filter((e) => e.position < first).reduce((s, e) => decider.evolve(s, e as never), decider.initialState());
    };
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const fault = await load(this.ledger, input.faultId);
        before = fault.state;
        return [{ stream: fault, events: decider.decide(this.command(input), fault.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => answer(input.faultId, events, before ?? stateBefore(events)),
    );
  }
}

@CommandHandler(ReportFaultProgressCommand)
export class ReportFaultProgressHandler extends FaultStepHandler<ReportFaultProgressCommand> {
  protected command(input: ReportFaultProgressCommand['input']): FaultCommand {
    return { type: 'ReportFaultProgress', data: { note: input.note } };
  }
}

@CommandHandler(ReclassifyFaultCommand)
export class ReclassifyFaultHandler extends FaultStepHandler<ReclassifyFaultCommand> {
  protected command(input: ReclassifyFaultCommand['input']): FaultCommand {
    return { type: 'ReclassifyFault', data: { level: input.level, reason: input.reason } };
  }
}

/** Recovery; the process manager then runs the post-recovery ledger integrity check and records it. */
@CommandHandler(ResolveFaultCommand)
export class ResolveFaultHandler extends FaultStepHandler<ResolveFaultCommand> {
  protected command(input: ResolveFaultCommand['input']): FaultCommand {
    return { type: 'ResolveFault', data: { resolution: input.resolution } };
  }
}
