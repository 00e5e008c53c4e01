import { regionName } from '../../domain/shared/region-codes';
import type { ReadModels } from '../ports/read-models';
import type { Filter, ReadDoc } from '../ports/read-store';
import { analyteRates, currentOf, indicatorsOf, INDICATORS, splitOf, sumInto, type Counters } from './indicators';
import { addDays, addMonths, change, daysIn, lastDayOfMonth, monthsOf, previousPeriod, splitRange, yearBefore, type DayRange } from './periods';

/**
 * The dashboards' queries over the pre-aggregated `stats` read model (projections/statistics): each reads a
 * few bucket documents — whole months from month buckets, the rest from day buckets — and never the log.
 * `region` is a GB/T 2260 prefix already narrowed to the caller's scope by the access policy.
 */
export const ALL = '*';

export interface StatsQuery {
  region: string;
  range: DayRange;
  product?: string;
}

const productOf = (q: StatsQuery) => q.product ?? ALL;

/** Level of a prefix: 0 country, 1 province, 2 city, 3 county, 4 township. */
export function levelOfRegion(region: string): number {
  return region.length === 0 ? 0 : region.length <= 2 ? 1 : region.length <= 4 ? 2 : region.length <= 6 ? 3 : 4;
}

export function regionLabel(region: string): string {
  if (region === '') return '全国';
  return regionName(region.length >= 6 ? region.slice(0, 6) : region.padEnd(6, '0')) ?? region;
}

/** The bucket documents covering a range for a selection (whole months + the days of partial months). */
export async function rangeDocs(models: ReadModels, selection: Filter, range: DayRange): Promise<ReadDoc[]> {
  const { months, days } = splitRange(range);
  const parts: Promise<ReadDoc[]>[] = [];
  if (months.length) parts.push(models.find('stats', { ...selection, grain: 'month', period: { $gte: months[0]!, $lte: months[months.length - 1]! } }));
  for (const d of days) parts.push(models.find('stats', { ...selection, grain: 'day', period: { $gte: d.from, $lte: d.to } }));
  const found = (await Promise.all(parts)).flat();
  // Month buckets come back for every month between the first and the last whole month: keep the whole ones.
  const whole = new Set(months);
  return found.filter((d) => d.grain === 'day' || whole.has(d.period as string));
}

export const countersOf = (d: ReadDoc) => (d.c as Counters) ?? {};

async function totals(models: ReadModels, q: StatsQuery, range: DayRange): Promise<Counters> {
  const docs = await rangeDocs(models, { region: q.region, product: productOf(q) }, range);
  return docs.reduce((acc, d) => sumInto(acc, countersOf(d)), {} as Counters);
}

/**
 * 逾期未审: applications still open whose deadline day is before today. The projection counts an open review
 * on its deadline's day, so this is the sum of the past months' buckets and this month's past days.
 */
async function overdueReviews(models: ReadModels, region: string, today: string): Promise<number> {
  const thisMonth = today.slice(0, 7);
  const [months, days] = await Promise.all([
    models.find('stats', { grain: 'month', region, product: ALL, period: { $lt: thisMonth } }),
    models.find('stats', { grain: 'day', region, product: ALL, period: { $gte: `${thisMonth}-01`, $lt: today } }),
  ]);
  return [...months, ...days].reduce((n, d) => n + (countersOf(d).reviewsDueOpen ?? 0), 0);
}

/** Trend points: by day for ranges up to two months, else by month; each point with its 同比 and 环比. */
async function trend(models: ReadModels, q: StatsQuery) {
  const byDay = daysIn(q.range) <= 62;
  const grainKey = (period: string) => (byDay ? period : period.slice(0, 7));
  const keys: string[] = [];
  if (byDay) for (let d = q.range.from; d <= q.range.to; d = addDays(d, 1)) keys.push(d);
  else keys.push(...monthsOf(q.range));
  const collect = async (range: DayRange) => {
    const docs = byDay
      ? await models.find('stats', { region: q.region, product: productOf(q), grain: 'day', period: { $gte: range.from, $lte: range.to } })
      : await rangeDocs(models, { region: q.region, product: productOf(q) }, range);
    const out = new Map<string, Counters>();
    for (const d of docs) {
      const k = grainKey(d.period as string);
      out.set(k, sumInto(out.get(k) ?? {}, countersOf(d)));
    }
    return out;
  };
  const before = byDay ? { from: addDays(q.range.from, -1), to: addDays(q.range.from, -1) } : { from: `${addMonths(q.range.from.slice(0, 7), -1)}-01`, to: lastDayOfMonth(addMonths(q.range.from.slice(0, 7), -1)) };
  const [now, lastYear, previous] = await Promise.all([collect(q.range), collect(yearBefore(q.range)), collect(before)]);
  const yearAgoKey = (k: string) => `${Number(k.slice(0, 4)) - 1}${k.slice(4)}`;
  let prev = indicatorsOf(previous.values().next().value ?? {});
  return {
    grain: byDay ? ('day' as const) : ('month' as const),
    points: keys.map((period) => {
      const values = indicatorsOf(now.get(period) ?? {});
      const yearAgo = indicatorsOf(lastYear.get(yearAgoKey(period)) ?? {});
      const point = { period, values, yoy: compare(values, yearAgo), mom: compare(values, prev) };
      prev = values;
      return point;
    }),
  };
}

function compare(now: ReturnType<typeof indicatorsOf>, before: ReturnType<typeof indicatorsOf>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const k of INDICATORS) {
    const a = now[k];
    const b = before[k];
    out[k] = a === null || b === null ? null : change(a, b);
  }
  return out;
}

/**
 * The read models for one answer, with each distinct `find` asked once: the overview's cards and its trend sum
 * the same month buckets (the range, the year before), so a third of its queries were repeats. Callers only
 * read the documents (sums go into new objects), so sharing one answer between them is safe.
 */
export function onceEach(models: ReadModels): ReadModels {
  const finds = new Map<string, Promise<ReadDoc[]>>();
  return {
    get: (collection, id) => models.get(collection, id),
    getMany: (collection, ids) => models.getMany(collection, ids),
    find: (collection, filter, options) => {
      const key = JSON.stringify([collection, filter, options ?? null]);
      let found = finds.get(key);
      if (!found) finds.set(key, (found = models.find(collection, filter, options)));
      return found;
    },
    count: (collection, filter) => models.count(collection, filter),
    search: (query) => models.search(query),
    ...(models.walk ? { walk: models.walk.bind(models) } : {}),
  };
}

/** 概览: cards for the range with 同比 / 环比, the state now, the trend, pass rate per analyte, open warnings by level. */
export async function statisticsOverview(all: ReadModels, q: StatsQuery, today: string) {
  const models = onceEach(all);
  const previous = previousPeriod(q.range);
  const yearAgo = yearBefore(q.range);
  const [current, before, lastYear, allTime, overdue, trendData] = await Promise.all([
    totals(models, q, q.range),
    totals(models, q, previous),
    totals(models, q, yearAgo),
    models.get('stats', `all:all|${q.region}|${productOf(q)}`),
    overdueReviews(models, q.region, today),
    trend(models, q),
  ]);
  const values = indicatorsOf(current);
  const prevValues = indicatorsOf(before);
  const yearValues = indicatorsOf(lastYear);
  return {
    region: { code: q.region, name: regionLabel(q.region), level: levelOfRegion(q.region) },
    product: q.product ?? null,
    range: q.range,
    previous,
    yearAgo,
    cards: INDICATORS.map((key) => ({ key, value: values[key], previous: prevValues[key], yearAgo: yearValues[key], mom: compare(values, prevValues)[key], yoy: compare(values, yearValues)[key] })),
    current: currentOf(allTime ? countersOf(allTime) : {}, overdue),
    samplesByTaskKind: splitOf(current, 'samples'),
    resultsByVerdict: splitOf(current, 'results'),
    warningsRaisedByLevel: splitOf(current, 'warningsRaised'),
    entitiesAppliedByType: splitOf(current, 'entitiesApplied'),
    analytes: analyteRates(current),
    trend: trendData,
  };
}

export type BreakdownBy = 'region' | 'product' | 'month';

/**
 * 分组: the range's figures per sub-region (the next level down, or `level` further down: a province's
 * counties), per product, or per month. Rows carry the counts and rates of INDICATORS.
 */
export async function statisticsBreakdown(models: ReadModels, q: StatsQuery, by: BreakdownBy, level?: number) {
  if (by === 'month') {
    const t = await trend(models, { ...q, range: { from: `${q.range.from.slice(0, 7)}-01`, to: q.range.to } });
    return { by, region: q.region, rows: t.points.map((p) => ({ key: p.period, name: p.period, values: p.values })) };
  }
  const selection: Filter =
    by === 'region'
      ? { level: level ?? Math.min(4, levelOfRegion(q.region) + 1), product: productOf(q), ...(q.region ? { region: { $prefix: q.region } } : {}) }
      : { region: q.region, product: { $ne: ALL } };
  if (by === 'product' && q.product) selection.product = q.product;
  const docs = await rangeDocs(models, selection, q.range);
  const groups = new Map<string, Counters>();
  for (const d of docs) {
    const key = (by === 'region' ? d.region : d.product) as string;
    groups.set(key, sumInto(groups.get(key) ?? {}, countersOf(d)));
  }
  const rows = [...groups.entries()]
    .map(([key, c]) => ({ key, name: by === 'region' ? regionLabel(key) : key, values: indicatorsOf(c) }))
    .sort((a, b) => (b.values.lotsCreated ?? 0) - (a.values.lotsCreated ?? 0) || a.key.localeCompare(b.key));
  return { by, region: q.region, ...(by === 'region' ? { level: selection.level } : {}), rows };
}

export type FlowKind = 'transfer' | 'market';
export type FlowLevel = 'province' | 'county';

/**
 * 产品流向: quantities moved between provinces (or counties) in the months of the range, touching the region
 * (from it, to it, or both). Flow buckets are monthly: a range is widened to whole months.
 */
export async function statisticsFlows(models: ReadModels, q: StatsQuery, kind: FlowKind, level: FlowLevel) {
  const months = monthsOf(q.range);
  const base: Filter = { kind, level, grain: 'month', product: productOf(q), period: { $gte: months[0]!, $lte: months[months.length - 1]! } };
  const queries = q.region ? [models.find('stats_flows', { ...base, from: { $prefix: q.region } }), models.find('stats_flows', { ...base, to: { $prefix: q.region } })] : [models.find('stats_flows', base)];
  const unique = new Map<string, ReadDoc>();
  for (const d of (await Promise.all(queries)).flat()) unique.set(d._id, d);
  const pairs = new Map<string, { from: string; to: string; c: Counters }>();
  for (const d of unique.values()) {
    const key = `${d.from}>${d.to}`;
    const pair = pairs.get(key) ?? { from: d.from as string, to: d.to as string, c: {} };
    sumInto(pair.c, countersOf(d));
    pairs.set(key, pair);
  }
  const rows = [...pairs.values()]
    .map((p) => ({
      from: p.from,
      fromName: regionLabel(p.from),
      to: p.to,
      toName: regionLabel(p.to),
      moves: p.c.moves ?? 0,
      kg: (p.c['qty:g'] ?? 0) / 1000,
      counts: Object.fromEntries(Object.entries(p.c).filter(([k]) => k.startsWith('qty:') && k !== 'qty:g').map(([k, v]) => [k.slice(4), v])),
    }))
    .sort((a, b) => b.kg - a.kg || b.moves - a.moves || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { kind, level, region: q.region, range: { from: `${months[0]}-01`, to: lastDayOfMonth(months[months.length - 1]!) }, rows };
}
