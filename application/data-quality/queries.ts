import { CATEGORIES, qualityScore, SEVERITIES, type Category, type Severity } from '../../domain/data-quality';
import { lookupTownship } from '../../domain/registration/townships';
import { regionName } from '../../domain/shared/region-codes';
import type { Actor } from '../../domain/shared/actor';
import { narrowRegion, prefixOf, scopeOf } from '../access';
import type { ReadModels } from '../ports/read-models';
import type { Filter, ReadDoc } from '../ports/read-store';
import { addDays } from '../statistics/periods';

/**
 * 问题数据查询与统计 (seed 004 §六(三)): the findings of the data-quality read model, listed with filters and
 * counted by region, period, category, severity or rule, and the score per region. Only what the caller's
 * scope covers: the region is narrowed by the access policy (a county sees its county, a township the records
 * located in it). A finding is listed from its firstSeenAt — a stale-record finding written ahead opens by the
 * clock alone.
 */
export const FINDINGS = 'dq_findings';
export const SUBJECTS = 'dq_subjects';
export const REGION_SUBJECTS = 'dq_region_subjects';

export interface FindingFilters {
  region?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD (CST) of the first sighting. */
  period?: string;
  category?: Category;
  severity?: Severity;
  ruleId?: string;
  /** true: resolved only; false: open only; absent: both. */
  resolved?: boolean;
  subjectKind?: string;
}

/** The region a caller's data-quality query covers: the policy's narrowing, '' for the whole country. */
export function dataQualityRegion(actor: Actor, requested: string | undefined): string {
  return narrowRegion(scopeOf(actor), requested ? prefixOf(requested) : undefined) ?? '';
}

/** A region prefix as a filter: county or wider by the county code, a township by the township code. */
export function regionFilter(region: string): Filter {
  if (!region) return {};
  return region.length > 6 ? { townshipCode: { $prefix: region } } : { regionCode: { $prefix: region } };
}

export function findingsFilter(region: string, f: FindingFilters, nowIso: string): Filter {
  const out: Filter = { ...regionFilter(region), firstSeenAt: { $lte: nowIso } };
  if (f.period) out[f.period.length === 4 ? 'year' : f.period.length === 7 ? 'month' : 'day'] = f.period;
  if (f.category) out.category = f.category;
  if (f.severity) out.severity = f.severity;
  if (f.ruleId) out.ruleId = f.ruleId;
  if (f.subjectKind) out['subject.kind'] = f.subjectKind;
  if (f.resolved !== undefined) out.status = f.resolved ? 'resolved' : 'open';
  return out;
}

const publicFinding = ({ _v: _ignored, ...doc }: ReadDoc) => doc;

export async function listFindings(models: ReadModels, region: string, f: FindingFilters, now: Date, page = 1, pageSize = 50) {
  const filter = findingsFilter(region, f, now.toISOString());
  const [total, items] = await Promise.all([
    models.count(FINDINGS, filter),
    models.find(FINDINGS, filter, { sort: { firstSeenAt: -1 }, skip: (page - 1) * pageSize, limit: pageSize }),
  ]);
  return { region, total, page, pageSize, items: items.map(publicFinding) };
}

/** Every finding matching (for exports and reports), newest first. */
export async function allFindings(models: ReadModels, region: string, f: FindingFilters, now: Date): Promise<Record<string, unknown>[]> {
  return (await models.find(FINDINGS, findingsFilter(region, f, now.toISOString()), { sort: { firstSeenAt: -1 } })).map(publicFinding);
}

export type StatsBy = 'region' | 'period' | 'category' | 'severity' | 'rule';
export type Granularity = 'year' | 'month' | 'day';

export interface StatsRow {
  key: string;
  name: string;
  total: number;
  open: number;
  resolved: number;
  byCategory: Record<string, number>;
  bySeverity: Record<string, number>;
}

/** The next level's prefix of a code under `region`: '' → province (2), 2 → city (4), 4 → county (6), 6 → township (9). */
export function childOf(region: string, code: string): string {
  const len = region.length < 2 ? 2 : region.length < 4 ? 4 : region.length < 6 ? 6 : 9;
  return code.slice(0, len);
}

function nameOf(code: string): string {
  if (code.length <= 6) return regionName(code) ?? code;
  const township = lookupTownship(code);
  return township ? `${regionName(township.countyCode) ?? ''} ${township.name}`.trim() : code;
}

/**
 * Counts per group: region (the next level below the asked one), period (year / month / day of first sighting),
 * category, severity or rule. Each row splits open / resolved, by category and by severity.
 */
export async function findingStatistics(models: ReadModels, region: string, f: FindingFilters, by: StatsBy, granularity: Granularity, now: Date) {
  const docs = await models.find(FINDINGS, findingsFilter(region, f, now.toISOString()));
  const rows = new Map<string, StatsRow>();
  for (const d of docs) {
    const code = region.length >= 6 ? ((d.townshipCode as string | null) ?? (d.regionCode as string)) : (d.regionCode as string);
    const key =
      by === 'region' ? childOf(region, code) : by === 'period' ? (d[granularity] as string) : by === 'category' ? (d.category as string) : by === 'severity' ? (d.severity as string) : (d.ruleId as string);
    const row = rows.get(key) ?? { key, name: by === 'region' ? nameOf(key) : by === 'rule' ? String(d.ruleName) : key, total: 0, open: 0, resolved: 0, byCategory: {}, bySeverity: {} };
    row.total++;
    if (d.status === 'open') row.open++;
    else row.resolved++;
    row.byCategory[d.category as string] = (row.byCategory[d.category as string] ?? 0) + 1;
    row.bySeverity[d.severity as string] = (row.bySeverity[d.severity as string] ?? 0) + 1;
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
  const totals = sorted.reduce((t, r) => ({ total: t.total + r.total, open: t.open + r.open, resolved: t.resolved + r.resolved }), { total: 0, open: 0, resolved: 0 });
  return { region, by, ...(by === 'period' ? { granularity } : {}), categories: CATEGORIES, severities: SEVERITIES, totals, rows: sorted };
}

export interface RegionScore {
  regionCode: string;
  name: string;
  subjects: number;
  open: Record<Severity, number>;
  score: number | null;
}

/** Records checked in a region: the per-county counters summed, or (a township) the subjects located in it. */
async function subjectsIn(models: ReadModels, region: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (region.length > 6) {
    counts.set(region, await models.count(SUBJECTS, { active: true, townshipCode: { $prefix: region } }));
    return counts;
  }
  for (const d of await models.find(REGION_SUBJECTS, region ? { regionCode: { $prefix: region } } : {})) {
    const key = childOf(region, d.regionCode as string);
    counts.set(key, (counts.get(key) ?? 0) + (d.subjects as number));
  }
  return counts;
}

/**
 * 数据质量评分 of the region and of each region one level below it (formula in domain/data-quality/score.ts).
 * Exported for the statistics dashboards and the evaluation. The country, a province and a city are scored from
 * the projection's per-region counters (`dq_region_scores`, one document per region: records checked, open
 * findings by day of first sighting and severity), today's included; what is taken off is what they hold ahead
 * of the instant — today's open findings first seen after it (a stale-record finding is written ahead and opens
 * by the clock, at its firstSeenAt), a handful. (Reading today's findings instead and adding them read every
 * finding of a ledger ingested today: most of the national evaluation's 358 ms on the M ledger.) A county and a
 * township read their findings.
 */
export async function regionScores(models: ReadModels, region: string, now: Date): Promise<{ region: RegionScore; children: RegionScore[] }> {
  if (region.length < 6) return regionScoresFromCounters(models, region, now);
  return regionScoresFromFindings(models, region, now);
}

export const REGION_SCORES = 'dq_region_scores';
const emptyOpen = (): Record<Severity, number> => ({ high: 0, medium: 0, low: 0 });

async function regionScoresFromCounters(models: ReadModels, region: string, now: Date): Promise<{ region: RegionScore; children: RegionScore[] }> {
  const nowIso = now.toISOString();
  const today = nowIso.slice(0, 10);
  const childLevel = region.length === 0 ? 1 : region.length <= 2 ? 2 : 3;
  const [own, children, ahead] = await Promise.all([
    models.get(REGION_SCORES, `r:${region}`),
    models.find(REGION_SCORES, { level: childLevel, ...(region ? { region: { $prefix: region } } : {}) }),
    // Counted under today, not open yet at the instant.
    models.find(FINDINGS, { ...regionFilter(region), status: 'open', firstSeenAt: { $gt: nowIso, $lt: addDays(today, 1) } }),
  ]);
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
    // A finding's region has its counter document at every level (written in the same batch as the finding).
    const o = byChild.get(childOf(region, d.regionCode as string));
    if (o) o[severity]--;
  }
  const subjectsOf = (doc: ReadDoc | null | undefined) => ((doc?.c as Record<string, number> | undefined)?.subjects ?? 0);
  const subjects = new Map(children.map((d) => [d.region as string, subjectsOf(d)]));
  const total = subjectsOf(own);
  const rows = [...byChild.keys()].sort().map((code) => {
    const o = byChild.get(code)!;
    const n = subjects.get(code) ?? 0;
    return { regionCode: code, name: nameOf(code), subjects: n, open: o, score: qualityScore(o, n) };
  });
  return { region: { regionCode: region, name: region ? nameOf(region) : '全国', subjects: total, open: ownOpen, score: qualityScore(ownOpen, total) }, children: rows };
}

/** The same scores from the findings themselves (a county or a township; and the reference the counters must equal). */
export async function regionScoresFromFindings(models: ReadModels, region: string, now: Date): Promise<{ region: RegionScore; children: RegionScore[] }> {
  const [subjects, open] = await Promise.all([subjectsIn(models, region), models.find(FINDINGS, findingsFilter(region, { resolved: false }, now.toISOString()))]);
  const empty = (): Record<Severity, number> => ({ high: 0, medium: 0, low: 0 });
  const byChild = new Map<string, Record<Severity, number>>();
  const all = empty();
  for (const d of open) {
    const code = region.length > 6 ? region : childOf(region, d.regionCode as string);
    const s = byChild.get(code) ?? empty();
    s[d.severity as Severity]++;
    all[d.severity as Severity]++;
    byChild.set(code, s);
  }
  const total = [...subjects.values()].reduce((a, b) => a + b, 0);
  const keys = region.length > 6 ? [] : [...new Set([...subjects.keys(), ...byChild.keys()])].sort();
  const children = keys.map((code) => {
    const o = byChild.get(code) ?? empty();
    const n = subjects.get(code) ?? 0;
    return { regionCode: code, name: nameOf(code), subjects: n, open: o, score: qualityScore(o, n) };
  });
  return { region: { regionCode: region, name: region ? nameOf(region) : '全国', subjects: total, open: all, score: qualityScore(all, total) }, children };
}
