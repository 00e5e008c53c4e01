import type { estypes } from '@elastic/elasticsearch';

/**
 * Settings and mappings of a search index. Used for every index this adapter creates and, through an
 * index template, for any index whose name matches the template's pattern (e.g. per-period indices).
 *
 * Chinese without a Chinese analyzer: the CI node (integ-test-zip) has neither analysis-common nor smartcn
 * nor ICU, and a production cluster may lack the plugins too. So the application tokenizes — CJK unigrams +
 * bigrams, folded Latin words, codes whole and grouped (infrastructure/sqlite/cjk-tokens.ts, shared with
 * the SQLite FTS5 index) — and sends the tokens space-separated in `title_tokens` / `text_tokens`, which
 * use the built-in `whitespace` analyzer. Queries are tokenized the same way and all tokens must match.
 * Display fields (`title`, `text`) are stored in _source only; tokens are indexed but not stored.
 *
 * Region hierarchy (GB/T 2260): `province` (2 digits), `city` (4), `county` (6) keywords, filled at index
 * time from `regionCode`, so facets are plain terms aggregations; prefix filters use `regionCode`.
 */
export const SEARCH_INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  // One replica where the cluster has a second node, none on a single node (which stays green).
  auto_expand_replicas: '0-1',
  // Positions are the external versions; keep delete tombstones long enough that a late, older index
  // request arriving after a delete is still rejected (the default is 60 s).
  gc_deletes: '10m',
};

const keyword: estypes.MappingProperty = { type: 'keyword' };
const tokens: estypes.MappingProperty = { type: 'text', analyzer: 'whitespace' };
const storedOnly: estypes.MappingProperty = { type: 'text', index: false };

export const SEARCH_INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  _source: { excludes: ['title_tokens', 'text_tokens'] },
  properties: {
    id: keyword,
    version: { type: 'long' },
    kind: keyword,
    title: storedOnly,
    text: storedOnly,
    title_tokens: tokens,
    text_tokens: tokens,
    regionCode: keyword,
    province: keyword,
    city: keyword,
    county: keyword,
    product: keyword,
    type: keyword,
    date: { type: 'date' },
    location: { type: 'geo_point' },
    payload: { type: 'object', enabled: false },
  },
};
