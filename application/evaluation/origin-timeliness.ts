import type { ReadModels } from '../ports/read-models';
import type { Filter, ReadDoc } from '../ports/read-store';
import { ORIGIN_DUE_PREFIXES, originDueId, STATS_ORIGIN_DUE } from '../../projections/statistics/origin-due.projection';

/**
 * 产地信息及时率 of a region: of its origin records (those whose village code starts with the region's code), the
 * share whose refresh is not past due at the instant (`refreshDueAt ≥ now`), or null without records.
 * Read from `stats_origin_due` (records per region by due day, projections/statistics/origin-due.projection.ts):
 * all = every counter, on time = the days after today plus, when today has records due, today's due at or after
 * the instant — counted from the records, within one day's due range. The region and the regions one level below
 * it are read in two queries up front; a region of another length is counted from the records, as before.
 */
export async function originTimelinessOf(models: ReadModels, region: string, now: Date): Promise<(code: string) => Promise<number | null>> {
  const nowIso = now.toISOString();
  const today = nowIso.slice(0, 10);
  const childLength = ORIGIN_DUE_PREFIXES.find((n) => n > region.length);
  const [own, children] = await Promise.all([
    models.get(STATS_ORIGIN_DUE, originDueId(region)),
    childLength === undefined ? Promise.resolve([]) : models.find(STATS_ORIGIN_DUE, { level: childLength, ...(region ? { region: { $prefix: region } } : {}) }),
  ]);
  const docs = new Map<string, ReadDoc | null>([[region, own], ...children.map((d) => [d.region as string, d] as [string, ReadDoc])]);
  const scope = (code: string): Filter => (code ? { villageCode: { $prefix: code } } : {});
  return async (code) => {
    if (!(ORIGIN_DUE_PREFIXES as readonly number[]).includes(code.length)) {
      const [all, onTime] = await Promise.all([models.count('origin_records', scope(code)), models.count('origin_records', { ...scope(code), refreshDueAt: { $gte: nowIso } })]);
      return all > 0 ? onTime / all : null;
    }
    const doc = docs.has(code) ? docs.get(code)! : await models.get(STATS_ORIGIN_DUE, originDueId(code));
    const c = (doc?.c as Record<string, number> | undefined) ?? {};
    let all = 0;
    let onTime = 0;
    for (const key in c) {
      all += c[key]!;
      // `none`: a due time that is not a dated string (projections/statistics/origin-due.projection.ts), never on time.
      if (key !== 'none' && key > today) onTime += c[key]!;
    }
    if ((c[today] ?? 0) > 0) onTime += await models.count('origin_records', { ...scope(code), refreshDueAt: { $gte: nowIso, $prefix: today } });
    return all > 0 ? onTime / all : null;
  };
}
