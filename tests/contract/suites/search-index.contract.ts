import type { SearchDocument, SearchIndex, SearchResult } from '../../../application/ports/search-index';
import { uniqueName } from './contract-helpers';

/**
 * The SearchIndex contract, through the port only: Chinese full text (bigram semantics), codes with and
 * without hyphens, filters, facets, geo, paging, version ordering and aliases. Index and alias names
 * are unique per run and dropped afterwards, so it can run against a shared Elasticsearch.
 */
export function searchIndexContract(
  adapterName: string,
  makeIndex: () => Promise<SearchIndex>,
  dispose: (index: SearchIndex) => Promise<void> = (s) => s.close(),
): void {
  describe(`SearchIndex contract: ${adapterName}`, () => {
    let search: SearchIndex;
    let indexA: string;
    let indexB: string;
    let alias: string;

    beforeEach(async () => {
      search = await makeIndex();
      const run = uniqueName('ct');
      indexA = `${run}-a`;
      indexB = `${run}-b`;
      alias = `${run}-live`;
    });
    afterEach(async () => {
      await search.dropIndex(indexA);
      await search.dropIndex(indexB);
      await dispose(search);
    });

    async function seed(index = indexA, docs = corpus()): Promise<void> {
      await search.createIndex(index);
      await search.bulkIndex(index, docs);
      await search.refresh(index);
    }
    const ids = (r: SearchResult) => r.hits.map((h) => h.id).sort();
    const find = (q: string) => search.search(indexA, { q, size: 50 }).then(ids);

    describe('Chinese and mixed full text', () => {
      it('finds 豇豆 in titles and text, and nothing else', async () => {
        await seed();
        expect(await find('豇豆')).toEqual(['e1', 'l1']);
      });

      it('finds 海南 but not 河南 (one shared character) nor 南海 (reversed)', async () => {
        await seed();
        expect(await find('海南')).toEqual(['e1', 'e3']);
        expect(await find('南海')).toEqual(['b1']);
      });

      it('finds 海南省 only where all its bigrams occur (河南省 shares 南省 but not 海南)', async () => {
        await seed();
        expect(await find('海南省')).toEqual(['e1', 'e3']);
      });

      it('matches a single character query on its unigram', async () => {
        await seed();
        expect(await find('芒')).toEqual(['l2']);
      });

      it('matches Latin words whole and case-insensitively, mixed with Chinese', async () => {
        await seed();
        expect(await find('cowpea')).toEqual(['l1']);
        expect(await find('COWPEA 豇豆')).toEqual(['l1']);
        expect(await find('Hainan')).toEqual(['e3']);
        expect(await find('mango 三亚')).toEqual(['l2']);
        expect(await find('cowpea 芒果')).toEqual([]);
        expect(await find('黄瓜')).toEqual([]);
      });

      it('finds trace codes and e-IDs as printed, without hyphens and in lower case', async () => {
        await seed();
        expect(await find('460105-250301-7K3QX-0001-ABCD')).toEqual(['l1']);
        expect(await find('4601052503017K3QX0001ABCD')).toEqual(['l1']);
        expect(await find('4601052503017k3qx0001abcd')).toEqual(['l1']);
        expect(await find('4601057K3QXA')).toEqual(['e3']);
      });

      it('ranks full-text hits by score, highest first', async () => {
        await seed();
        const result = await search.search(indexA, { q: '豇豆' });
        expect(result.hits.length).toBe(2);
        for (const hit of result.hits) expect(hit.score).toBeGreaterThan(0);
        expect(result.hits[0]!.score).toBeGreaterThanOrEqual(result.hits[1]!.score);
      });
    });

    describe('filters', () => {
      it('filters by region prefix: province, city, county', async () => {
        await seed();
        const region = (r: string) => search.search(indexA, { region: r, size: 50 }).then(ids);
        expect(await region('46')).toEqual(['b1', 'e1', 'e3', 'l1', 'l2']);
        expect(await region('4601')).toEqual(['e3', 'l1']);
        expect(await region('460105')).toEqual(['e3', 'l1']);
        expect(await region('41')).toEqual(['e2', 'l3']);
        expect(ids(await search.search(indexA, { q: '豇豆', region: '4601' }))).toEqual(['l1']);
      });

      it('filters by kind, product and type', async () => {
        await seed();
        expect(ids(await search.search(indexA, { kind: ['lot'], size: 50 }))).toEqual(['l1', 'l2', 'l3']);
        expect(ids(await search.search(indexA, { kind: ['entity', 'base'], size: 50 }))).toEqual(['b1', 'e1', 'e2', 'e3']);
        expect(ids(await search.search(indexA, { product: '豇豆' }))).toEqual(['l1']);
        expect(ids(await search.search(indexA, { type: 'recalled' }))).toEqual(['l3']);
        expect(ids(await search.search(indexA, { kind: ['entity'], type: 'enterprise', region: '46' }))).toEqual(['e3']);
      });

      it('filters by date range (inclusive) on the document date', async () => {
        await seed();
        const r = await search.search(indexA, { from: '2025-02-01T00:00:00.000Z', to: '2025-03-01T23:59:59.000Z', size: 50 });
        expect(ids(r)).toEqual(['e2', 'l1', 'l3']);
        expect(ids(await search.search(indexA, { from: '2025-03-02T00:00:00.000Z', size: 50 }))).toEqual(['l2']);
        expect(ids(await search.search(indexA, { to: '2024-12-31T23:59:59.000Z', size: 50 }))).toEqual(['e3']);
      });

      it('filters by a bounding box [minLon, minLat, maxLon, maxLat]', async () => {
        await seed();
        const hainanIsland: [number, number, number, number] = [108.5, 18.0, 111.1, 20.2];
        expect(ids(await search.search(indexA, { bbox: hainanIsland, size: 50 }))).toEqual(['e1', 'l1', 'l2']);
        expect(ids(await search.search(indexA, { bbox: hainanIsland, q: '芒果' }))).toEqual(['l2']);
      });
    });

    describe('facets, paging and order', () => {
      it('counts facets over the filtered result set', async () => {
        await seed();
        const r = await search.search(indexA, {
          kind: ['lot', 'entity'],
          facets: ['kind', 'province', 'city', 'county', 'product', 'type'],
        });
        expect(r.total).toBe(6);
        expect(byValue(r.facets.kind)).toEqual([{ value: 'entity', count: 3 }, { value: 'lot', count: 3 }]);
        expect(byValue(r.facets.province)).toEqual([{ value: '41', count: 2 }, { value: '46', count: 4 }]);
        expect(byValue(r.facets.city)).toEqual([
          { value: '4101', count: 2 },
          { value: '4601', count: 2 },
          { value: '4602', count: 2 },
        ]);
        expect(byValue(r.facets.county)).toEqual([
          { value: '410102', count: 2 },
          { value: '460105', count: 2 },
          { value: '460202', count: 1 },
          { value: '460203', count: 1 },
        ]);
        expect(byValue(r.facets.product)).toEqual([
          { value: '芒果', count: 1 },
          { value: '豇豆', count: 1 },
          { value: '辣椒', count: 1 },
        ]);
        expect(byValue(r.facets.type)).toEqual([
          { value: 'active', count: 2 },
          { value: 'cooperative', count: 1 },
          { value: 'enterprise', count: 2 },
          { value: 'recalled', count: 1 },
        ]);
        const sorted = r.facets.province!.map((f) => f.count);
        expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
      });

      it('counts facets with a full-text query', async () => {
        await seed();
        const r = await search.search(indexA, { q: '海南', facets: ['province', 'kind'] });
        expect(r.total).toBe(2);
        expect(byValue(r.facets.province)).toEqual([{ value: '46', count: 2 }]);
        expect(byValue(r.facets.kind)).toEqual([{ value: 'entity', count: 2 }]);
      });

      it('without a query, orders by date (newest first) and pages without overlap', async () => {
        await seed();
        const pages = [];
        for (let page = 1; page <= 3; page++) pages.push(await search.search(indexA, { page, size: 3 }));
        expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
        expect(pages.map((p) => [p.page, p.size])).toEqual([
          [1, 3],
          [2, 3],
          [3, 3],
        ]);
        expect(pages.map((p) => p.hits.map((h) => h.id))).toEqual([['l2', 'l1', 'l3'], ['e2', 'e1', 'e3'], ['b1']]);
        expect((await search.search(indexA, { page: 4, size: 3 })).hits).toEqual([]);
      });

      it('returns hits with their fields and payload as indexed', async () => {
        await seed();
        const [hit] = (await search.search(indexA, { q: '芒果' })).hits;
        const l2 = corpus().find((d) => d.id === 'l2')!;
        expect(hit).toMatchObject({
          id: 'l2',
          kind: 'lot',
          title: l2.title,
          regionCode: '460202',
          product: '芒果',
          type: 'active',
          date: l2.date,
          location: l2.location,
          payload: l2.payload,
        });
      });
    });

    describe('writes', () => {
      it('ignores an older version and applies a newer one, leaving no stale tokens behind', async () => {
        await seed();
        const l1 = corpus().find((d) => d.id === 'l1')!;
        await search.bulkIndex(indexA, [{ ...l1, version: 9, title: 'stale 过期' }]);
        await search.refresh(indexA);
        expect(await find('stale')).toEqual([]);
        expect((await search.search(indexA, { product: '豇豆' })).hits[0]!.title).toBe('豇豆');

        await search.bulkIndex(indexA, [{ ...l1, version: 11, title: '长豇豆 fresh', text: '', product: '长豇豆' }]);
        await search.refresh(indexA);
        expect(await find('fresh')).toEqual(['l1']);
        expect(await find('cowpea')).toEqual([]);
        expect(ids(await search.search(indexA, { product: '长豇豆' }))).toEqual(['l1']);
      });

      it('deletes documents', async () => {
        await seed();
        await search.bulkDelete(indexA, ['l2', 'no-such-doc']);
        await search.refresh(indexA);
        expect(await find('芒果')).toEqual([]);
        expect((await search.search(indexA, {})).total).toBe(6);
      });

      it('createIndex is idempotent and dropIndex removes the documents', async () => {
        await seed();
        await search.createIndex(indexA);
        expect((await search.search(indexA, {})).total).toBe(7);
        await search.dropIndex(indexA);
        await search.createIndex(indexA);
        expect((await search.search(indexA, {})).total).toBe(0);
      });
    });

    describe('aliases (blue/green rebuild)', () => {
      it('points an alias at an index and swaps it', async () => {
        await seed(indexA);
        await seed(indexB, [doc('n1', { title: '新版本 豇豆', regionCode: '460105' })]);
        expect(await search.resolveAlias(alias)).toBeNull();

        await search.setAlias(alias, indexA);
        expect(await search.resolveAlias(alias)).toBe(indexA);
        expect(ids(await search.search(alias, { q: '豇豆' }))).toEqual(['e1', 'l1']);

        await search.setAlias(alias, indexB);
        expect(await search.resolveAlias(alias)).toBe(indexB);
        expect(ids(await search.search(alias, { q: '豇豆' }))).toEqual(['n1']);
        expect(ids(await search.search(indexA, { q: '豇豆' }))).toEqual(['e1', 'l1']);
      });
    });
  });
}

function byValue(facet: { value: string; count: number }[] | undefined) {
  return [...(facet ?? [])].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function doc(id: string, fields: Partial<SearchDocument>): SearchDocument {
  return { id, version: 10, kind: 'lot', title: '', text: '', regionCode: '000000', payload: { id }, ...fields };
}

/** Entities, lots and a base in Hainan (46) and Henan (41); chosen so that bigram semantics are visible. */
function corpus(): SearchDocument[] {
  return [
    doc('e1', {
      kind: 'entity',
      title: '海南绿源豇豆种植专业合作社',
      text: '海南省三亚市崖州区 豇豆 种植',
      regionCode: '460203',
      type: 'cooperative',
      date: '2025-01-10T00:00:00.000Z',
      location: { lat: 18.35, lon: 109.2 },
      payload: { eid: '4602037K3QXB', name: '海南绿源豇豆种植专业合作社' },
    }),
    doc('e2', {
      kind: 'entity',
      title: '河南省郑州蔬菜有限公司',
      text: '河南 辣椒 批发',
      regionCode: '410102',
      type: 'enterprise',
      date: '2025-02-01T00:00:00.000Z',
      location: { lat: 34.75, lon: 113.62 },
    }),
    doc('l1', {
      kind: 'lot',
      title: '豇豆',
      text: 'Cowpea 豇豆 海口市 460105-250301-7K3QX-0001-ABCD',
      regionCode: '460105',
      product: '豇豆',
      type: 'active',
      date: '2025-03-01T08:00:00.000Z',
      location: { lat: 20.03, lon: 110.32 },
      payload: { traceCode: '460105-250301-7K3QX-0001-ABCD', quantity: { amount: 500, unit: 'kg' } },
    }),
    doc('l2', {
      kind: 'lot',
      title: '芒果',
      text: '三亚 芒果 mango',
      regionCode: '460202',
      product: '芒果',
      type: 'active',
      date: '2025-03-05T08:00:00.000Z',
      location: { lat: 18.25, lon: 109.5 },
      payload: { traceCode: '460202-250305-8M4RY-0002-EFGH', holder: '三亚果业' },
    }),
    doc('l3', {
      kind: 'lot',
      title: '辣椒 Chili',
      text: '郑州 辣椒',
      regionCode: '410102',
      product: '辣椒',
      type: 'recalled',
      date: '2025-02-20T08:00:00.000Z',
    }),
    doc('e3', {
      kind: 'entity',
      title: 'Hainan GreenFarm 海南省农垦',
      text: 'GAP认证 e-ID 4601057K3QXA',
      regionCode: '460105',
      type: 'enterprise',
      date: '2024-12-01T00:00:00.000Z',
    }),
    doc('b1', {
      kind: 'base',
      title: '南海渔业基地',
      text: '南海',
      regionCode: '460300',
      location: { lat: 16.83, lon: 112.33 },
    }),
  ];
}
