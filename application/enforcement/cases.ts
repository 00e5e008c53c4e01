import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, regionalRecord } from '../access';
import { caseStreamId, decider, type CaseActionKind, type CaseOutcome, type OpenCase } from '../../domain/enforcement';
import type { DecisionContext } from '../../domain/shared/actor';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { loadExisting } from '../quality/decide-on-stream';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

/** The write that opens a case; part of the referring command's append (a referral never gets lost). */
export function openCaseWrite(ledger: Ledger, data: OpenCase['data'], ctx: DecisionContext): StreamWrite {
  return { stream: ledger.fresh(caseStreamId(data.caseId)), events: decider.decide({ type: 'OpenCase', data }, decider.initialState(), ctx) };
}

/** The write that records an action on an open case (nothing when the case is closed already). */
export async function caseActionWrite(ledger: Ledger, caseId: string, kind: CaseActionKind, description: string, ctx: DecisionContext): Promise<StreamWrite | null> {
  const stream = await ledger.load(caseStreamId(caseId), decider);
  if (stream.state.status !== 'open') return null;
  return { stream, events: decider.decide({ type: 'RecordCaseAction', data: { kind, description } }, stream.state, ctx) };
}

export class RecordCaseActionCommand extends LedgerCommand<{ caseId: string; kind: CaseActionKind; description: string; takenOn?: string }> {}
export class CloseCaseCommand extends LedgerCommand<{ caseId: string; outcome: CaseOutcome; summary: string; penaltyYuan?: number }> {}

/** Enforcement (or supervision) in the case's region records what it did: investigation, seizure, recall… */
@CommandHandler(RecordCaseActionCommand)
export class RecordCaseActionHandler implements ICommandHandler<RecordCaseActionCommand, CommandOutcome<{ caseId: string; seq: number }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: RecordCaseActionCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await loadExisting(this.ledger, caseStreamId(input.caseId), decider, 'case', input.caseId);
        assertAllowed(meta.actor, 'act', regionalRecord('case', input.caseId, stream.state.regionCode));
        const { caseId: _c, ...data } = input;
        return [{ stream, events: decider.decide({ type: 'RecordCaseAction', data }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => ({ caseId: input.caseId, seq: (events[0]!.data as { seq: number }).seq }),
    );
  }
}

/** 查处结果: the case closes with its outcome (penalty, rectification, no violation, transferred). */
@CommandHandler(CloseCaseCommand)
export class CloseCaseHandler implements ICommandHandler<CloseCaseCommand, CommandOutcome<{ caseId: string; status: 'closed' }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: CloseCaseCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await loadExisting(this.ledger, caseStreamId(input.caseId), decider, 'case', input.caseId);
        assertAllowed(meta.actor, 'act', regionalRecord('case', input.caseId, stream.state.regionCode));
        const { caseId: _c, ...data } = input;
        return [{ stream, events: decider.decide({ type: 'CloseCase', data }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      () => ({ caseId: input.caseId, status: 'closed' as const }),
    );
  }
}
