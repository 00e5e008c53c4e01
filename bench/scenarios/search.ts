import type { ReadModels } from '../../application/ports/read-models';
import { PRODUCTS, PROVINCES } from '../generator/catalog';
import { Prng } from '../generator/prng';
import type { HttpClient } from '../lib/http';
import { now, summarize, type Summary } from '../lib/stats';

/** Supervisors' searches: a product or place in Chinese, often narrowed to a province, with the default facets. */
function queries(count: number): { label: string; params: Record<string, string> }[] {
  const rng = new Prng(2026);
  return Array.from({ length: count }, (_, i): { label: string; params: Record<string, string> } => {
    const product = rng.pick(PRODUCTS).name;
    const province = rng.pick(PROVINCES);
    switch (i % 4) {
      case 0:
        return { label: 'q=product', params: { q: product } };
      case 1:
        return { label: 'q=product, region=province', params: { q: product, region: province.code } };
      case 2:
        return { label: 'q=province name', params: { q: province.name.replace(/省|市|自治区|壮族|回族|维吾尔/g, '') } };
      default:
        return { label: 'region + kind=lot, no q', params: { region: province.code, kind: 'lot' } };
    }
  });
}

export async function searchLatencies(models: ReadModels, client: HttpClient, count = 200): Promise<{ documents: number; query: Summary; http: Summary; byKind: { label: string; http: Summary }[] }> {
  const all = await models.search({ facets: ['kind'], page: 1, size: 1 });
  const qs = queries(count);
  const query: number[] = [];
  for (const q of qs) {
    const start = now();
    const { q: text, region, kind } = q.params;
    await models.search({ ...(text ? { q: text } : {}), ...(region ? { region } : {}), ...(kind ? { kind: [kind] } : {}), facets: ['kind', 'province', 'product', 'type'], page: 1, size: 20 });
    query.push(now() - start);
  }
  const http: number[] = [];
  const byLabel = new Map<string, number[]>();
  for (const q of qs) {
    const start = now();
    const res = await client.get(`/api/v1/search?${new URLSearchParams(q.params).toString()}`);
    const ms = now() - start;
    if (res.status !== 200) throw new Error(`search answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    http.push(ms);
    byLabel.set(q.label, [...(byLabel.get(q.label) ?? []), ms]);
  }
  return { documents: all.total, query: summarize(query), http: summarize(http), byKind: [...byLabel].map(([label, v]) => ({ label, http: summarize(v) })) };
}
