import { cityOf } from '../shared/region-codes';

/*
 * 牵头单位: an incident is led by the lowest supervision level whose region contains every region the chain
 * touches — the longest common GB/T 2260 prefix of the touched county codes, snapped to a level that has an
 * agency: county (6 digits), city (4), province (2) or the ministry (''). A city-level row that is only a
 * grouping (市辖区 of a municipality, 省直辖县级行政区划 …) has no agency of its own: its province leads.
 */
const GROUPING_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export type AgencyLevel = 'ministry' | 'province' | 'city' | 'county';

export function leadRegionFor(regionsTouched: readonly string[]): string {
  const regions = regionsTouched.filter((r) => typeof r === 'string' && r.length > 0);
  if (regions.length === 0) return '';
  let common = regions[0]!;
  for (const r of regions.slice(1)) {
    let i = 0;
    while (i < common.length && i < r.length && common[i] === r[i]) i++;
    common = common.slice(0, i);
  }
  if (common.length >= 6) return common.slice(0, 6);
  if (common.length >= 4) {
    const city = common.slice(0, 4);
    const name = cityOf(`${city}00`)?.name;
    return name !== undefined && GROUPING_CITIES.has(name) ? city.slice(0, 2) : city;
  }
  if (common.length >= 2) return common.slice(0, 2);
  return '';
}

export function agencyLevelOf(leadRegionCode: string): AgencyLevel {
  switch (leadRegionCode.length) {
    case 0:
      return 'ministry';
    case 2:
      return 'province';
    case 4:
      return 'city';
    default:
      return 'county';
  }
}

/** Whether the lead agency's region contains every touched region (otherwise it must be escalated). */
export function leadCovers(leadRegionCode: string, regionsTouched: readonly string[]): boolean {
  return regionsTouched.every((r) => r.startsWith(leadRegionCode));
}
