import { qualityScore, type Severity } from '../../domain/data-quality';
import { childOf, FINDINGS, REGION_SCORES, regionFilter, regionScores } from '../data-quality/queries';
import type { ReadModels } from '../ports/read-models';
import type { ReadDoc } from '../ports/read-store';
import { addDays } from '../statistics/periods';

/**
 * 数据质量评分 of a region and of each region one level below it, for the evaluation: the scores
 * `regionScores` (application/data-quality/queries.ts) gives, from the per-region counters only.
 * `regionScores` sums the counters of the days before today and reads today's open findings themselves (a
 * stale-record finding is written ahead and opens by the clock, at its firstSeenAt) — on a ledger whose findings
 * were mostly first seen today (a bench ledger ingested today: every one of the M ledger's) that read is every
 * finding, most of the national evaluation's 358 ms. Here today's counters are summed too, and what is taken
 * off is only what they hold ahead of the instant: today's open findings first seen after it, a handful.
 * Equal to `regionScores` as long as the counters equal the findings (the projection writes both in one batch;
 * tests/unit/application/evaluation/evaluation-sources.spec.ts holds them to the brute-force scores).
 * A county or a township is scored by `regionScores` itself (from its own findings).
 */
export async function dataQualityScores(models: ReadModels, region: string, now: Date): Promise<Map<string, number | null>> {
  if (region.length >= 6) {
    const dq = await regionScores(models, region, now);
    return new Map<string, number | null>([[dq.region.regionCode, dq.region.score], ...dq.children.map((c) => [c.regionCode, c.score] as [string, number | null])]);
  }
  const nowIso = now.toISOString();
  const today = nowIso.slice(0, 10);
  const childLevel = region.length === 0 ? 1 : region.length <= 2 ? 2 : 3;
  const [own, children, ahead] = await Promise.all([
    models.get(REGION_SCORES, `r:${region}`),
    models.find(REGION_SCORES, { level: childLevel, ...(region ? { region: { $prefix: region } } : {}) }),
    // Counted under today, not open yet at the instant.
    models.find(FINDINGS, { ...regionFilter(region), status: 'open', firstSeenAt: { $gt: nowIso, $lt: addDays(today, 1) } }),
  ]);
  const emptyOpen = (): Record<Severity, number> => ({ high: 0, medium: 0, low: 0 });
  const openOf = (doc: ReadDoc | null | undefined): Record<Severity, number> => {
    const open = emptyOpen();
    const c = (doc?.c as Record<string, number> | undefined) ?? {};
    for (const key in c) {
      if (!key.startsWith('open|')) continue;
      const [, day, severity] = key.split('|') as [string, string, Severity];
      if (day <= today && severity in open) open[severity] += c[key]!;
    }
    return open;
  };
  const ownOpen = openOf(own);
  const byChild = new Map<string, Record<Severity, number>>();
  for (const d of children) byChild.set(d.region as string, openOf(d));
  for (const d of ahead) {
    const severity = d.severity as Severity;
    ownOpen[severity]--;
    const o = byChild.get(childOf(region, d.regionCode as string));
    if (o) o[severity]--;
  }
  const subjectsOf = (doc: ReadDoc | null | undefined) => (doc?.c as Record<string, number> | undefined)?.subjects ?? 0;
  const scores = new Map<string, number | null>([[region, qualityScore(ownOpen, subjectsOf(own))]]);
  for (const d of children) scores.set(d.region as string, qualityScore(byChild.get(d.region as string)!, subjectsOf(d)));
  return scores;
}
