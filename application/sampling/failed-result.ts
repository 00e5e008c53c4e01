import type { ResultRecorded, SampleState } from '../../domain/sampling';
import { applicableRule, type AppliedRule } from '../../domain/risk/rules';
import type { warnings } from '../../domain/risk';
import type { DecisionContext } from '../../domain/shared/actor';
import type { IdGenerator } from '../ports/clock';
import type { EventStore } from '../ports/event-store';
import type { ProjectionProgress, ReadModels } from '../ports/read-models';
import type { ReadDoc } from '../ports/read-store';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import { openCaseWrite } from '../enforcement/cases';
import { raiseWrite } from '../risk/warnings';
import { holdWarningId, sampleWarningId } from '../risk/warning-ids';
import { traceChain } from '../trace/chain-query';
import { failedResultHoldId, putOnHoldWrites } from '../lots/holds';

export interface FailedResultDeps {
  ledger: Ledger;
  ids: IdGenerator;
  models: ReadModels;
  progress: ProjectionProgress;
  store: EventStore;
}

export interface Consequences {
  caseId: string;
  caseWrite: StreamWrite;
  /** LotPutOnHold on the sampled lot and every lot downstream, one holdId for all. */
  holdWrites: StreamWrite[];
  warningWrites: StreamWrite[];
  warnings: { warningId: string; traceCode: string | null }[];
}

/** The facts a warning carries about the failed result. */
export function failureEvidence(result: ResultRecorded['data']): Record<string, unknown> {
  return {
    sampleId: result.sampleId,
    taskId: result.taskId,
    round: result.round,
    verdict: result.verdict,
    reportNo: result.reportNo,
    testedAt: result.testedAt,
    sampledTraceCode: result.traceCode,
    failed: result.outcomes
      .filter((o) => o.verdict === 'fail')
      .map((o) => ({ code: o.code, name: o.name, measurement: o.measurement, valueInLimitUnit: o.valueInLimitUnit, limit: o.limit })),
  };
}

/**
 * What a failed result sets off (seed 002, 第二十七条; DOMAIN.md): the failure is referred to enforcement —
 * a case opens — and the sampled lot and every lot downstream of it (forward trace: everything made from
 * it since) are put on hold on their own streams, owned by the failed result and its case: nothing leaves
 * them until a passing re-test or the case's closing lifts the hold. By the ministry's `failedResult` rule,
 * a warning on each lot tells its holder. All of it is written in the same append as the result, so a
 * failure can never be recorded without its referral and its holds.
 *
 * Downstream lots are read from the trace graph once it has caught up with the ledger; a lot born later
 * from a pending transfer of a held lot is born held (application/transfers/settle.ts).
 */
export async function failedResultConsequences(
  deps: FailedResultDeps,
  sample: SampleState,
  result: ResultRecorded['data'],
  rules: AppliedRule[],
  ctx: DecisionContext,
): Promise<Consequences> {
  const caseId = deps.ids.uuid();
  let lots: ReadDoc[] = [];
  if (sample.traceCode) {
    await deps.progress.waitFor(await deps.store.headPosition(), 10_000);
    const chain = await traceChain(deps.models, sample.traceCode, 'forward', 64);
    lots = chain ? [...chain.lots].sort((a, b) => (a._id === sample.traceCode ? -1 : b._id === sample.traceCode ? 1 : 0)) : [];
  }
  const traceCodes = sample.traceCode ? [sample.traceCode, ...lots.map((l) => l._id).filter((c) => c !== sample.traceCode)] : [];
  const failedNames = result.failed.join('、') || result.verdict;
  const caseWrite = openCaseWrite(
    deps.ledger,
    {
      caseId,
      referral: { kind: 'sample', sampleId: result.sampleId, taskId: result.taskId, verdict: result.verdict, failed: result.failed, reportNo: result.reportNo },
      subject: { ...result.subject },
      product: result.product,
      traceCodes,
      summary: `${result.product}样品检测不合格（${failedNames}），${result.round === 'retest' ? '复检确认，' : ''}依法移交执法机构处理`,
      referredBy: { orgId: ctx.actor.orgId, userId: ctx.actor.userId },
    },
    ctx,
  );

  const holdWrites = sample.traceCode
    ? await putOnHoldWrites(
        deps.ledger,
        {
          holdId: failedResultHoldId(result.sampleId),
          owner: { kind: 'failed-result', id: result.sampleId, caseId },
          lots: traceCodes.map((code) =>
            code === sample.traceCode
              ? { traceCode: code, reason: `${result.product}抽检不合格：${failedNames}`, inheritedFrom: null }
              : { traceCode: code, reason: `上游批次 ${sample.traceCode} 抽检不合格（${failedNames}），本批次由其流转而来`, inheritedFrom: sample.traceCode! },
          ),
        },
        ctx,
      )
    : [];

  const rule = applicableRule(rules, 'failedResult');
  const raises: warnings.RaiseWarning['data'][] = [];
  const evidence = failureEvidence(result);
  if (rule && sample.traceCode) {
    const byCode = new Map(lots.map((l) => [l._id, l]));
    const root = holdWarningId(result.sampleId, sample.traceCode);
    for (const code of traceCodes) {
      const lot = byCode.get(code);
      const holder = (lot?.holder as { entityId: string; name: string; regionCode: string } | undefined) ?? {
        entityId: result.subject.entityId ?? '',
        name: result.subject.entityName,
        regionCode: result.subject.regionCode,
      };
      const sampled = code === sample.traceCode;
      raises.push({
        warningId: holdWarningId(result.sampleId, code),
        rule,
        subject: { kind: 'lot', regionCode: holder.regionCode, traceCode: code, entityId: holder.entityId || null, entityName: holder.name, product: (lot?.product as string) ?? result.product, transferId: null, sampleId: result.sampleId },
        reason: sampled
          ? `${result.product}抽检不合格：${failedNames}`
          : `上游批次 ${sample.traceCode} 抽检不合格（${failedNames}），本批次由其流转而来`,
        cause: { kind: sampled ? 'sample' : 'propagation', ref: result.sampleId, sampleId: result.sampleId, sourceTraceCode: sample.traceCode, sourceWarningId: sampled ? null : root },
        hold: true,
        evidence,
      });
    }
  } else if (rule) {
    // A hand-entered product has no lot to hold: the warning is about the sample (and its entity, if known).
    raises.push({
      warningId: sampleWarningId(result.sampleId),
      rule,
      subject: { kind: 'sample', regionCode: result.subject.regionCode, traceCode: null, entityId: result.subject.entityId, entityName: result.subject.entityName, product: result.product, transferId: null, sampleId: result.sampleId },
      reason: `${result.product}抽检不合格：${failedNames}（无追溯码，手工录入）`,
      cause: { kind: 'sample', ref: result.sampleId, sampleId: result.sampleId, sourceTraceCode: null, sourceWarningId: null },
      hold: false,
      evidence,
    });
  }
  const warningWrites: StreamWrite[] = [];
  for (const data of raises) {
    const write = await raiseWrite(deps.ledger, data, ctx);
    if (write) warningWrites.push(write);
  }
  return { caseId, caseWrite, holdWrites, warningWrites, warnings: raises.map((r) => ({ warningId: r.warningId, traceCode: r.subject.traceCode })) };
}
