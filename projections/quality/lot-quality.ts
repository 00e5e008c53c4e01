import type { ResultRecorded } from '../../domain/sampling/events';
import { VERDICT_LABELS_ZH, type AnalyteOutcome } from '../../domain/sampling/verdict';
import type { WarningClosed, WarningRaised } from '../../domain/risk/warning';
import type { RecordedEvent } from '../../application/ports/event-store';
import type { ProjectionContext } from '../runner/projection';

/**
 * The quality side of the `lots` read model, folded by the lots projection: `verdicts` (lab verdicts on
 * the lot itself, and the verdict inherited from an upstream lot while its hold warning is open). Holds
 * themselves are folded from the lot stream by projections/lots/lot-holds.ts.
 * Both are public-safe: no personal data, only product, analytes, values and limits.
 */
export const LOT_QUALITY_EVENT_TYPES = ['ResultRecorded', 'WarningRaised', 'WarningClosed'] as const;

export function isLotQualityEvent(type: string): boolean {
  return (LOT_QUALITY_EVENT_TYPES as readonly string[]).includes(type);
}

function failedAnalytes(outcomes: AnalyteOutcome[]) {
  return outcomes
    .filter((o) => o.verdict === 'fail')
    .map((o) => ({
      name: o.name,
      value: o.valueInLimitUnit ?? (o.measurement.kind === 'value' ? o.measurement.value : null),
      unit: o.limit.kind === 'max' ? o.limit.unit : o.measurement.kind === 'value' ? o.measurement.unit : null,
      limit: o.limit.kind === 'max' ? `≤ ${o.limit.value} ${o.limit.unit}` : '不得检出',
    }));
}

export async function applyLotQuality(raw: RecordedEvent, ctx: ProjectionContext): Promise<void> {
  if (raw.type === 'ResultRecorded') {
    const d = raw.data as unknown as ResultRecorded['data'];
    if (!d.traceCode) return;
    const lot = await ctx.get('lots', d.traceCode);
    if (!lot) return; // sampled by a code the ledger checked; its LotCreated is always earlier, so only a gap in a partial rebuild lands here
    const verdict = {
      sampleId: d.sampleId,
      round: d.round,
      verdict: d.verdict,
      verdictLabel: VERDICT_LABELS_ZH[d.verdict],
      testedAt: d.testedAt,
      failed: failedAnalytes(d.outcomes),
      sampledTraceCode: d.traceCode,
      inherited: false,
    };
    ctx.put('lots', { ...lot, verdicts: [...((lot.verdicts as unknown[]) ?? []), verdict] });
    return;
  }
  if (raw.type === 'WarningRaised') {
    const w = raw.data as unknown as WarningRaised['data'];
    if (!w.hold || w.subject.kind !== 'lot' || !w.subject.traceCode) return;
    const lot = await ctx.get('lots', w.subject.traceCode);
    if (!lot) return;
    const verdicts = (lot.verdicts as Record<string, unknown>[]) ?? [];
    const evidence = w.evidence as { sampleId?: string; round?: string; verdict?: 'fail'; testedAt?: string; failed?: { name: string; valueInLimitUnit: number | null; measurement: AnalyteOutcome['measurement']; limit: AnalyteOutcome['limit'] }[]; sampledTraceCode?: string };
    const inherited =
      w.cause.kind === 'propagation' && evidence.verdict
        ? [
            {
              sampleId: evidence.sampleId ?? null,
              round: evidence.round ?? 'initial',
              verdict: evidence.verdict,
              verdictLabel: VERDICT_LABELS_ZH[evidence.verdict],
              testedAt: evidence.testedAt ?? null,
              failed: failedAnalytes((evidence.failed ?? []).map((f) => ({ ...f, code: f.name, detected: true, lod: null, verdict: 'fail', basis: 'exceeds-limit' }) as AnalyteOutcome)),
              sampledTraceCode: evidence.sampledTraceCode ?? w.cause.sourceTraceCode,
              inherited: true,
              warningId: w.warningId,
            },
          ]
        : [];
    ctx.put('lots', { ...lot, verdicts: [...verdicts, ...inherited] });
    return;
  }
  if (raw.type === 'WarningClosed') {
    const w = raw.data as unknown as WarningClosed['data'];
    if (!w.hold || !w.subject.traceCode) return;
    const lot = await ctx.get('lots', w.subject.traceCode);
    if (!lot) return;
    ctx.put('lots', {
      ...lot,
      verdicts: ((lot.verdicts as { warningId?: string }[]) ?? []).filter((v) => v.warningId !== w.warningId),
    });
  }
}
