import {
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
} from 'mongodb';
import { IncrementsStraddle, type Change, type Filter, type FindOptions, type Increment, type ReadDoc, type ReadStore } from '../../application/ports/read-store';
import { incrementUpdate, newDocumentOf } from './mongo-increments';
import { toMongoQuery } from './mongo-filter';

/** Holds one document per projection checkpoint: `{ _id: checkpointName, position }`. */
export const CHECKPOINTS_COLLECTION = '_suyuan_checkpoints';

const DUPLICATE_KEY = 11000;
/** Well under FerretDB v1's 100 pooled connections (see `maxOpsPerMessage`). */
const FERRETDB_OPS_PER_MESSAGE = 50;
const NAMESPACE_NOT_FOUND = 26;

export interface MongoReadStoreOptions {
  /** Database name; default: the one in the URL path, else `suyuan`. */
  dbName?: string;
  /** Force the write/read mode instead of detecting the server (the contract suite runs both on FerretDB). */
  idLookupsOnly?: boolean;
}

/**
 * The ReadStore on MongoDB — and on FerretDB v1, which is what CI runs it against, so it only uses what
 * both support: CRUD with upserts, ordered bulk writes, single-field and compound ascending indexes,
 * `$regex` for prefixes, sort/skip/limit. No transactions, change streams, `$lookup` or `$facet`.
 *
 * Without transactions, `applyChanges` is idempotent instead of atomic (see the port): a put is a
 * conditional replace `{_id, _v: {$lt: doc._v}}` with upsert, so an older or equal version never
 * overwrites a newer one; when the document already holds a newer `_v` the filter misses, the upsert tries
 * to insert the same `_id`, and the resulting duplicate-key error means "already newer" — skipped. The
 * checkpoint is written after the changes, so a crash in between replays the batch, which changes nothing.
 */
export class MongoReadStore implements ReadStore {
  /** Counter documents are added to with `$inc` (the port's Increment). */
  readonly increments = true;
  private readonly knownIndexes = new Set<string>();
  /**
   * Operations per bulk write message. FerretDB v1's SQLite backend keeps each update's query rows open until
   * the whole message is done, one pooled connection each (100); from 100 updates in one message its own
   * transaction waits for a connection forever and the whole database stops answering. Found from a goroutine
   * dump of a clean-clone CI's FerretDB during the mixed demo-data hang (100 open `sql.Rows` created by one
   * MsgUpdate, blocked in `DB.conn` under `InTransaction`); a probe then hung on 150 `_id` updates in one
   * bulkWrite every time and never on 99. A real MongoDB takes the driver's own split.
   */
  private readonly maxOpsPerMessage: number;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /**
     * The server finds documents by index only for a plain `{_id: value}` filter — FerretDB v1, which CI
     * runs as its MongoDB. There an `$in` on `_id` or a conditional `{_id, _v: {$lt}}` replace scans the
     * whole collection (measured on FerretDB 1.24/SQLite, 3,000 documents: findOne by _id 6 ms, the same
     * lookup as `$in` 212 ms, a conditional replace slower still), so a demo's projection took over ten
     * minutes. In that mode reads are `_id` lookups in parallel and the "never older over newer" check
     * reads the stored versions first (by `_id`) and then writes with `_id`-only filters.
     */
    private readonly idLookupsOnly = false,
    onFerretDb = idLookupsOnly,
  ) {
    this.maxOpsPerMessage = onFerretDb ? FERRETDB_OPS_PER_MESSAGE : Number.MAX_SAFE_INTEGER;
  }

  static async connect(
    url: string,
    dbName?: string,
    options: MongoReadStoreOptions = {},
  ): Promise<MongoReadStore> {
    const client = new MongoClient(url, {
      // A read model is rebuilt from the log, but a projection's checkpoint must not move past writes that
      // were lost: acknowledged by the majority and journaled.
      writeConcern: { w: 'majority', j: true },
      serverSelectionTimeoutMS: 10_000,
    });
    await client.connect();
    const name =
      options.dbName ??
      dbName ??
      (client.options.dbName && client.options.dbName !== 'test' ? client.options.dbName : 'suyuan');
    const onFerretDb = await isFerretDb(client);
    return new MongoReadStore(client, client.db(name), options.idLookupsOnly ?? onFerretDb, onFerretDb);
  }

  async get(collection: string, id: string): Promise<ReadDoc | null> {
    return this.docs(collection).findOne({ _id: id });
  }

  async getMany(collection: string, ids: string[]): Promise<ReadDoc[]> {
    if (ids.length === 0) return [];
    if (this.idLookupsOnly) {
      const found = await inParallel(ids, (id) => this.docs(collection).findOne({ _id: id }));
      return found.filter((d): d is ReadDoc => d !== null);
    }
    return this.docs(collection)
      .find({ _id: { $in: ids } })
      .toArray();
  }

  async find(collection: string, filter: Filter, options: FindOptions = {}): Promise<ReadDoc[]> {
    let cursor = this.docs(collection).find(toMongoQuery(filter));
    if (options.sort && Object.keys(options.sort).length > 0) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return cursor.toArray();
  }

  async count(collection: string, filter: Filter): Promise<number> {
    return this.docs(collection).countDocuments(toMongoQuery(filter));
  }

  async ensureIndex(collection: string, paths: string[]): Promise<void> {
    if (paths.length === 0 || (paths.length === 1 && paths[0] === '_id')) return;
    const key = `${collection}\u0000${paths.join('\u0000')}`;
    if (this.knownIndexes.has(key)) return;
    // createIndex is idempotent for an identical key; the default name is derived from the key.
    await this.db.collection(collection).createIndex(Object.fromEntries(paths.map((p) => [p, 1])));
    this.knownIndexes.add(key);
  }

  async applyChanges(checkpointName: string, changes: Change[], position: number): Promise<void> {
    await this.writeIdempotently(changes);
    // Last, and only after every change above was acknowledged.
    await this.db
      .collection<{ _id: string; position: number }>(CHECKPOINTS_COLLECTION)
      .updateOne({ _id: checkpointName }, { $set: { position } }, { upsert: true });
  }

  async getCheckpoint(checkpointName: string): Promise<number | null> {
    const doc = await this.db
      .collection<{ _id: string; position: number }>(CHECKPOINTS_COLLECTION)
      .findOne({ _id: checkpointName });
    return doc ? doc.position : null;
  }

  async deleteCheckpoint(checkpointName: string): Promise<void> {
    await this.db.collection<{ _id: string }>(CHECKPOINTS_COLLECTION).deleteOne({ _id: checkpointName });
  }

  async dropCollection(collection: string): Promise<void> {
    try {
      await this.db.collection(collection).drop();
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === NAMESPACE_NOT_FOUND)) throw err;
    }
    for (const key of this.knownIndexes)
      if (key.startsWith(`${collection}\u0000`)) this.knownIndexes.delete(key);
  }

  async listCollections(): Promise<string[]> {
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return collections
      .map((c) => c.name)
      .filter((name) => name !== CHECKPOINTS_COLLECTION && !name.startsWith('system.'))
      .sort();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private docs(collection: string): Collection<ReadDoc> {
    return this.db.collection<ReadDoc>(collection);
  }

  /**
   * Applies the changes in order, one ordered bulkWrite per run of changes to the same collection. An
   * ordered bulk stops at its first error; a duplicate-key error on a conditional upsert is the expected
   * "stored version is newer" outcome, so the remaining operations are resubmitted after it.
   */
  private async writeIdempotently(all: Change[]): Promise<void> {
    // Increments first, in their own pass (the runner lists them first: counters before the memos they depend
    // on). What straddles a stored version is reported BEFORE the batch's other changes are written: the runner
    // then folds the batch again in parts, and those parts must read the documents as they were before it. (Once
    // written, a memo like "this entity already trades" made the re-fold count the batch's first trades as
    // repeats: counters lost after a kill -9, found by the fault harness in the mixed configuration.) The
    // increments already applied stay: their documents' `_v` makes the parts skip them.
    const increments = all.filter((c): c is Increment => c.op === 'inc');
    const changes = increments.length === 0 ? all : all.filter((c) => c.op !== 'inc');
    for (const inc of increments) incrementUpdate(inc); // validates every increment before writing any
    const straddles: number[] = [];
    for (const run of runsByCollection(increments)) {
      const incs = run.changes as Increment[];
      if (this.idLookupsOnly) await this.incrementById(run.collection, incs, straddles);
      else await this.incrementConditionally(run.collection, incs, straddles);
    }
    if (straddles.length > 0) throw new IncrementsStraddle([...new Set(straddles)].sort((a, b) => a - b));
    await this.writeDocuments(changes);
  }

  /**
   * `$inc` with upsert, filtered on `_v < from`: a document that already folds part or all of the increment
   * misses the filter, the upsert collides on `_id` (duplicate key), and its stored `_v` says which (skip, or a
   * straddle to report).
   */
  private async incrementConditionally(collection: string, incs: Increment[], straddles: number[]): Promise<void> {
    const operations: AnyBulkWriteOperation<ReadDoc>[] = incs.map((inc) => ({
      updateOne: { filter: { _id: inc.id, _v: { $lt: inc.from } }, update: incrementUpdate(inc), upsert: true },
    }));
    const collided: Increment[] = [];
    for (let k = 0; k < operations.length; k += this.maxOpsPerMessage) {
      try {
        await this.docs(collection).bulkWrite(operations.slice(k, k + this.maxOpsPerMessage), { ordered: false });
      } catch (err) {
        collided.push(...duplicateKeyIndexes(err).map((i) => incs[k + i]!));
      }
    }
    for (const inc of collided) {
      const current = await this.docs(collection).findOne({ _id: inc.id }, { projection: { _v: 1 } });
      if (current && current._v >= inc.v) continue;
      if (current && current._v >= inc.from) straddles.push(current._v);
      // Gone or older again (a concurrent rebuild dropped it): the same conditional increment once more.
      else await this.docs(collection).updateOne({ _id: inc.id, _v: { $lt: inc.from } }, incrementUpdate(inc), { upsert: true });
    }
  }

  /**
   * The same for servers that look documents up only by a plain `_id` filter (see `idLookupsOnly`): the stored
   * versions are read first, new documents inserted whole, the others incremented with `_id`-only filters.
   */
  private async incrementById(collection: string, incs: Increment[], straddles: number[]): Promise<void> {
    const stored = await inParallel(incs, (inc) => this.docs(collection).findOne({ _id: inc.id }, { projection: { _v: 1 } }));
    const operations: AnyBulkWriteOperation<ReadDoc>[] = [];
    const inserts: Increment[] = [];
    incs.forEach((inc, i) => {
      const current = stored[i];
      if (!current) inserts.push(inc);
      else if (current._v >= inc.v) return;
      else if (current._v >= inc.from) straddles.push(current._v);
      else operations.push({ updateOne: { filter: { _id: inc.id }, update: incrementUpdate(inc) } });
    });
    if (operations.length > 0) await this.bulkWriteById(collection, operations);
    if (inserts.length === 0) return;
    try {
      await this.docs(collection).insertMany(inserts.map(newDocumentOf), { ordered: false });
    } catch (err) {
      // Inserted meanwhile by someone else: increment it by the rule instead.
      for (const i of duplicateKeyIndexes(err)) await this.incrementById(collection, [inserts[i]!], straddles);
    }
  }

  private async writeDocuments(changes: Change[]): Promise<void> {
    // Build (and so validate) every operation before writing any.
    if (this.idLookupsOnly) return this.writeIdempotentlyById(changes);
    const runs = runsByCollection(changes).map((run) => ({
      collection: run.collection,
      operations: run.changes.map(toBulkOperation),
    }));
    for (const run of runs) {
      let operations = run.operations;
      while (operations.length > 0) {
        const message = operations.slice(0, this.maxOpsPerMessage);
        try {
          await this.docs(run.collection).bulkWrite(message, { ordered: true });
          operations = operations.slice(message.length);
        } catch (err) {
          const failedAt = staleVersionIndex(err);
          if (failedAt === null) throw err;
          operations = operations.slice(failedAt + 1);
        }
      }
    }
  }

  /**
   * The idempotent write for servers that only look documents up by a plain `_id` filter (see
   * `idLookupsOnly`): the stored versions are read by `_id`, a put whose version is not newer is dropped,
   * and the rest are written with `_id`-only filters. The read and the write are not atomic, which is
   * enough for the one runner that writes a read model; a second writer racing it could slip an older
   * version in, so that mode is for the CI stand-in, not for a cluster of projection workers.
   */
  private async writeIdempotentlyById(changes: Change[]): Promise<void> {
    for (const change of changes) if (change.op === 'put') validPut(change.doc);
    for (const run of runsByCollection(changes)) {
      const latest = new Map<string, Change>();
      for (const change of run.changes) if (change.op !== 'inc') latest.set(change.op === 'put' ? change.doc._id : change.id, change);
      const puts = [...latest.values()].filter((c): c is Extract<Change, { op: 'put' }> => c.op === 'put');
      const stored = await inParallel(puts, (c) =>
        this.docs(run.collection).findOne({ _id: c.doc._id }, { projection: { _v: 1 } }),
      );
      const operations: AnyBulkWriteOperation<ReadDoc>[] = [];
      for (const change of latest.values()) {
        if (change.op === 'delete') operations.push({ deleteOne: { filter: { _id: change.id } } });
      }
      // New documents go in with one insert (FerretDB inserts in constant time; its replace scans).
      const inserts: ReadDoc[] = [];
      puts.forEach((change, i) => {
        const current = stored[i];
        if (!current) inserts.push(change.doc);
        else if (current._v < change.doc._v)
          operations.push({ replaceOne: { filter: { _id: change.doc._id }, replacement: change.doc, upsert: true } });
      });
      if (operations.length > 0) await this.bulkWriteById(run.collection, operations);
      if (inserts.length > 0) await this.insertNew(run.collection, inserts);
    }
  }

  /** An unordered bulk of `_id`-filtered writes, in messages of at most `maxOpsPerMessage` operations. */
  private async bulkWriteById(collection: string, operations: AnyBulkWriteOperation<ReadDoc>[]): Promise<void> {
    for (let k = 0; k < operations.length; k += this.maxOpsPerMessage)
      await this.docs(collection).bulkWrite(operations.slice(k, k + this.maxOpsPerMessage), { ordered: false });
  }

  /** Inserts documents read as absent; one that appeared meanwhile (duplicate _id) is written if still newer. */
  private async insertNew(collection: string, docs: ReadDoc[]): Promise<void> {
    try {
      await this.docs(collection).insertMany(docs, { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      if (errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
      for (const e of errors) {
        const doc = docs[e.index]!;
        const current = await this.docs(collection).findOne({ _id: doc._id }, { projection: { _v: 1 } });
        if (!current || current._v < doc._v)
          await this.docs(collection).replaceOne({ _id: doc._id }, doc, { upsert: true });
      }
    }
  }
}

/** Whether the server is FerretDB (its buildInfo carries `ferretdbVersion`). */
async function isFerretDb(client: MongoClient): Promise<boolean> {
  const info = await client.db('admin').command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

/** Runs `fn` over `items` with at most `width` calls in flight, keeping the order of the answers. */
async function inParallel<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, width = 32): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

function validPut(doc: ReadDoc): ReadDoc {
  if (typeof doc._id !== 'string' || doc._id === '')
    throw new Error('ReadStore put: document without a string _id');
  if (typeof doc._v !== 'number' || !Number.isFinite(doc._v))
    throw new Error(`ReadStore put ${doc._id}: _v must be a number`);
  return doc;
}

/** The operations of an unordered bulk write that failed on a duplicate `_id`; any other error is thrown. */
function duplicateKeyIndexes(err: unknown): number[] {
  if (!(err instanceof MongoBulkWriteError)) throw err;
  const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  if (errors.length === 0 || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
  return errors.map((e) => e.index);
}

function toBulkOperation(change: Change): AnyBulkWriteOperation<ReadDoc> {
  if (change.op === 'inc') throw new Error('increments are written by their own pass');
  if (change.op === 'delete') return { deleteOne: { filter: { _id: change.id } } };
  const doc = validPut(change.doc);
  return {
    replaceOne: {
      filter: { _id: doc._id, _v: { $lt: doc._v } },
      replacement: doc,
      upsert: true,
    },
  };
}

/** The index of the operation that hit "a newer version is stored" (duplicate _id on upsert), else null. */
function staleVersionIndex(err: unknown): number | null {
  if (err instanceof MongoBulkWriteError) {
    const errors = err.writeErrors;
    const list = Array.isArray(errors) ? errors : [errors];
    if (list.length === 1 && list[0]!.code === DUPLICATE_KEY) return list[0]!.index;
    return null;
  }
  return null;
}

function runsByCollection(changes: Change[]): { collection: string; changes: Change[] }[] {
  const runs: { collection: string; changes: Change[] }[] = [];
  for (const change of changes) {
    const last = runs[runs.length - 1];
    if (last && last.collection === change.collection) last.changes.push(change);
    else runs.push({ collection: change.collection, changes: [change] });
  }
  return runs;
}
