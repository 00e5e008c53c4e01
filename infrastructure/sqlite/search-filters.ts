import type { FacetName, SearchQuery } from '../../application/ports/search-index';
import { prefixCondition } from './text-range';

/**
 * The structured part of a SearchQuery as SQL over the documents table (alias `d`). The full-text part
 * is added by the index itself. from/to compare normalised UTC instants; a date-only bound covers its
 * whole day (to=2025-03-31 includes 2025-03-31T18:00Z), as Elasticsearch does for date-only `lte`.
 */
export function filterConditions(query: SearchQuery, params: unknown[]): string[] {
  const conditions: string[] = [];
  if (query.kind && query.kind.length > 0) {
    conditions.push(`d.kind IN (${query.kind.map(() => '?').join(', ')})`);
    params.push(...query.kind);
  }
  if (query.region) conditions.push(prefixCondition('d.region_code', query.region, params));
  if (query.product !== undefined && query.product !== '') {
    conditions.push('d.product = ?');
    params.push(query.product);
  }
  if (query.type !== undefined && query.type !== '') {
    conditions.push('d.type = ?');
    params.push(query.type);
  }
  const from = query.from ? normalizeInstant(query.from, 'start') : null;
  if (from) {
    conditions.push('d.date_key >= ?');
    params.push(from);
  }
  const to = query.to ? normalizeInstant(query.to, 'end') : null;
  if (to) {
    conditions.push('d.date_key <= ?');
    params.push(to);
  }
  if (query.bbox) {
    const [minLon, minLat, maxLon, maxLat] = query.bbox;
    conditions.push('d.lat BETWEEN ? AND ? AND d.lon BETWEEN ? AND ?');
    params.push(minLat, maxLat, minLon, maxLon);
  }
  return conditions;
}

/** ISO-8601 → comparable UTC instant; a bare date is the start or the end of that (UTC) day. Invalid → null. */
export function normalizeInstant(value: string, bound: 'start' | 'end' | 'exact'): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (bound === 'end') return `${value}T23:59:59.999Z`;
    return `${value}T00:00:00.000Z`;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** SQL expression producing each facet's value (region facets are prefixes of the region code). */
export const FACET_EXPRESSIONS: Record<FacetName, string> = {
  kind: 'd.kind',
  province: 'substr(d.region_code, 1, 2)',
  city: 'substr(d.region_code, 1, 4)',
  county: 'substr(d.region_code, 1, 6)',
  product: 'd.product',
  type: 'd.type',
};
