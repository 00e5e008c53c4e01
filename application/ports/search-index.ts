/**
 * The SearchIndex port. Embedded default: SQLite FTS5 with CJK unigram+bigram tokens; distributed: Elasticsearch.
 *
 * Indexes are addressed by physical name; an alias points at the live one so a rebuild can fill a new
 * index beside the old and swap (blue/green). Search goes through the alias.
 */
export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface SearchDocument {
  id: string;
  /** Global event position of the last event folded in; an older version never overwrites a newer one. */
  version: number;
  kind: 'entity' | 'lot' | 'base' | string;
  /** Main display text, e.g. entity name or product name. Searched. */
  title: string;
  /** Further searchable text (Chinese or English), e.g. addresses, product names, trace code. */
  text: string;
  /** 6-digit GB/T 2260 code; filters match by prefix (2 = province, 4 = city, 6 = county). */
  regionCode: string;
  product?: string;
  /** Entity type (enterprise, cooperative, familyFarm, slaughterhouse, household) or lot state. */
  type?: string;
  /** ISO-8601 date-time used by from/to filters (e.g. production date, application date). */
  date?: string;
  location?: GeoPoint;
  /** Returned as-is in hits; not searched. */
  payload: Record<string, unknown>;
}

export type FacetName = 'kind' | 'province' | 'city' | 'county' | 'product' | 'type';

export interface SearchQuery {
  q?: string;
  kind?: string[];
  /** Region code prefix. */
  region?: string;
  product?: string;
  type?: string;
  from?: string;
  to?: string;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox?: [number, number, number, number];
  page?: number; // 1-based
  size?: number;
  facets?: FacetName[];
}

export interface SearchHit {
  id: string;
  kind: string;
  title: string;
  score: number;
  regionCode: string;
  product?: string;
  type?: string;
  date?: string;
  location?: GeoPoint;
  payload: Record<string, unknown>;
}

export interface SearchResult {
  total: number;
  page: number;
  size: number;
  hits: SearchHit[];
  facets: Partial<Record<FacetName, { value: string; count: number }[]>>;
}

export interface SearchIndex {
  /** Creates the physical index if missing (mappings/tables). Idempotent. */
  createIndex(indexName: string): Promise<void>;
  dropIndex(indexName: string): Promise<void>;
  /** Points alias at indexName (atomically replacing its previous target). */
  setAlias(alias: string, indexName: string): Promise<void>;
  /** Physical index the alias points at, or null. */
  resolveAlias(alias: string): Promise<string | null>;
  /** Upserts documents; per document, a lower `version` than the stored one is ignored. */
  bulkIndex(indexName: string, docs: SearchDocument[]): Promise<void>;
  bulkDelete(indexName: string, ids: string[]): Promise<void>;
  /**
   * Optional durability barrier: resolves once every write so far survives a power cut (an adapter may
   * acknowledge writes before that, e.g. SQLite with synchronous=NORMAL). The projection runner moves a
   * search projection's stored checkpoint only to positions covered by a flush.
   */
  flush?(): Promise<void>;
  /** Makes recent writes visible to search (ES refresh; no-op for SQLite). */
  refresh(indexName: string): Promise<void>;
  /** `target` is an alias or an index name. */
  search(target: string, query: SearchQuery): Promise<SearchResult>;
  close(): Promise<void>;
}

export const SEARCH_INDEX = Symbol('SearchIndex');
