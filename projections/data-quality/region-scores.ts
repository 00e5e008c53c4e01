import type { ProjectionContext } from '../runner/projection';
import type { FindingDoc } from './findings';

/**
 * `dq_region_scores`: what the 数据质量评分 of a region needs, kept per region so that the score of the country
 * and of every province or city is read from a few documents instead of every open finding (the evaluation
 * dashboard's national route took 2.8 s on that scan). One document per region prefix a record counts at — the
 * country, its province, city and county (the first 2, 4, 6 digits of its county code, as the score's
 * breakdown groups them) — holding, as increments (decision 0025):
 *  - `subjects`: records checked (+1 when first checked, −1 when withdrawn);
 *  - `open|<day>|<severity>`: open findings by the UTC day of their firstSeenAt. A stale-record finding is written
 *    ahead and opens by the clock alone, so the score at an instant sums the days before today and reads today's
 *    findings themselves (application/data-quality/queries.ts).
 */
export const REGION_SCORES = 'dq_region_scores';

export const regionScoreId = (region: string) => `r:${region}`;

/** The prefixes a county code counts at: '' (the country) and its first 2, 4 and 6 digits. */
export function scoreRegions(code: string): string[] {
  const out = [''];
  for (const n of [2, 4, 6]) if (code.length >= n) out.push(code.slice(0, n));
  return out;
}

/** Level of a score region: 0 the country, 1 a province, 2 a city, 3 a county. */
export const scoreLevel = (region: string) => (region.length === 0 ? 0 : region.length <= 2 ? 1 : region.length <= 4 ? 2 : 3);

export const openKey = (firstSeenAt: string, severity: string) => `open|${firstSeenAt.slice(0, 10)}|${severity}`;

function count(ctx: ProjectionContext, code: string, add: Record<string, number>): void {
  if (!ctx.inc) throw new Error('data-quality: the context cannot increment (the runner\'s BatchContext can)');
  for (const region of scoreRegions(code))
    ctx.inc(REGION_SCORES, regionScoreId(region), add, { init: { region, level: scoreLevel(region), parent: region ? region.slice(0, Math.max(0, region.length - 2)) : null } });
}

/** A record first checked (+1) or withdrawn (−1) in its county. */
export function countSubject(ctx: ProjectionContext, regionCode: string, delta: 1 | -1): void {
  count(ctx, regionCode, { subjects: delta });
}

/** A finding's change within one event: −1 where it was open, +1 where it is open now. */
export function countFinding(ctx: ProjectionContext, before: FindingDoc | null, after: FindingDoc | null): void {
  const was = before?.status === 'open' ? before : null;
  const is = after?.status === 'open' ? after : null;
  if (was && is && was.regionCode === is.regionCode && openKey(was.firstSeenAt, was.severity) === openKey(is.firstSeenAt, is.severity)) return;
  if (was) count(ctx, was.regionCode, { [openKey(was.firstSeenAt, was.severity)]: -1 });
  if (is) count(ctx, is.regionCode, { [openKey(is.firstSeenAt, is.severity)]: 1 });
}
