import { Client, errors, type estypes } from '@elastic/elasticsearch';
import type {
  FacetName,
  SearchDocument,
  SearchHit,
  SearchIndex,
  SearchQuery,
  SearchResult,
} from '../../application/ports/search-index';
import { documentTokens, queryTokens } from '../sqlite/cjk-tokens';
import { SEARCH_INDEX_MAPPINGS, SEARCH_INDEX_SETTINGS } from './search-mapping';

const DEFAULT_SIZE = 20;
const MAX_SIZE = 1000;
const MAX_FACET_VALUES = 100;
const BULK_CHUNK = 1000;

/**
 * The index template that gives every index under a prefix our settings and mapping: one per prefix, named
 * after it (`suyuan-search` for the default prefix). A single fixed name made installations sharing a
 * cluster overwrite each other's template, so it matched only the last one started (found by the mixed
 * fault-injection run beside the test suites). A longer prefix gets a higher priority: overlapping patterns
 * (`suyuan-*` and `suyuan-faults-1-*`) may not share one, and the more specific template should win.
 */
export function templateFor(prefix: string): { name: string; pattern: string; priority: number } {
  return { name: `${prefix}search`, pattern: `${prefix}*`, priority: 100 + prefix.length };
}

const FACET_FIELDS: Record<FacetName, string> = {
  kind: 'kind',
  province: 'province',
  city: 'city',
  county: 'county',
  product: 'product',
  type: 'type',
};

/** What is stored per document: the port's fields plus region levels and pre-computed tokens. */
interface StoredDocument {
  id: string;
  version: number;
  kind: string;
  title: string;
  text: string;
  title_tokens: string;
  text_tokens: string;
  regionCode: string;
  province?: string;
  city?: string;
  county?: string;
  product?: string;
  type?: string;
  date?: string;
  location?: { lat: number; lon: number };
  payload: Record<string, unknown>;
}

export interface ElasticsearchSearchIndexOptions {
  /**
   * Prepended to every index and alias name the port is given (default `suyuan-`), so the application's
   * `search__g1` is `suyuan-search__g1` in a cluster shared with other applications. The index template
   * applies to `<prefix>*`. An empty prefix disables the template.
   */
  indexPrefix?: string;
}

/**
 * The SearchIndex on Elasticsearch 8 (client and server major versions match).
 *
 * Writes are bulk requests with `version_type: external` and the event position as version: Elasticsearch
 * itself rejects a version lower than or equal to the stored one (HTTP 409), which is exactly "an older
 * version never overwrites a newer one" — so a 409 per item is success, and replaying a batch changes
 * nothing. Reads address an alias or an index; blue/green swaps the alias atomically.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  constructor(
    private readonly client: Client,
    private readonly prefix = 'suyuan-',
  ) {}

  static async connect(
    url: string,
    options: ElasticsearchSearchIndexOptions = {},
  ): Promise<ElasticsearchSearchIndex> {
    const client = new Client({ node: url, requestTimeout: 30_000 });
    await client.cluster.health({ wait_for_status: 'yellow', timeout: '30s' });
    const index = new ElasticsearchSearchIndex(client, options.indexPrefix ?? 'suyuan-');
    if (index.prefix !== '') await index.ensureTemplate();
    return index;
  }

  /** The Elasticsearch name of a port-level index or alias name. */
  physicalName(name: string): string {
    return this.prefix + name;
  }

  /** Composable index template, so indices created outside createIndex (rollover, per period) get the mapping. */
  async ensureTemplate(): Promise<void> {
    const template = templateFor(this.prefix);
    await this.client.indices.putIndexTemplate({
      name: template.name,
      index_patterns: [template.pattern],
      priority: template.priority,
      template: { settings: SEARCH_INDEX_SETTINGS, mappings: SEARCH_INDEX_MAPPINGS },
      _meta: { description: 'Suyuan search documents (pre-tokenized CJK; see infrastructure/elasticsearch)' },
    });
  }

  async createIndex(indexName: string): Promise<void> {
    const index = this.physicalName(indexName);
    try {
      await this.client.indices.create({
        index,
        settings: SEARCH_INDEX_SETTINGS,
        mappings: SEARCH_INDEX_MAPPINGS,
      });
    } catch (err) {
      if (!isError(err, 400, 'resource_already_exists_exception')) throw err;
    }
    await this.client.cluster.health({ index, wait_for_status: 'yellow', timeout: '30s' });
  }

  async dropIndex(indexName: string): Promise<void> {
    try {
      await this.client.indices.delete({ index: this.physicalName(indexName) });
    } catch (err) {
      if (!isError(err, 404)) throw err;
    }
  }

  async setAlias(alias: string, indexName: string): Promise<void> {
    const [aliasName, target] = [this.physicalName(alias), this.physicalName(indexName)];
    const current = await this.aliasTargets(aliasName);
    const actions: estypes.IndicesUpdateAliasesAction[] = current
      .filter((index) => index !== target)
      .map((index) => ({ remove: { index, alias: aliasName } }));
    actions.push({ add: { index: target, alias: aliasName, is_write_index: true } });
    // One request: readers see the old target or the new one, never none or both.
    await this.client.indices.updateAliases({ actions });
  }

  async resolveAlias(alias: string): Promise<string | null> {
    const [target] = await this.aliasTargets(this.physicalName(alias));
    if (target === undefined) return null;
    return target.startsWith(this.prefix) ? target.slice(this.prefix.length) : target;
  }

  async bulkIndex(indexName: string, docs: SearchDocument[]): Promise<void> {
    const index = this.physicalName(indexName);
    for (let i = 0; i < docs.length; i += BULK_CHUNK) {
      const operations: unknown[] = [];
      for (const doc of docs.slice(i, i + BULK_CHUNK)) {
        operations.push({
          index: { _index: index, _id: doc.id, version: doc.version, version_type: 'external' },
        });
        operations.push(toStored(doc));
      }
      await this.bulk(operations);
    }
  }

  async bulkDelete(indexName: string, ids: string[]): Promise<void> {
    const index = this.physicalName(indexName);
    for (let i = 0; i < ids.length; i += BULK_CHUNK) {
      await this.bulk(ids.slice(i, i + BULK_CHUNK).map((id) => ({ delete: { _index: index, _id: id } })));
    }
  }

  async refresh(indexName: string): Promise<void> {
    await this.client.indices.refresh({ index: this.physicalName(indexName) });
  }

  async search(target: string, query: SearchQuery): Promise<SearchResult> {
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const size = Math.min(MAX_SIZE, Math.max(1, Math.floor(query.size ?? DEFAULT_SIZE)));
    const tokens = query.q ? queryTokens(query.q) : [];
    const fullText = tokens.length > 0;
    const facets = query.facets ?? [];

    const response = await this.client.search<StoredDocument>({
      index: this.physicalName(target),
      // A missing index (or an alias not yet pointed anywhere) is an empty result, as in the SQLite adapter.
      ignore_unavailable: true,
      allow_no_indices: true,
      from: (page - 1) * size,
      size,
      track_total_hits: true,
      query: {
        bool: {
          must: fullText
            ? [
                {
                  combined_fields: {
                    query: tokens.join(' '),
                    fields: ['title_tokens^3', 'text_tokens'],
                    operator: 'and',
                  },
                },
              ]
            : [{ match_all: {} }],
          filter: filters(query),
        },
      },
      sort: fullText
        ? ['_score', { date: { order: 'desc', missing: '_last' } }, { id: 'asc' }]
        : [{ date: { order: 'desc', missing: '_last' } }, { id: 'asc' }],
      aggs: Object.fromEntries(
        facets.map((facet) => {
          const field = FACET_FIELDS[facet];
          if (!field) throw new Error(`Unknown facet ${facet}`);
          return [
            facet,
            { terms: { field, size: MAX_FACET_VALUES, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
          ];
        }),
      ),
    });

    const total =
      typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
    const resultFacets: SearchResult['facets'] = {};
    for (const facet of facets) {
      const agg = response.aggregations?.[facet] as estypes.AggregationsStringTermsAggregate | undefined;
      const buckets = (agg?.buckets ?? []) as estypes.AggregationsStringTermsBucket[];
      resultFacets[facet] = buckets.map((b) => ({ value: String(b.key), count: b.doc_count }));
    }
    return { total, page, size, hits: response.hits.hits.map(toHit), facets: resultFacets };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async aliasTargets(alias: string): Promise<string[]> {
    try {
      const response = await this.client.indices.getAlias({ name: alias });
      return Object.keys(response).sort();
    } catch (err) {
      if (isError(err, 404)) return [];
      throw err;
    }
  }

  /** Sends one bulk request; per item, a 409 (older or equal version) and a 404 delete are not failures. */
  private async bulk(operations: unknown[]): Promise<void> {
    if (operations.length === 0) return;
    const response = await this.client.bulk({ operations });
    if (!response.errors) return;
    const failures = response.items
      .map((item) => Object.values(item)[0]!)
      .filter((result) => result.error && result.status !== 409 && result.status !== 404);
    if (failures.length > 0) {
      const first = failures[0]!;
      throw new Error(
        `Elasticsearch bulk: ${failures.length} item(s) failed; first: ${first._index}/${first._id} ` +
          `${first.status} ${first.error?.type}: ${first.error?.reason}`,
      );
    }
  }
}

function filters(query: SearchQuery): estypes.QueryDslQueryContainer[] {
  const out: estypes.QueryDslQueryContainer[] = [];
  if (query.kind && query.kind.length > 0) out.push({ terms: { kind: query.kind } });
  if (query.region) out.push({ prefix: { regionCode: query.region } });
  if (query.product) out.push({ term: { product: query.product } });
  if (query.type) out.push({ term: { type: query.type } });
  if (query.from || query.to) {
    // A date-only `to` is rounded up to the end of that day by Elasticsearch (as the SQLite adapter does).
    const range: estypes.QueryDslDateRangeQuery = {};
    if (query.from) range.gte = query.from;
    if (query.to) range.lte = query.to;
    out.push({ range: { date: range } });
  }
  if (query.bbox) {
    const [minLon, minLat, maxLon, maxLat] = query.bbox;
    out.push({
      geo_bounding_box: {
        location: { top_left: { lat: maxLat, lon: minLon }, bottom_right: { lat: minLat, lon: maxLon } },
      },
    });
  }
  return out;
}

function toStored(doc: SearchDocument): StoredDocument {
  const stored: StoredDocument = {
    id: doc.id,
    version: doc.version,
    kind: doc.kind,
    title: doc.title,
    text: doc.text,
    title_tokens: documentTokens(doc.title).join(' '),
    text_tokens: documentTokens(doc.text).join(' '),
    regionCode: doc.regionCode,
    payload: doc.payload ?? {},
  };
  if (doc.regionCode.length >= 2) stored.province = doc.regionCode.slice(0, 2);
  if (doc.regionCode.length >= 4) stored.city = doc.regionCode.slice(0, 4);
  if (doc.regionCode.length >= 6) stored.county = doc.regionCode.slice(0, 6);
  if (doc.product) stored.product = doc.product;
  if (doc.type) stored.type = doc.type;
  if (doc.date) stored.date = doc.date;
  if (doc.location) stored.location = { lat: doc.location.lat, lon: doc.location.lon };
  return stored;
}

function toHit(hit: estypes.SearchHit<StoredDocument>): SearchHit {
  const source = hit._source!;
  const out: SearchHit = {
    id: source.id,
    kind: source.kind,
    title: source.title,
    score: hit._score ?? 0,
    regionCode: source.regionCode,
    payload: source.payload ?? {},
  };
  if (source.product !== undefined) out.product = source.product;
  if (source.type !== undefined) out.type = source.type;
  if (source.date !== undefined) out.date = source.date;
  if (source.location !== undefined) out.location = source.location;
  return out;
}

function isError(err: unknown, status: number, type?: string): boolean {
  if (!(err instanceof errors.ResponseError) || err.statusCode !== status) return false;
  return type === undefined || (err.body as { error?: { type?: string } } | undefined)?.error?.type === type;
}
