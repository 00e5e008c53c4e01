import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decider, finalVerdict, type AnalyteOutcome, type ResultRecorded, type Verdict } from '../../domain/sampling';
import { VERDICT_LABELS_ZH } from '../../domain/sampling/verdict';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { EVENT_STORE, type EventStore } from '../ports/event-store';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../ports/read-models';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { caseActionWrite } from '../enforcement/cases';
import { loadRiskRules } from '../risk/risk-rules';
import { closeWrite } from '../risk/warnings';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { assertAllowed, regionalRecord } from '../access';
import { failedResultConsequences } from './failed-result';
import { loadSample } from './load-sample';
import { liftHoldWrites } from '../lots/holds';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store';
import { attachmentsWrite, type AttachmentRef } from '../attachments/attachments';

export interface RecordResultInput {
  sampleId: string;
  analytes: unknown[];
  testedAt: string;
  reportNo?: string;
  method?: string;
  /** The test report and analysis documents (uploaded before; the ledger keeps their SHA-256). */
  attachments?: AttachmentRef[];
}
export class RecordResultCommand extends LedgerCommand<RecordResultInput> {}

export interface RecordedResult {
  sampleId: string;
  round: 'initial' | 'retest';
  verdict: Verdict;
  /** The verdict that stands (a re-test replaces the first result). */
  finalVerdict: Verdict;
  outcomes: AnalyteOutcome[];
  caseId: string | null;
  warnings: { warningId: string; traceCode: string | null }[];
  closedWarnings: string[];
  /** Lots this result put on hold, or whose hold it lifted (a passing re-test). */
  heldLots: string[];
  liftedLots: string[];
}

/**
 * 检测结果 (seed 002, 第十六/二十四条): the lab enters the values; the verdict is computed against the
 * sample's model. One append carries the result and its consequences:
 *  - a failure (first result, or a re-test confirming an inconclusive one) → enforcement case, sample
 *    referred, holds on the sampled lot and every lot downstream (see failed-result.ts);
 *  - a re-test → an action on the case; when it passes, the holds it owns are lifted on every lot and the
 *    sample's warnings close (复检结论为准).
 */
@CommandHandler(RecordResultCommand)
export class RecordResultHandler implements ICommandHandler<RecordResultCommand, CommandOutcome<RecordedResult>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(BLOB_STORE) private readonly blobs?: BlobStore,
  ) {}

  execute({ input, meta }: RecordResultCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const ctx = { now: this.clock.now(), actor: meta.actor };
        const sample = await loadSample(this.ledger, input.sampleId);
        // A lab records results only for what was sampled in its region (its own samples: the decider).
        if (sample.state.subject) assertAllowed(meta.actor, 'act', regionalRecord('sample', input.sampleId, sample.state.subject.regionCode));
        const { sampleId: _s, attachments, ...data } = input;
        const recorded = decider.decide({ type: 'RecordResult', data }, sample.state, ctx);
        const attached = await attachmentsWrite(this.ledger, this.blobs, { kind: 'sample', id: input.sampleId }, attachments, ctx);
        const result = recorded[0]!.data as ResultRecorded['data'];
        let state = recorded.reduce(decider.evolve, sample.state);
        const sampleEvents = [...recorded];
        const writes: StreamWrite[] = [];

        if (finalVerdict(state) === 'fail' && !state.caseId) {
          const c = await failedResultConsequences(
            { ledger: this.ledger, ids: this.ids, models: this.models, progress: this.progress, store: this.store },
            state,
            result,
            await loadRiskRules(this.ledger),
            ctx,
          );
          const referred = decider.decide({ type: 'ReferSample', data: { caseId: c.caseId } }, state, ctx);
          state = referred.reduce(decider.evolve, state);
          sampleEvents.push(...referred);
          // Holds before warnings: the lots read model files each warning under its lot's hold.
          writes.push(c.caseWrite, ...c.holdWrites, ...c.warningWrites);
        } else if (result.round === 'retest' && state.caseId) {
          const action = await caseActionWrite(
            this.ledger,
            state.caseId,
            'retest-result',
            `复检${VERDICT_LABELS_ZH[result.verdict]}${result.failed.length ? `（${result.failed.join('、')}）` : ''}，检测机构 ${result.labOrgId}`,
            ctx,
          );
          if (action) writes.push(action);
        }
        if (result.round === 'retest' && result.verdict === 'pass') {
          // 复检结论为准: the passing re-test is the decision that owns the failed result's holds.
          const deps = { ledger: this.ledger, models: this.models, progress: this.progress, store: this.store };
          writes.push(...(await liftHoldWrites(deps, { kind: 'retest-passed', sampleId: input.sampleId }, '复检合格，解除暂停销售', ctx)));
          const open = await this.models.find('risk_warnings', { 'cause.sampleId': input.sampleId, state: { $in: ['raised', 'acknowledged'] } }, { limit: 10_000 });
          for (const w of open) {
            const write = await closeWrite(this.ledger, w._id, '复检合格，解除预警', 'retest-passed', ctx);
            if (write) writes.push(write);
          }
        }
        return [{ stream: sample, events: sampleEvents }, ...writes, ...(attached ? [attached] : [])];
      },
      (events) => {
        const result = events.find((e) => e.type === 'ResultRecorded')!.data as ResultRecorded['data'];
        const referred = events.find((e) => e.type === 'SampleReferred');
        return {
          sampleId: result.sampleId,
          round: result.round,
          verdict: result.verdict,
          finalVerdict: result.verdict,
          outcomes: result.outcomes,
          caseId: referred ? (referred.data as { caseId: string }).caseId : null,
          warnings: events
            .filter((e) => e.type === 'WarningRaised')
            .map((e) => ({ warningId: (e.data as { warningId: string }).warningId, traceCode: (e.data as { subject: { traceCode: string | null } }).subject.traceCode })),
          closedWarnings: events.filter((e) => e.type === 'WarningClosed').map((e) => (e.data as { warningId: string }).warningId),
          heldLots: events.filter((e) => e.type === 'LotPutOnHold').map((e) => (e.data as { traceCode: string }).traceCode),
          liftedLots: events.filter((e) => e.type === 'LotHoldLifted').map((e) => (e.data as { traceCode: string }).traceCode),
        };
      },
    );
  }
}
