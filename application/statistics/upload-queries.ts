import type { ReadModels } from '../ports/read-models';
import type { Filter, ReadDoc } from '../ports/read-store';
import { sumInto, type Counters } from './indicators';
import { daysIn, splitRange, type DayRange } from './periods';
import { levelOfRegion, regionLabel } from './statistics-queries';

/**
 * 数据传输监控 (seed 004 §六(二)): what was uploaded (batch route, 采集表 imports) in a range — total, valid,
 * problem and resent items — for the region, per sub-region (实时监控 by city, drill-down), per client (节点企业 /
 * provincial platform) and day by day or month by month (进度监控). Reads the `uploads` projection's buckets.
 */
export type UploadsBy = 'region' | 'client' | 'day' | 'month';

export interface UploadFigures {
  items: number;
  valid: number;
  problems: number;
  resent: number;
  /** valid ÷ (valid + problems): resent items are neither. */
  validRate: number | null;
  byChannel: Record<string, number>;
  problemCodes: Record<string, number>;
}

export function uploadFigures(c: Counters): UploadFigures {
  const get = (k: string) => c[k] ?? 0;
  const pick = (prefix: string) => Object.fromEntries(Object.entries(c).filter(([k, v]) => k.startsWith(prefix) && v !== 0).map(([k, v]) => [k.slice(prefix.length), v]));
  const valid = get('valid');
  const problems = get('problems');
  return { items: get('items'), valid, problems, resent: get('resent'), validRate: valid + problems > 0 ? valid / (valid + problems) : null, byChannel: pick('items:'), problemCodes: pick('problem:') };
}

/** Documents covering the range: whole months from month buckets, the rest from day buckets. */
async function rangeDocs(models: ReadModels, collection: string, selection: Filter, range: DayRange): Promise<ReadDoc[]> {
  const { months, days } = splitRange(range);
  const parts: Promise<ReadDoc[]>[] = [];
  if (months.length) parts.push(models.find(collection, { ...selection, grain: 'month', period: { $gte: months[0]!, $lte: months[months.length - 1]! } }));
  for (const d of days) parts.push(models.find(collection, { ...selection, grain: 'day', period: { $gte: d.from, $lte: d.to } }));
  const whole = new Set(months);
  return (await Promise.all(parts)).flat().filter((d) => d.grain === 'day' || whole.has(d.period as string));
}

const countersOf = (d: ReadDoc) => (d.c as Counters) ?? {};

export async function uploadMonitoring(models: ReadModels, region: string, range: DayRange, by: UploadsBy, level?: number) {
  const own = await rangeDocs(models, 'stats_uploads', { region }, range);
  const totals = uploadFigures(own.reduce((acc, d) => sumInto(acc, countersOf(d)), {} as Counters));
  const base = { region: { code: region, name: regionLabel(region), level: levelOfRegion(region) }, range, by, totals };
  if (by === 'day' || by === 'month') {
    // 进度监控: a point per day (ranges up to a year) or per month, each with the running total.
    const grain = by === 'day' && daysIn(range) <= 366 ? 'day' : 'month';
    const docs = await models.find('stats_uploads', { grain, region, period: grain === 'day' ? { $gte: range.from, $lte: range.to } : { $gte: range.from.slice(0, 7), $lte: range.to.slice(0, 7) } }, { sort: { period: 1 } });
    let cumulative = 0;
    const rows = docs.map((d) => {
      const f = uploadFigures(countersOf(d));
      cumulative += f.items;
      return { key: d.period as string, name: d.period as string, ...f, cumulative };
    });
    return { ...base, grain, rows };
  }
  if (by === 'client') {
    const docs = await rangeDocs(models, 'stats_upload_clients', region ? { region: { $prefix: region } } : {}, range);
    const byClient = new Map<string, { role: string; region: string; c: Counters }>();
    for (const d of docs) {
      const e = byClient.get(d.clientId as string) ?? { role: d.clientRole as string, region: d.region as string, c: {} };
      sumInto(e.c, countersOf(d));
      byClient.set(d.clientId as string, e);
    }
    // A producer's organisation is its entity: its registered name; other clients are named by their organisation id.
    const entities = await models.getMany('entities', [...byClient.keys()]);
    const names = new Map(entities.filter((e): e is ReadDoc => !!e).map((e) => [e._id, e.name as string]));
    const rows = [...byClient.entries()]
      .map(([id, e]) => ({ key: id, name: names.get(id) ?? id, role: e.role, regionCode: e.region, regionName: regionLabel(e.region), ...uploadFigures(e.c) }))
      .sort((a, b) => b.items - a.items || a.key.localeCompare(b.key));
    return { ...base, rows: rows.slice(0, 500), total: rows.length };
  }
  const childLevel = level ?? Math.min(4, levelOfRegion(region) + 1);
  const docs = await rangeDocs(models, 'stats_uploads', { level: childLevel, ...(region ? { region: { $prefix: region } } : {}) }, range);
  const byRegion = new Map<string, Counters>();
  for (const d of docs) byRegion.set(d.region as string, sumInto(byRegion.get(d.region as string) ?? {}, countersOf(d)));
  const rows = [...byRegion.entries()].map(([code, c]) => ({ key: code, name: regionLabel(code), ...uploadFigures(c) })).sort((a, b) => b.items - a.items || a.key.localeCompare(b.key));
  return { ...base, level: childLevel, rows };
}

export type UploadMonitoring = Awaited<ReturnType<typeof uploadMonitoring>>;
