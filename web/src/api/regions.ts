import { get } from './client';
import type { RegionItem } from './types';

const children = new Map<string, Promise<RegionItem[]>>();
const names = new Map<string, RegionItem>();

/** Provinces (''), a province's cities ('46') or a city's counties ('4602'); cached for the session. */
export function regionChildren(parent: string): Promise<RegionItem[]> {
  let p = children.get(parent);
  if (!p) {
    p = get<{ items: RegionItem[] }>('/api/v1/regions', { parent }).then((r) => {
      for (const i of r.items) names.set(i.code, i);
      return r.items;
    });
    children.set(parent, p);
  }
  return p;
}

/** Names for prefixes (facet values, filters), fetched once per unknown code. */
export async function regionNames(codes: string[]): Promise<Map<string, RegionItem>> {
  const missing = [...new Set(codes)].filter((c) => /^\d{2,6}$/.test(c) && !names.has(c));
  if (missing.length) {
    const r = await get<{ items: RegionItem[] }>('/api/v1/regions', { codes: missing.join(',') });
    for (const i of r.items) names.set(i.code, i);
  }
  return new Map(codes.filter((c) => names.has(c)).map((c) => [c, names.get(c)!]));
}

/** A known prefix's name ('直辖' placeholder rows get their full path); `full` gives 省 市 县. */
export function regionLabel(code: string, full = false): string {
  const r = names.get(code);
  if (!r) return code;
  return full || (r.level === 'city' && r.name.includes('直辖')) ? r.fullName || r.name : r.name;
}
