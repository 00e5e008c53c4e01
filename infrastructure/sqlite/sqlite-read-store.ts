import { createHash } from 'node:crypto';
import { IncrementsStraddle, type Change, type CheckpointedChanges, type Filter, type FindOptions, type GraphWalk, type Increment, type ReadDoc, type ReadStore, type WalkedEdge } from '../../application/ports/read-store';
import { arrayPathsOf, extractExpression, FilterCompiler, orderBy, typeOfExpression, valueExpression, type ColumnsByPath, type GeneratedColumns } from './json-filter';
import { createReadStoreFile, releaseFreePages } from './read-store-file';
import { openDatabase, StatementCache, type OpenOptions, type SqliteDatabase } from './sqlite-database';
import { sqlIdentifier } from './text-range';

/**
 * The embedded ReadStore: one table per collection (`doc_<name>`: id, v, body JSON) in its own SQLite
 * file. Read models are rebuilt from the log, so it could share the event store's file, but a separate
 * file keeps a rebuild's heavy writes and VACUUMs away from the ledger's write lock; the composition
 * uses `read-models.sqlite` beside `events.sqlite`.
 *
 * A put replaces only when the stored `v` is lower (the `_v` rule of the port), in SQL:
 * `ON CONFLICT DO UPDATE ... WHERE stored.v < excluded.v`.
 *
 * An indexed path gets two columns (its value and its JSON type, recorded in `generated_columns`) and one
 * index over them (decision 0021): queries name the columns, so the index answers the comparison and the type
 * check without parsing bodies, and the recursive walk of a graph (`walk`) follows edges inside the index.
 * Since decision 0026 a new path's columns are *stored*: ordinary columns the store writes itself, from the
 * same SQL expressions, when a put inserts or replaces a row — and leaves alone when an increment adds to a
 * counter no index reads. A VIRTUAL generated column (what older files hold, kept as they are) is recomputed
 * on every write of the body, and every index over it rewritten: an increment of a statistics bucket cost
 * 15–19 µs with its two indexes that way against 10 µs stored (bench in decision 0026).
 */
export class SqliteReadStore implements ReadStore {
  /** Counter documents are added to in SQL (`incrementDoc`): the port's Increment. */
  readonly increments = true;
  private readonly db: SqliteDatabase;
  private readonly statements: StatementCache;
  /** collection name → table name, for collections known to exist. */
  private readonly tables = new Map<string, string>();
  /** `collection\0path` pairs already recorded in array_paths by this instance (saves a write per put). */
  private readonly knownArrayPaths = new Set<string>();
  private readonly applyTransaction;
  private readonly applyManyTransaction;
  private closed = false;
  /**
   * collection → its stored index columns and the put that writes them, read once per write transaction: inside
   * the write lock no other process can add an index meanwhile, so no row is ever written without its columns.
   */
  private readonly storedColumnsNow = new Map<string, StoredColumns>();
  /**
   * Whether a new index column is stored (decision 0026) or VIRTUAL generated (before it). Only the benchmark's
   * before/after switch (bench/statistics-virtual-columns.js) sets it to false; the app never does.
   */
  static storedIndexColumns = true;

  constructor(filePath: string, options: OpenOptions = {}) {
    createReadStoreFile(filePath);
    this.db = openDatabase(filePath, options);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, table_name TEXT NOT NULL UNIQUE) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS array_paths (
        collection TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (collection, path)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS generated_columns (
        collection TEXT NOT NULL, path TEXT NOT NULL, value_column TEXT NOT NULL, type_column TEXT NOT NULL,
        stored INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (collection, path)
      ) WITHOUT ROWID;
    `);
    // A file of before decision 0026: its columns are all VIRTUAL (stored = 0).
    this.db.transaction(() => {
      const names = this.db.prepare(`SELECT name FROM pragma_table_info('generated_columns')`).pluck().all() as string[];
      if (!names.includes('stored')) this.db.exec('ALTER TABLE generated_columns ADD COLUMN stored INTEGER NOT NULL DEFAULT 0');
    }).immediate();
    this.statements = new StatementCache(this.db);
    this.applyTransaction = this.db.transaction((checkpointName: string, changes: Change[], position: number) => {
      this.storedColumnsNow.clear();
      const straddles: number[] = [];
      for (const change of changes) {
        if (change.op === 'put') this.putDoc(change.collection, change.doc);
        else if (change.op === 'inc') this.incrementDoc(change, straddles);
        else this.deleteDoc(change.collection, change.id);
      }
      // Thrown inside the transaction: it rolls back, nothing of the batch is stored (the caller folds it in parts).
      if (straddles.length > 0) throw new IncrementsStraddle([...new Set(straddles)].sort((a, b) => a - b));
      this.statements
        .get('INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position')
        .run(checkpointName, position);
    });
    // Nested transactions become savepoints: the groups commit together, with one WAL commit.
    this.applyManyTransaction = this.db.transaction((groups: readonly CheckpointedChanges[]) => {
      for (const g of groups) this.applyTransaction(g.checkpointName, g.changes, g.position);
    });
  }

  async get(collection: string, id: string): Promise<ReadDoc | null> {
    const table = this.existingTable(collection);
    if (!table) return null;
    const body = this.statements.get(`SELECT body FROM ${table} WHERE id = ?`).pluck().get(id) as string | undefined;
    return body === undefined ? null : (JSON.parse(body) as ReadDoc);
  }

  async getMany(collection: string, ids: string[]): Promise<ReadDoc[]> {
    const table = this.existingTable(collection);
    if (!table || ids.length === 0) return [];
    // One statement for any number of ids: they travel as one JSON array. Results keep the order of `ids`.
    const rows = this.statements
      .get(`SELECT j.value AS id, t.body FROM json_each(?) AS j JOIN ${table} AS t ON t.id = j.value ORDER BY j.key`)
      .all(JSON.stringify(ids)) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as ReadDoc);
  }

  async find(collection: string, filter: Filter, options: FindOptions = {}): Promise<ReadDoc[]> {
    const table = this.existingTable(collection);
    if (!table) return [];
    const columns = this.columnsOf(collection);
    const { where, params } = this.compiler(collection, columns).compile(filter);
    const limit = options.limit && options.limit > 0 ? options.limit : -1; // 0 = no limit, as in MongoDB
    const sql = `SELECT body FROM ${table} WHERE ${where} ORDER BY ${orderBy(options.sort, columns)} LIMIT ? OFFSET ?`;
    const bodies = this.statements.get(sql).pluck().all(...params, limit, Math.max(0, options.skip ?? 0)) as string[];
    return bodies.map((b) => JSON.parse(b) as ReadDoc);
  }

  async count(collection: string, filter: Filter): Promise<number> {
    const table = this.existingTable(collection);
    if (!table) return 0;
    const { where, params } = this.compiler(collection, this.columnsOf(collection)).compile(filter);
    return this.statements.get(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get(...params) as number;
  }

  async ensureIndex(collection: string, paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    const table = this.tableFor(collection);
    const suffix = `${table.slice(1, -1)}_${shortHash(paths.join('\u0000'))}`;
    this.db.transaction(() => {
      const columns = paths.filter((p) => p !== '_id' && p !== '_v').map((p) => this.generatedColumns(collection, table, p));
      const keys = paths.map((p) => (p === '_id' ? 'id' : p === '_v' ? 'v' : null));
      let c = 0;
      const indexed = keys.flatMap((k) => (k !== null ? [k] : [columns[c]!.value, columns[c++]!.type]));
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${sqlIdentifier(`gidx_${suffix}`)} ON ${table} (${indexed.join(', ')})`);
      // The expression index of earlier versions over the same paths, if this file has one: the generated
      // columns' index replaces it.
      this.db.exec(`DROP INDEX IF EXISTS ${sqlIdentifier(`idx_${suffix}`)}`);
    }).immediate();
  }

  /**
   * Every edge reachable from `walk.start`, in one recursive query: each step joins the reached values to
   * the edges' `fromPath` column (indexed: the runner declares `[from, to]` on lot_edges, so a step reads
   * only the index), and the bodies are read once at the end.
   */
  async walk(collection: string, walk: GraphWalk): Promise<WalkedEdge[]> {
    const table = this.existingTable(collection);
    if (!table || walk.start.length === 0 || walk.maxDepth < 1) return [];
    const columns = this.columnsOf(collection);
    const from = valueExpression(walk.fromPath, columns);
    const to = valueExpression(walk.toPath, columns);
    const sort = walk.sortPath ? `${valueExpression(walk.sortPath, columns)}, ` : '';
    const sql = `WITH RECURSIVE
        walked(rid, target, depth) AS (
          SELECT rowid, ${to}, 1 FROM ${table} WHERE ${from} IN (SELECT value FROM json_each(?))
          UNION
          SELECT e.rowid, ${qualified(to, 'e')}, w.depth + 1 FROM walked AS w JOIN ${table} AS e ON ${qualified(from, 'e')} = w.target
           WHERE w.depth < ? AND w.target IS NOT NULL
        ),
        reached AS (SELECT rid, min(depth) AS depth FROM walked GROUP BY rid)
      SELECT body, r.depth AS depth FROM reached AS r JOIN ${table} ON ${table}.rowid = r.rid
       ORDER BY r.depth, ${sort}id LIMIT ?`;
    const limit = walk.maxEdges && walk.maxEdges > 0 ? walk.maxEdges : -1;
    const rows = this.statements.get(sql).all(JSON.stringify(walk.start), walk.maxDepth, limit) as { body: string; depth: number }[];
    return rows.map((r) => ({ doc: JSON.parse(r.body) as ReadDoc, depth: r.depth }));
  }

  async applyChanges(checkpointName: string, changes: Change[], position: number): Promise<void> {
    try {
      this.applyTransaction.immediate(checkpointName, changes, position);
    } catch (err) {
      this.forgetRolledBack();
      throw err;
    }
  }

  async applyChangesMany(groups: readonly CheckpointedChanges[]): Promise<void> {
    if (groups.length === 0) return;
    try {
      this.applyManyTransaction.immediate(groups);
    } catch (err) {
      this.forgetRolledBack();
      throw err;
    }
  }

  /** The rollback may have undone array_paths rows and tables this instance believes exist. */
  private forgetRolledBack(): void {
    this.knownArrayPaths.clear();
    this.tables.clear();
  }

  async getCheckpoint(checkpointName: string): Promise<number | null> {
    const position = this.statements.get('SELECT position FROM checkpoints WHERE name = ?').pluck().get(checkpointName) as number | undefined;
    return position ?? null;
  }

  async deleteCheckpoint(checkpointName: string): Promise<void> {
    this.statements.get('DELETE FROM checkpoints WHERE name = ?').run(checkpointName);
  }

  async dropCollection(collection: string): Promise<void> {
    const table = this.existingTable(collection);
    if (!table) return;
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${table}`);
      this.db.prepare('DELETE FROM collections WHERE name = ?').run(collection);
      this.db.prepare('DELETE FROM array_paths WHERE collection = ?').run(collection);
      this.db.prepare('DELETE FROM generated_columns WHERE collection = ?').run(collection);
    }).immediate();
    this.tables.delete(collection);
    for (const key of this.knownArrayPaths) if (key.startsWith(`${collection}\0`)) this.knownArrayPaths.delete(key);
    this.statements.clear();
    if (!this.closed) await releaseFreePages(this.db);
  }

  async listCollections(): Promise<string[]> {
    return this.db.prepare('SELECT name FROM collections ORDER BY name').pluck().all() as string[];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private putDoc(collection: string, doc: ReadDoc): void {
    if (typeof doc._id !== 'string' || typeof doc._v !== 'number') throw new Error(`A read-model document needs a string _id and a numeric _v`);
    const table = this.tableFor(collection);
    this.recordArrayPaths(collection, doc);
    const stored = this.storedColumns(collection, table);
    if (stored.put) {
      this.statements.get(stored.put).run({ id: doc._id, v: doc._v, body: JSON.stringify(doc) });
      return;
    }
    this.statements
      .get(
        `INSERT INTO ${table} AS stored (id, v, body) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET v = excluded.v, body = excluded.body WHERE stored.v < excluded.v`,
      )
      .run(doc._id, doc._v, JSON.stringify(doc));
  }

  /**
   * The collection's stored index columns (decision 0026) and the put that fills them: the insert computes each
   * from the body by the expressions a generated column would have, and a replacing put takes the inserted row's
   * values (`excluded`). Read once per write transaction (see `storedColumnsNow`).
   */
  private storedColumns(collection: string, table: string): StoredColumns {
    const known = this.storedColumnsNow.get(collection);
    if (known) return known;
    const rows = this.statements
      .get('SELECT path, value_column AS value, type_column AS type FROM generated_columns WHERE collection = ? AND stored = 1 ORDER BY path')
      .all(collection) as (GeneratedColumns & { path: string })[];
    let put: string | null = null;
    if (rows.length > 0) {
      const names = rows.flatMap((r) => [r.value, r.type]);
      const values = rows.flatMap((r) => [extractExpression(r.path, '@body'), typeOfExpression(r.path, '@body')]);
      put = `INSERT INTO ${table} AS stored (id, v, body, ${names.join(', ')}) VALUES (@id, @v, @body, ${values.join(', ')})
         ON CONFLICT (id) DO UPDATE SET v = excluded.v, body = excluded.body, ${names.map((n) => `${n} = excluded.${n}`).join(', ')} WHERE stored.v < excluded.v`;
    }
    const out: StoredColumns = { columns: rows, roots: new Set(rows.map((r) => r.path.split('.')[0]!)), put };
    this.storedColumnsNow.set(collection, out);
    return out;
  }

  /** Array-valued paths are recorded once per collection: filters on them match any element (json-filter.ts). */
  private recordArrayPaths(collection: string, doc: Record<string, unknown>): void {
    for (const path of arrayPathsOf(doc)) {
      const key = `${collection}\0${path}`;
      if (this.knownArrayPaths.has(key)) continue;
      this.statements.get('INSERT OR IGNORE INTO array_paths (collection, path) VALUES (?, ?)').run(collection, path);
      this.knownArrayPaths.add(key);
    }
  }

  /**
   * The port's Increment by primary key: the stored `v` decides, then the counters are added and the row written
   * once. Measured on this machine (8,000 bucket rows of 10–80 counters, one transaction): reading the body and
   * adding in JavaScript costs what SQLite's own `json_set` with bound paths does, and less than summing
   * `json_each` rows in SQL (≈ 1.5×); the row write dominates either way (decision 0025).
   */
  private incrementDoc(inc: Increment, straddles: number[]): void {
    // Names MongoDB would read as paths or operators are refused here too: one contract for both stores.
    for (const k of [inc.field, ...Object.keys(inc.add), ...Object.keys(inc.set), ...Object.keys(inc.init)]) fieldName(k);
    const table = this.tableFor(inc.collection);
    const row = this.statements.get(`SELECT v, body FROM ${table} WHERE id = ?`).get(inc.id) as { v: number; body: string } | undefined;
    if (row === undefined) {
      this.putDoc(inc.collection, { _id: inc.id, ...inc.init, ...inc.set, [inc.field]: { ...inc.add }, _v: inc.v } as ReadDoc);
      return;
    }
    if (row.v >= inc.v) return;
    if (row.v >= inc.from) {
      straddles.push(row.v);
      return;
    }
    const doc = JSON.parse(row.body) as Record<string, unknown>;
    const held = doc[inc.field];
    const counters = (held && typeof held === 'object' ? held : (doc[inc.field] = {})) as Record<string, number>;
    for (const k in inc.add) counters[k] = (counters[k] ?? 0) + inc.add[k]!;
    Object.assign(doc, inc.set);
    doc._v = inc.v;
    this.recordArrayPaths(inc.collection, inc.set);
    this.statements.get(`UPDATE ${table} SET v = ?, body = ? WHERE id = ?`).run(inc.v, JSON.stringify(doc), inc.id);
    // The stored index columns stay as they are unless an indexed path lies under what this increment changed.
    const stored = this.storedColumns(inc.collection, table);
    if (stored.roots.has(inc.field) || Object.keys(inc.set).some((k) => stored.roots.has(k))) {
      const sets = stored.columns.map((c) => `${c.value} = ${extractExpression(c.path)}, ${c.type} = ${typeOfExpression(c.path)}`);
      this.statements.get(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = ?`).run(inc.id);
    }
  }

  private deleteDoc(collection: string, id: string): void {
    const table = this.existingTable(collection);
    if (table) this.statements.get(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }

  private compiler(collection: string, columns: ColumnsByPath): FilterCompiler {
    // Read each time (one indexed lookup): another process may have written arrays since.
    const paths = this.statements.get('SELECT path FROM array_paths WHERE collection = ?').pluck().all(collection) as string[];
    return new FilterCompiler(new Set(paths), columns);
  }

  /** The generated columns of a collection's indexed paths (read each time, as array paths: another process may have indexed since). */
  private columnsOf(collection: string): ColumnsByPath {
    const rows = this.statements
      .get('SELECT path, value_column AS value, type_column AS type FROM generated_columns WHERE collection = ?')
      .all(collection) as (GeneratedColumns & { path: string })[];
    return new Map(rows.map((r) => [r.path, { value: r.value, type: r.type }]));
  }

  /**
   * The value and type columns of one path, added to the table when missing: stored (decision 0026; the rows
   * already there filled in once, here) or, before it, VIRTUAL generated. A path that has columns keeps them
   * as they are.
   */
  private generatedColumns(collection: string, table: string, path: string): GeneratedColumns {
    const known = this.statements
      .get('SELECT value_column AS value, type_column AS type FROM generated_columns WHERE collection = ? AND path = ?')
      .get(collection, path) as GeneratedColumns | undefined;
    if (known) return known;
    const hash = shortHash(path);
    const columns = { value: `g_${hash}`, type: `t_${hash}` };
    const stored = SqliteReadStore.storedIndexColumns;
    if (stored) {
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columns.value}`);
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columns.type}`);
      this.db.exec(`UPDATE ${table} SET ${columns.value} = ${extractExpression(path)}, ${columns.type} = ${typeOfExpression(path)}`);
    } else {
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columns.value} GENERATED ALWAYS AS (${extractExpression(path)}) VIRTUAL`);
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columns.type} GENERATED ALWAYS AS (${typeOfExpression(path)}) VIRTUAL`);
    }
    this.statements
      .get('INSERT INTO generated_columns (collection, path, value_column, type_column, stored) VALUES (?, ?, ?, ?, ?)')
      .run(collection, path, columns.value, columns.type, stored ? 1 : 0);
    this.storedColumnsNow.clear();
    return columns;
  }

  /** The quoted table of a collection, or null when it was never written (reads then find nothing). */
  private existingTable(collection: string): string | null {
    const known = this.tables.get(collection);
    if (known) return known;
    const table = this.statements.get('SELECT table_name FROM collections WHERE name = ?').pluck().get(collection) as string | undefined;
    if (!table) return null;
    const quoted = sqlIdentifier(table);
    this.tables.set(collection, quoted);
    return quoted;
  }

  private tableFor(collection: string): string {
    const existing = this.existingTable(collection);
    if (existing) return existing;
    const table = tableName(collection);
    const quoted = sqlIdentifier(table);
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${quoted} (id TEXT PRIMARY KEY, v INTEGER NOT NULL, body TEXT NOT NULL)`);
      this.db.prepare('INSERT OR IGNORE INTO collections (name, table_name) VALUES (?, ?)').run(collection, table);
    })();
    this.tables.set(collection, quoted);
    return quoted;
  }
}

/** A collection's stored index columns, the top-level fields they lie under, and the put that writes them (null: none). */
interface StoredColumns {
  columns: (GeneratedColumns & { path: string })[];
  roots: Set<string>;
  put: string | null;
}

/** A column or expression of the walk, read from the edge table aliased `alias`. */
function qualified(expression: string, alias: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(expression) ? `${alias}.${expression}` : expression.replace(/\bbody\b/, `${alias}.body`);
}

/**
 * `doc_<name>`; a name that is not plain lower-case identifier characters (SQLite table names ignore
 * case, so 'Lots' and 'lots' would collide) gets a hash suffix to stay unique.
 */
function tableName(collection: string): string {
  const sanitized = collection.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return sanitized === collection ? `doc_${sanitized}` : `doc_${sanitized}_${shortHash(collection)}`;
}

/** A counter or header name of an increment: none MongoDB would read as a path or an operator (one contract). */
function fieldName(key: string): string {
  if (key === '' || key.includes('.') || key.startsWith('$')) throw new Error(`read store: field name ${JSON.stringify(key)} cannot be incremented or set`);
  return key;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
