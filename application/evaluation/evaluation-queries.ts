import { compositeScore, effectiveCriteria, gradeOf, type CriteriaState, type EvaluationCriteria, type EvaluationIndicator } from '../../domain/evaluation/criteria';
import type { ReadModels } from '../ports/read-models';
import type { Filter } from '../ports/read-store';
import { sumInto, type Counters } from '../statistics/indicators';
import { addMonths, change, lastDayOfMonth, monthsOf, type DayRange } from '../statistics/periods';
import { countersOf, levelOfRegion, rangeDocs, regionLabel } from '../statistics/statistics-queries';

/**
 * 运行监测评价: each indicator a share (0–1) computed from the statistics read models over a period, the
 * composite per region and per enterprise by the region's criteria (domain/evaluation/criteria.ts), graded
 * 优秀 / 良好 / 达标 / 不达标. Indicators whose source is not built yet come from `sources` (null → left out).
 */
export interface EvaluationSources {
  /** 数据质量评分 of a region, 0–1 (DATA-QUALITY's per-region score), or null when unknown. */
  dataQuality?: (region: string) => Promise<number | null>;
  /** 产地信息及时率 of a region, 0–1 (origin records on time), or null when unknown. */
  originTimeliness?: (region: string) => Promise<number | null>;
}

const share = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const get = (c: Counters, k: string) => c[k] ?? 0;

export function indicatorValues(c: Counters): Record<'reviewOnTime' | 'confirmationRate' | 'passRate', number | null> {
  return {
    // 注册审核及时率: decisions within the review deadline, of all decisions in the period.
    reviewOnTime: share(get(c, 'reviewsOnTime'), get(c, 'reviewsOnTime') + get(c, 'reviewsLate')),
    // 交接确认率: confirmed hand-overs of those the receivers settled.
    confirmationRate: share(get(c, 'transfersConfirmed'), get(c, 'transfersConfirmed') + get(c, 'transfersRejected')),
    // 监测合格率: passing results of those with a pass or fail verdict.
    passRate: share(get(c, 'results:pass'), get(c, 'results:pass') + get(c, 'results:fail')),
  };
}

function scored(values: Partial<Record<EvaluationIndicator, number | null>>, criteria: EvaluationCriteria) {
  const score = compositeScore(values, criteria);
  const indicators = Object.fromEntries(
    (Object.keys(criteria.indicators) as EvaluationIndicator[]).map((k) => {
      const v = values[k] ?? null;
      return [k, { value: v, target: criteria.indicators[k].target, weight: criteria.indicators[k].weight, met: v === null ? null : v >= criteria.indicators[k].target }];
    }),
  );
  return { score, grade: gradeOf(score, criteria.grades), indicators };
}

async function extra(sources: EvaluationSources, region: string) {
  const [dataQuality, originTimeliness] = await Promise.all([sources.dataQuality?.(region) ?? null, sources.originTimeliness?.(region) ?? null]);
  return { dataQuality, originTimeliness };
}

/** Top and bottom ten of scored rows (rows without a score are neither). */
function ranks<T extends { score: number | null; key: string }>(rows: T[]) {
  const ranked = rows.filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || a.key.localeCompare(b.key));
  return { top: ranked.slice(0, 10), bottom: [...ranked].reverse().slice(0, 10) };
}

/** The region itself and each region one level below it, scored for the range; top and bottom ten. */
export async function regionEvaluation(models: ReadModels, state: CriteriaState, sources: EvaluationSources, region: string, range: DayRange) {
  const level = Math.min(4, levelOfRegion(region) + 1);
  const childSelection: Filter = { level, product: '*', ...(region ? { region: { $prefix: region } } : {}) };
  const [own, children] = await Promise.all([rangeDocs(models, { region, product: '*' }, range), rangeDocs(models, childSelection, range)]);
  const ownCounters = own.reduce((acc, d) => sumInto(acc, countersOf(d)), {} as Counters);
  const byChild = new Map<string, Counters>();
  for (const d of children) byChild.set(d.region as string, sumInto(byChild.get(d.region as string) ?? {}, countersOf(d)));
  const rows = await Promise.all(
    [...byChild.entries()].map(async ([code, c]) => {
      const criteria = effectiveCriteria(state, code);
      return { key: code, name: regionLabel(code), ...scored({ ...indicatorValues(c), ...(await extra(sources, code)) }, criteria) };
    }),
  );
  rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.key.localeCompare(b.key));
  const criteria = effectiveCriteria(state, region);
  return {
    region: { code: region, name: regionLabel(region), level: levelOfRegion(region) },
    range,
    criteria,
    own: scored({ ...indicatorValues(ownCounters), ...(await extra(sources, region)) }, criteria),
    rows,
    ...ranks(rows),
    sources: { dataQuality: Boolean(sources.dataQuality), originTimeliness: Boolean(sources.originTimeliness) },
  };
}

/** Each enterprise of the region with hand-overs or test results in the range, scored by its region's criteria. */
export async function enterpriseEvaluation(models: ReadModels, state: CriteriaState, region: string, range: DayRange) {
  const months = monthsOf(range);
  const docs = await models.find('stats_entities', { grain: 'month', period: { $gte: months[0]!, $lte: months[months.length - 1]! }, ...(region ? { region: { $prefix: region } } : {}) });
  const byEntity = new Map<string, { region: string; name: string | null; c: Counters }>();
  for (const d of docs) {
    const e = byEntity.get(d.entityId as string) ?? { region: d.region as string, name: null, c: {} };
    e.name ??= (d.name as string | null) ?? null;
    sumInto(e.c, countersOf(d));
    byEntity.set(d.entityId as string, e);
  }
  // Names come with registration (all-time doc): fill the ones the month documents lack.
  const missing = [...byEntity.entries()].filter(([, e]) => !e.name).map(([id]) => `all:all|${id}`);
  if (missing.length) for (const d of await models.getMany('stats_entities', missing)) if (d) byEntity.get(d.entityId as string)!.name = (d.name as string | null) ?? null;
  const rows = [...byEntity.entries()].map(([entityId, e]) => {
    const v = indicatorValues(e.c);
    return { key: entityId, entityId, name: e.name ?? entityId, region: e.region, regionName: regionLabel(e.region), ...scored({ confirmationRate: v.confirmationRate, passRate: v.passRate }, effectiveCriteria(state, e.region)) };
  });
  rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.key.localeCompare(b.key));
  return { region: { code: region, name: regionLabel(region) }, range: { from: `${months[0]}-01`, to: lastDayOfMonth(months[months.length - 1]!) }, total: rows.length, ...ranks(rows), rows: rows.slice(0, 500) };
}

/** The region's composite month by month, with 同比 (the same month a year before) and 环比 (the month before). */
export async function evaluationTrend(models: ReadModels, state: CriteriaState, sources: EvaluationSources, region: string, range: DayRange) {
  const months = monthsOf(range);
  const widened: DayRange = { from: `${addMonths(months[0]!, -12)}-01`, to: lastDayOfMonth(months[months.length - 1]!) };
  const docs = await models.find('stats', { grain: 'month', region, product: '*', period: { $gte: widened.from.slice(0, 7), $lte: widened.to.slice(0, 7) } });
  const byMonth = new Map(docs.map((d) => [d.period as string, countersOf(d)]));
  const criteria = effectiveCriteria(state, region);
  const more = await extra(sources, region);
  const scoreOf = (m: string) => compositeScore({ ...indicatorValues(byMonth.get(m) ?? {}), ...more }, criteria);
  return {
    region: { code: region, name: regionLabel(region) },
    points: months.map((m) => {
      const score = scoreOf(m);
      const lastYear = scoreOf(addMonths(m, -12));
      const previous = scoreOf(addMonths(m, -1));
      return {
        period: m,
        score,
        grade: gradeOf(score, criteria.grades),
        values: indicatorValues(byMonth.get(m) ?? {}),
        yoy: score !== null && lastYear !== null ? change(score, lastYear) : null,
        mom: score !== null && previous !== null ? change(score, previous) : null,
      };
    }),
  };
}
