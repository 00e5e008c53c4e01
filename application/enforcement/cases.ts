import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, regionalRecord } from '../access';
import { caseStreamId, decider, type CaseActionKind, type CaseClosed, type CaseOutcome, type OpenCase } from '../../domain/enforcement';
import type { DecisionContext } from '../../domain/shared/actor';
import { CLOCK, type Clock } from '../ports/clock';
import { EVENT_STORE, type EventStore } from '../ports/event-store';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../ports/read-models';
import { liftHoldWrites } from '../lots/holds';
import { closeWrite } from '../risk/warnings';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { loadExisting } from '../quality/decide-on-stream';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store';
import { attachmentsWrite, type AttachmentRef } from '../attachments/attachments';

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

export class RecordCaseActionCommand extends LedgerCommand<{
  caseId: string;
  kind: CaseActionKind;
  description: string;
  takenOn?: string;
  /** A rectification order's deadline (YYYY-MM-DD); its deadline job is scheduled by the process manager. */
  deadline?: string;
  /** A verification's order (整改复查). */
  orderSeq?: number;
  attachments?: AttachmentRef[];
}> {}
export class CloseCaseCommand extends LedgerCommand<{ caseId: string; outcome: CaseOutcome; summary: string; penaltyYuan?: number }> {}

/** Enforcement (or supervision) in the case's region records what it did: investigation, seizure, recall… */
@CommandHandler(RecordCaseActionCommand)
export class RecordCaseActionHandler implements ICommandHandler<RecordCaseActionCommand, CommandOutcome<{ caseId: string; seq: number }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(BLOB_STORE) private readonly blobs?: BlobStore,
  ) {}

  execute({ input, meta }: RecordCaseActionCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await loadExisting(this.ledger, caseStreamId(input.caseId), decider, 'case', input.caseId);
        assertAllowed(meta.actor, 'act', regionalRecord('case', input.caseId, stream.state.regionCode));
        const { caseId: _c, attachments, ...data } = input;
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const recorded = { stream, events: decider.decide({ type: 'RecordCaseAction', data }, stream.state, ctx) };
        const attached = await attachmentsWrite(this.ledger, this.blobs, { kind: 'case', id: input.caseId }, attachments, ctx);
        return attached ? [recorded, attached] : [recorded];
      },
      (events) => ({ caseId: input.caseId, seq: (events[0]!.data as { seq: number }).seq }),
    );
  }
}

/**
 * 查处结果: the case closes with its outcome (penalty, rectification, no violation, transferred). Closing is
 * the decision that owns the holds of its referral: in the same append, every lot the case holds is lifted
 * (the summary is the reason shown on the lot) and the referral's open hold warnings are handled.
 */
@CommandHandler(CloseCaseCommand)
export class CloseCaseHandler implements ICommandHandler<CloseCaseCommand, CommandOutcome<{ caseId: string; status: 'closed'; liftedLots: string[] }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  execute({ input, meta }: CloseCaseCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await loadExisting(this.ledger, caseStreamId(input.caseId), decider, 'case', input.caseId);
        assertAllowed(meta.actor, 'act', regionalRecord('case', input.caseId, stream.state.regionCode));
        const { caseId: _c, ...data } = input;
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const closed = decider.decide({ type: 'CloseCase', data }, stream.state, ctx);
        const { outcome, summary } = (closed[0] as CaseClosed).data;
        const deps = { ledger: this.ledger, models: this.models, progress: this.progress, store: this.store };
        const lifts = await liftHoldWrites(deps, { kind: 'case-closed', caseId: input.caseId, outcome }, `执法结案：${summary}`, ctx);
        const warningCloses: StreamWrite[] = [];
        const referral = stream.state.referral;
        if (referral?.kind === 'sample') {
          const open = await this.models.find('risk_warnings', { 'cause.sampleId': referral.sampleId, hold: true, state: { $in: ['raised', 'acknowledged'] } }, { limit: 10_000 });
          for (const w of open) {
            const write = await closeWrite(this.ledger, w._id, `执法结案，解除暂停销售：${summary}`, 'handled', ctx);
            if (write) warningCloses.push(write);
          }
        }
        return [{ stream, events: closed }, ...lifts, ...warningCloses];
      },
      (events) => ({
        caseId: input.caseId,
        status: 'closed' as const,
        liftedLots: events.filter((e) => e.type === 'LotHoldLifted').map((e) => (e.data as { traceCode: string }).traceCode),
      }),
    );
  }
}
