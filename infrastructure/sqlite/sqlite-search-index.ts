import { createHash } from 'node:crypto';
import type { FacetName, SearchDocument, SearchHit, SearchIndex, SearchQuery, SearchResult } from '../../application/ports/search-index';
import { documentTokens, matchExpression, queryTokens } from './cjk-tokens';
import { FACET_EXPRESSIONS, filterConditions, normalizeInstant } from './search-filters';
import { DurabilityBarrier, openDatabase, StatementCache, type OpenOptions, type SqliteDatabase } from './sqlite-database';
import { sqlIdentifier } from './text-range';

const DEFAULT_SIZE = 20;
const MAX_SIZE = 1000;
const MAX_FACET_VALUES = 100;
/** Title matches weigh more than matches in the further text (bm25 column weights: title, body). */
const BM25_WEIGHTS = '3.0, 1.0';

interface DocRow {
  id: string;
  kind: string;
  title: string;
  region_code: string;
  product: string | null;
  type: string | null;
  date: string | null;
  lat: number | null;
  lon: number | null;
  payload: string;
  rank: number | null;
}

interface IndexTables {
  docs: string;
  fts: string;
}

/**
 * The embedded SearchIndex: per physical index a documents table (filter and facet columns) and a
 * contentless FTS5 table holding the CJK-aware tokens of title and text (see cjk-tokens.ts), joined
 * by rowid. Aliases live in a table, so repointing one is a single atomic upsert.
 */
export class SqliteSearchIndex implements SearchIndex {
  private readonly db: SqliteDatabase;
  private readonly statements: StatementCache;
  private readonly bulkIndexTransaction;
  /** With synchronous=NORMAL, flush() makes the writes so far durable together. */
  private readonly barrier: DurabilityBarrier;
  private closed = false;

  constructor(filePath: string, options: OpenOptions = {}) {
    this.db = openDatabase(filePath, options);
    this.barrier = new DurabilityBarrier(this.db, options);
    const fts5 = this.db.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS5')").pluck().get();
    if (fts5 !== 1) throw new Error('This SQLite build lacks FTS5; the embedded search index needs it');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS search_indexes (name TEXT PRIMARY KEY, slot TEXT NOT NULL UNIQUE) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS search_aliases (alias TEXT PRIMARY KEY, index_name TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.statements = new StatementCache(this.db);
    this.bulkIndexTransaction = this.db.transaction((tables: IndexTables, docs: SearchDocument[]) => {
      for (const doc of docs) this.indexOne(tables, doc);
    });
  }

  async createIndex(indexName: string): Promise<void> {
    this.ensureIndex(indexName);
  }

  async dropIndex(indexName: string): Promise<void> {
    const tables = this.tablesOf(indexName);
    if (!tables) return;
    this.db
      .transaction(() => {
        this.db.exec(`DROP TABLE IF EXISTS ${tables.fts}; DROP TABLE IF EXISTS ${tables.docs};`);
        this.db.prepare('DELETE FROM search_indexes WHERE name = ?').run(indexName);
        // As in Elasticsearch, aliases die with their index.
        this.db.prepare('DELETE FROM search_aliases WHERE index_name = ?').run(indexName);
      })
      .immediate();
    this.statements.clear();
  }

  async setAlias(alias: string, indexName: string): Promise<void> {
    if (!this.tablesOf(indexName)) throw new Error(`Cannot point alias ${alias} at missing search index ${indexName}`);
    this.statements
      .get('INSERT INTO search_aliases (alias, index_name) VALUES (?, ?) ON CONFLICT (alias) DO UPDATE SET index_name = excluded.index_name')
      .run(alias, indexName);
  }

  async resolveAlias(alias: string): Promise<string | null> {
    const name = this.statements.get('SELECT index_name FROM search_aliases WHERE alias = ?').pluck().get(alias) as string | undefined;
    return name ?? null;
  }

  async bulkIndex(indexName: string, docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    // Like Elasticsearch, indexing into a missing index creates it.
    const tables = this.ensureIndex(indexName);
    this.barrier.written();
    this.bulkIndexTransaction.immediate(tables, docs);
  }

  async bulkDelete(indexName: string, ids: string[]): Promise<void> {
    const tables = this.tablesOf(indexName);
    if (!tables || ids.length === 0) return;
    this.barrier.written();
    this.db
      .transaction(() => {
        for (const id of ids) {
          const rowid = this.statements.get(`SELECT rowid FROM ${tables.docs} WHERE id = ?`).pluck().get(id) as number | undefined;
          if (rowid === undefined) continue;
          this.statements.get(`DELETE FROM ${tables.fts} WHERE rowid = ?`).run(rowid);
          this.statements.get(`DELETE FROM ${tables.docs} WHERE rowid = ?`).run(rowid);
        }
      })
      .immediate();
  }

  async flush(): Promise<void> {
    this.barrier.flush();
  }

  async refresh(_indexName: string): Promise<void> {
    // Committed writes are visible at once.
  }

  async search(target: string, query: SearchQuery): Promise<SearchResult> {
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const size = Math.min(MAX_SIZE, Math.max(1, Math.floor(query.size ?? DEFAULT_SIZE)));
    const empty: SearchResult = { total: 0, page, size, hits: [], facets: {} };
    const indexName = (await this.resolveAlias(target)) ?? target;
    const tables = this.tablesOf(indexName);
    if (!tables) return { ...empty, facets: Object.fromEntries((query.facets ?? []).map((f) => [f, []])) };

    const params: unknown[] = [];
    const conditions = filterConditions(query, params);
    const tokens = query.q ? queryTokens(query.q) : [];
    const fullText = tokens.length > 0;
    // The FTS match is computed once as a CTE; filters, count, facets and hits all read from it.
    const source = fullText
      ? `WITH m AS (SELECT rowid AS rid, bm25(${tables.fts}, ${BM25_WEIGHTS}) AS rank FROM ${tables.fts} WHERE ${tables.fts} MATCH ?)
         SELECT __COLUMNS__ FROM m JOIN ${tables.docs} AS d ON d.rowid = m.rid`
      : `SELECT __COLUMNS__ FROM ${tables.docs} AS d`;
    const allParams = fullText ? [matchExpression(tokens), ...params] : params;
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const select = (columns: string) => source.replace('__COLUMNS__', columns) + where;

    const order = fullText ? 'm.rank, d.id' : 'd.date_key IS NULL, d.date_key DESC, d.id';
    const rows = this.statements
      .get(
        `${select(`d.id, d.kind, d.title, d.region_code, d.product, d.type, d.date, d.lat, d.lon, d.payload, ${fullText ? 'm.rank' : 'NULL'} AS rank`)}
         ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...allParams, size, (page - 1) * size) as DocRow[];
    const { total, facets } = this.countAndFacets(select, allParams, query.facets ?? []);
    return { total, page, size, hits: rows.map(toHit), facets };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /**
   * The total and every facet in ONE pass over the matching documents: a GROUP BY over all facet values
   * together, folded per facet here. One query per facet plus one for the count scanned the matches five
   * times for the default four facets.
   */
  private countAndFacets(
    select: (columns: string) => string,
    params: unknown[],
    names: readonly FacetName[],
  ): { total: number; facets: SearchResult['facets'] } {
    const exprs = names.map((facet) => {
      const expr = FACET_EXPRESSIONS[facet];
      if (!expr) throw new Error(`Unknown facet ${facet}`);
      return expr;
    });
    if (exprs.length === 0) return { total: this.statements.get(select('count(*)')).pluck().get(...params) as number, facets: {} };
    const columns = exprs.map((e, i) => `${e} AS f${i}`).join(', ');
    const groups = exprs.map((_, i) => `f${i}`).join(', ');
    const rows = this.statements.get(`SELECT ${groups}, count(*) AS n FROM (${select(columns)}) GROUP BY ${groups}`).raw().all(...params) as unknown[][];
    const counts = names.map(() => new Map<string, number>());
    let total = 0;
    for (const row of rows) {
      const n = row[exprs.length] as number;
      total += n;
      counts.forEach((byValue, i) => {
        const value = row[i];
        if (value === null || value === '') return;
        byValue.set(String(value), (byValue.get(String(value)) ?? 0) + n);
      });
    }
    const facets: SearchResult['facets'] = {};
    names.forEach((facet, i) => {
      facets[facet] = [...counts[i]!]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, MAX_FACET_VALUES);
    });
    return { total, facets };
  }

  private indexOne(tables: IndexTables, doc: SearchDocument): void {
    const stored = this.statements.get(`SELECT rowid, version FROM ${tables.docs} WHERE id = ?`).get(doc.id) as
      | { rowid: number; version: number }
      | undefined;
    if (stored && stored.version > doc.version) return; // an older version never overwrites a newer one
    const columns = [
      doc.version,
      doc.kind,
      doc.title,
      doc.regionCode,
      doc.product ?? null,
      doc.type ?? null,
      doc.date ?? null,
      doc.date ? normalizeInstant(doc.date, 'exact') : null,
      doc.location?.lat ?? null,
      doc.location?.lon ?? null,
      JSON.stringify(doc.payload ?? {}),
    ];
    let rowid: number;
    if (stored) {
      rowid = stored.rowid;
      this.statements
        .get(
          `UPDATE ${tables.docs} SET version = ?, kind = ?, title = ?, region_code = ?, product = ?, type = ?, date = ?,
                                     date_key = ?, lat = ?, lon = ?, payload = ? WHERE rowid = ?`,
        )
        .run(...columns, rowid);
      this.statements.get(`DELETE FROM ${tables.fts} WHERE rowid = ?`).run(rowid);
    } else {
      const info = this.statements
        .get(
          `INSERT INTO ${tables.docs} (id, version, kind, title, region_code, product, type, date, date_key, lat, lon, payload)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(doc.id, ...columns);
      rowid = Number(info.lastInsertRowid);
    }
    this.statements
      .get(`INSERT INTO ${tables.fts} (rowid, title, body) VALUES (?, ?, ?)`)
      .run(rowid, documentTokens(doc.title ?? '').join(' '), documentTokens(doc.text ?? '').join(' '));
  }

  private tablesOf(indexName: string): IndexTables | null {
    const slot = this.statements.get('SELECT slot FROM search_indexes WHERE name = ?').pluck().get(indexName) as string | undefined;
    return slot ? tablesForSlot(slot) : null;
  }

  private ensureIndex(indexName: string): IndexTables {
    const existing = this.tablesOf(indexName);
    if (existing) return existing;
    const slot = slotName(indexName);
    const tables = tablesForSlot(slot);
    this.db
      .transaction(() => {
        this.db.exec(`
          CREATE TABLE IF NOT EXISTS ${tables.docs} (
            rowid       INTEGER PRIMARY KEY,
            id          TEXT    NOT NULL UNIQUE,
            version     INTEGER NOT NULL,
            kind        TEXT    NOT NULL,
            title       TEXT    NOT NULL,
            region_code TEXT    NOT NULL,
            product     TEXT,
            type        TEXT,
            date        TEXT,
            date_key    TEXT,
            lat         REAL,
            lon         REAL,
            payload     TEXT    NOT NULL
          );
          CREATE INDEX IF NOT EXISTS ${sqlIdentifier(`${slot}_region`)} ON ${tables.docs} (region_code);
          CREATE INDEX IF NOT EXISTS ${sqlIdentifier(`${slot}_date`)} ON ${tables.docs} (date_key);
          CREATE INDEX IF NOT EXISTS ${sqlIdentifier(`${slot}_kind`)} ON ${tables.docs} (kind, date_key);
          -- A supervisor's usual list: one kind inside a region (the kind equality, then the region range).
          CREATE INDEX IF NOT EXISTS ${sqlIdentifier(`${slot}_kind_region`)} ON ${tables.docs} (kind, region_code);
          CREATE VIRTUAL TABLE IF NOT EXISTS ${tables.fts} USING fts5(
            title, body, content = '', contentless_delete = 1, tokenize = 'ascii'
          );
        `);
        this.db.prepare('INSERT OR IGNORE INTO search_indexes (name, slot) VALUES (?, ?)').run(indexName, slot);
      })
      .immediate();
    return tables;
  }
}

function tablesForSlot(slot: string): IndexTables {
  return { docs: sqlIdentifier(`${slot}_docs`), fts: sqlIdentifier(`${slot}_fts`) };
}

/** Table-name-safe and unique per index name (SQLite table names ignore case, hence the hash). */
function slotName(indexName: string): string {
  const sanitized = indexName.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  return `si_${sanitized}_${createHash('sha256').update(indexName).digest('hex').slice(0, 8)}`;
}

function toHit(row: DocRow): SearchHit {
  const hit: SearchHit = {
    id: row.id,
    kind: row.kind,
    title: row.title,
    // bm25 is lower-is-better and negative; a hit's score is higher-is-better, as in Elasticsearch.
    score: row.rank === null ? 0 : -row.rank,
    regionCode: row.region_code,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
  if (row.product !== null) hit.product = row.product;
  if (row.type !== null) hit.type = row.type;
  if (row.date !== null) hit.date = row.date;
  if (row.lat !== null && row.lon !== null) hit.location = { lat: row.lat, lon: row.lon };
  return hit;
}
