import { get } from '../../api/client';
import type { SearchHit, SearchResult } from '../../api/types';

const PAGE = 200;
const MAX_PAGES = 25;

/** Every entity and base matching the filters that has a position, page by page (at most 5 000). */
export async function loadMapHits(filters: { region?: string; product?: string; kind: string }): Promise<{ hits: SearchHit[]; total: number; facets: SearchResult['facets'] }> {
  const hits: SearchHit[] = [];
  let total = 0;
  let facets: SearchResult['facets'] = {};
  for (let page = 1; page <= MAX_PAGES; page++) {
    const r = await get<SearchResult>('/api/v1/search', { ...filters, size: PAGE, page, facets: page === 1 ? 'product,kind' : 'kind' });
    if (page === 1) facets = r.facets;
    total = r.total;
    hits.push(...r.hits.filter((x) => x.location));
    if (page * PAGE >= r.total) break;
  }
  return { hits, total, facets };
}
