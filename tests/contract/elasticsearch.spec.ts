import { Client } from '@elastic/elasticsearch';
import type { SearchDocument } from '../../application/ports/search-index';
import { ElasticsearchSearchIndex } from '../../infrastructure/elasticsearch/es-search-index';
import { uniqueName } from './suites/contract-helpers';
import { searchIndexContract } from './suites/search-index.contract';
import { serverUnderTest } from './support/server-under-test';

/**
 * The SearchIndex contract on Elasticsearch 8. In CI that is the integ-test-zip node of scripts/services
 * (no analysis-common, smartcn, ICU or painless), which is why Chinese is tokenized by the application.
 */
const server = serverUnderTest('Elasticsearch', 'ELASTICSEARCH_URL');

server.describeWithServer((url) => {
  searchIndexContract('Elasticsearch', () => ElasticsearchSearchIndex.connect(url));

  describe('Elasticsearch search index: external versions, template, errors', () => {
    let index: ElasticsearchSearchIndex;
    let raw: Client;
    let name: string;

    beforeAll(() => {
      raw = new Client({ node: url });
    });
    afterAll(async () => {
      await raw.close();
    });
    beforeEach(async () => {
      index = await ElasticsearchSearchIndex.connect(url);
      name = uniqueName('es');
      await index.createIndex(name);
    });
    afterEach(async () => {
      await index.dropIndex(name);
      await index.close();
    });

    const doc = (id: string, version: number, fields: Partial<SearchDocument> = {}): SearchDocument => ({
      id,
      version,
      kind: 'lot',
      title: '豇豆',
      text: `海口市 ${id}`,
      regionCode: '460105',
      product: '豇豆',
      type: 'active',
      date: '2025-03-01T08:00:00.000Z',
      location: { lat: 20.03, lon: 110.32 },
      payload: { id, version },
      ...fields,
    });

    /** Every stored document with what Elasticsearch knows about it: version, sequence number, source. */
    async function snapshot() {
      await raw.indices.refresh({ index: index.physicalName(name) });
      const response = await raw.search({
        index: index.physicalName(name),
        size: 100,
        seq_no_primary_term: true,
        version: true,
        sort: [{ id: 'asc' }],
      });
      return response.hits.hits.map((h) => ({
        id: h._id,
        version: h._version,
        seqNo: h._seq_no,
        source: h._source,
      }));
    }

    it('replaying the same batch twice leaves every document unchanged (same _version, same _seq_no)', async () => {
      const batch = [
        doc('l1', 101),
        doc('l2', 102, { title: '芒果', product: '芒果' }),
        doc('l1', 103, { type: 'recalled' }),
      ];
      await index.bulkIndex(name, batch);
      const once = await snapshot();
      expect(once.map((d) => [d.id, d.version])).toEqual([
        ['l1', 103],
        ['l2', 102],
      ]);

      await index.bulkIndex(name, batch);
      await index.bulkIndex(name, batch);
      // 409s inside Elasticsearch, nothing rewritten: not even the sequence numbers moved.
      expect(await snapshot()).toEqual(once);
      expect((await index.search(name, { type: 'recalled' })).hits.map((h) => h.id)).toEqual(['l1']);
    });

    it('stores the event position as the external version and keeps tokens out of _source', async () => {
      await index.bulkIndex(name, [doc('l1', 4_503_599_627_370_496)]); // 2^52: positions are large numbers
      const stored = await raw.get({ index: index.physicalName(name), id: 'l1' });
      expect(stored._version).toBe(4_503_599_627_370_496);
      expect(stored._source).toMatchObject({
        id: 'l1',
        province: '46',
        city: '4601',
        county: '460105',
        regionCode: '460105',
      });
      expect(stored._source).not.toHaveProperty('title_tokens');
    });

    it('a bulk item failing for another reason than the version is an error', async () => {
      await expect(
        index.bulkIndex(name, [doc('bad', 1, { location: { lat: 123, lon: 110 } })]),
      ).rejects.toThrow(/1 item\(s\) failed/);
    });

    it('prefixes every name, and the index template gives an index created elsewhere under the prefix the same mapping', async () => {
      expect(await raw.indices.exists({ index: `suyuan-${name}` })).toBe(true);
      const perPeriod = `search-2026-${uniqueName('t')}`;
      try {
        await raw.indices.create({ index: `suyuan-${perPeriod}` });
        const mapping = await raw.indices.getMapping({ index: `suyuan-${perPeriod}` });
        const properties = mapping[`suyuan-${perPeriod}`]!.mappings.properties!;
        expect(properties.title_tokens).toEqual({ type: 'text', analyzer: 'whitespace' });
        expect(properties.location).toEqual({ type: 'geo_point' });
        await index.bulkIndex(perPeriod, [doc('l1', 1)]);
        await index.refresh(perPeriod);
        expect((await index.search(perPeriod, { q: '海口' })).hits.map((h) => h.id)).toEqual(['l1']);
      } finally {
        await index.dropIndex(perPeriod);
      }
    });

    it('installations with different prefixes on one cluster keep a template each (the last one started no longer takes it over)', async () => {
      const otherPrefix = `suyuan-${uniqueName('pfx')}-`;
      const other = await ElasticsearchSearchIndex.connect(url, { indexPrefix: otherPrefix });
      const mine = `search-2026-${uniqueName('t')}`;
      const theirs = `search-2026-${uniqueName('t')}`;
      try {
        // Connected after `index` (the default prefix): the default installation's template still applies.
        for (const physical of [`suyuan-${mine}`, `${otherPrefix}${theirs}`]) {
          await raw.indices.create({ index: physical });
          const mapping = await raw.indices.getMapping({ index: physical });
          expect(mapping[physical]!.mappings.properties!.title_tokens).toEqual({ type: 'text', analyzer: 'whitespace' });
        }
        const templates = await raw.indices.getIndexTemplate({ name: 'suyuan-search' });
        expect(templates.index_templates[0]!.index_template.index_patterns).toEqual(['suyuan-*']);
      } finally {
        await index.dropIndex(mine);
        await other.dropIndex(theirs);
        await raw.indices.deleteIndexTemplate({ name: `${otherPrefix}search` });
        await other.close();
      }
    });

    it('searching an alias that points nowhere, or a missing index, is an empty result', async () => {
      const result = await index.search(`${name}-nothing`, { q: '豇豆', facets: ['province'] });
      expect(result).toEqual({ total: 0, page: 1, size: 20, hits: [], facets: { province: [] } });
    });
  });
});
