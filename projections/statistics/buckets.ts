/**
 * Where a statistic is counted: one bucket document per (grain, period, region, product). Dashboards read a
 * handful of buckets instead of scanning the log (DESIGN.md, read model `stats`). A region is a GB/T 2260
 * prefix: '' the country, '46' a province, '4602' a city, '460202' a county, '460202100' a township.
 */
export type Grain = 'day' | 'month' | 'all';
export const GRAINS: readonly Grain[] = ['day', 'month', 'all'];

/** Product of the bucket; ALL_PRODUCTS sums every product (and holds the counts that have none). */
export const ALL_PRODUCTS = '*';

/** Level of a region prefix: 0 country, 1 province, 2 city, 3 county, 4 township. */
export function levelOf(region: string): number {
  if (region.length === 0) return 0;
  if (region.length <= 2) return 1;
  if (region.length <= 4) return 2;
  if (region.length <= 6) return 3;
  return 4;
}

/**
 * The significant prefix a code stands for: '460000' is the province '46', '460100' the city '4601',
 * a county ('460105') or township code ('460105100') stands for itself. Anything else counts nationally only.
 */
export function regionPrefix(code: string | null | undefined): string {
  if (typeof code !== 'string' || !/^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$/.test(code)) return '';
  if (/^\d{2}0000$/.test(code)) return code.slice(0, 2);
  if (/^\d{4}00$/.test(code)) return code.slice(0, 4);
  return code;
}

/** The region and every region containing it, country first: '460105' → ['', '46', '4601', '460105']. */
export function regionChain(code: string | null | undefined): string[] {
  const prefix = regionPrefix(code);
  const chain = [''];
  for (const n of [2, 4, 6]) if (prefix.length >= n) chain.push(prefix.slice(0, n));
  if (prefix.length > 6) chain.push(prefix);
  return chain;
}

/** The containing region one level up ('' for a province; null for the country). */
export function parentRegion(region: string): string | null {
  const chain = regionChain(region);
  return chain.length >= 2 ? chain[chain.length - 2]! : null;
}

/** Business day and month in China Standard Time (UTC+8, no daylight saving), from an ISO instant. */
export function cstDay(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new Error(`statistics: not an instant: ${iso}`);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The period a day falls in at a grain: '2026-05-03', '2026-05' or 'all'. */
export function periodOf(grain: Grain, day: string): string {
  return grain === 'day' ? day : grain === 'month' ? day.slice(0, 7) : 'all';
}

export function bucketId(grain: Grain, period: string, region: string, product: string): string {
  return `${grain}:${period}|${region}|${product}`;
}

/** A bucket document as stored in `stats`. */
export interface StatsBucket {
  _id: string;
  grain: Grain;
  period: string;
  region: string;
  level: number;
  /** Containing region (for "children of X" queries); null for the country. */
  parent: string | null;
  product: string;
  /** Counter name → value (see metrics.ts). Net counters may be negative inside one period. */
  c: Record<string, number>;
}

/** A flow document in `stats_flows`: quantities moved from one region to another at one level. */
export type FlowKind = 'transfer' | 'market';
export type FlowLevel = 'province' | 'county';
export interface StatsFlow {
  _id: string;
  kind: FlowKind;
  level: FlowLevel;
  grain: Exclude<Grain, 'day'>;
  period: string;
  from: string;
  to: string;
  product: string;
  c: Record<string, number>;
}

export function flowId(kind: FlowKind, level: FlowLevel, grain: Grain, period: string, from: string, to: string, product: string): string {
  return `${kind}:${level}:${grain}:${period}|${from}>${to}|${product}`;
}
