import { IncrementsStraddle, type Change, type Increment, type ReadDoc, type ReadStore } from '../../application/ports/read-store';
import type { SearchDocument } from '../../application/ports/search-index';
import { applyIncrement, mergeIncrement } from './increments';
import type { DocInput, IncFields, ProjectionContext, SearchDocInput } from './projection';

/**
 * The read store failed under a projection (a MongoDB stopped, a full disk): not the event's fault. The
 * runner must not dead-letter the event for it — it lets the batch fail, and the tail retries from the
 * stored checkpoint with back-off once the store is back.
 */
export class ReadStoreUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super(`read store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ReadStoreUnavailable';
  }
}

/**
 * Collects one batch's changes over an overlay, so later events in the batch read what earlier ones wrote,
 * and a document already at or past an event's position (a replayed batch) is left alone.
 */
export class BatchContext implements ProjectionContext {
  /**
   * collection → id → what this batch knows of the document: as read from the store (`dirty` false) or as
   * written by the batch (`dirty` true; `doc` null = deleted). Nested maps instead of one map keyed by
   * `collection\0id`: no key string built per access and none split again in changes() (rebuild profile).
   */
  private readonly overlay = new Map<string, Map<string, { doc: ReadDoc | null; dirty: boolean }>>();
  private readonly searchDocs = new Map<string, SearchDocument>();
  private readonly searchDeletes = new Set<string>();
  /** collection → id → the increments gathered for the document (one write per document and batch). */
  private readonly increments = new Map<string, Map<string, Increment>>();
  /** Position of the event being folded (a batch fold: the batch's last); every write is stamped with it. */
  position = 0;
  /**
   * The first position a batch fold covers (the runner sets it for applyBatch); null: an event at a time, an
   * increment then covers just `position`. An increment is applied only to documents that fold none of it.
   */
  first: number | null = null;

  constructor(
    private readonly store: ReadStore,
    private readonly physical: (collection: string) => string,
  ) {}

  private docs(collection: string): Map<string, { doc: ReadDoc | null; dirty: boolean }> {
    let docs = this.overlay.get(collection);
    if (!docs) this.overlay.set(collection, (docs = new Map()));
    return docs;
  }

  async get(collection: string, id: string): Promise<ReadDoc | null> {
    const docs = this.docs(collection);
    const known = docs.get(id);
    const doc = known ? known.doc : await this.read(collection, id);
    if (!known) docs.set(id, { doc, dirty: false });
    // A document this batch increments reads as the increments leave it (a replayed part as stored).
    const inc = this.increments.get(collection)?.get(id);
    if (inc) {
      const outcome = applyIncrement(doc, inc);
      return outcome.kind === 'apply' ? outcome.doc : doc ? structuredClone(doc) : null;
    }
    return doc ? structuredClone(doc) : null;
  }

  private async read(collection: string, id: string): Promise<ReadDoc | null> {
    try {
      return await this.store.get(this.physical(collection), id);
    } catch (err) {
      throw new ReadStoreUnavailable(err);
    }
  }

  /**
   * A write is dropped when the stored document already folds in this event or a later one: that happens
   * only when a batch is replayed after a crash between writing documents and writing the checkpoint
   * (stores without transactions), and makes the replay change nothing. A document this batch wrote itself
   * is never "stored": a second write to it in the same event replaces the first (writes merge per document
   * within a batch, and only the last one reaches the store).
   */
  put(collection: string, doc: DocInput): void {
    if (this.increments.get(collection)?.has(doc._id)) throw new Error(`${collection}/${doc._id}: a document is either put or incremented in a batch, not both`);
    const docs = this.docs(collection);
    const current = docs.get(doc._id);
    if (current && !current.dirty && current.doc && current.doc._v >= this.position) return;
    docs.set(doc._id, { doc: { ...doc, _v: this.position } as ReadDoc, dirty: true });
  }

  delete(collection: string, id: string): void {
    if (this.increments.get(collection)?.has(id)) throw new Error(`${collection}/${id}: a document is either deleted or incremented in a batch, not both`);
    this.docs(collection).set(id, { doc: null, dirty: true });
  }

  /**
   * Adds `add` into the counters `fields.field` (default `c`) of a document, without reading it: gathered per
   * document for the whole batch and written once, as one increment the store applies in place (the port's
   * Increment: exact on replays by `_v`). A counter added as 0 is stored as 0.
   */
  inc(collection: string, id: string, add: Record<string, number>, fields: IncFields = {}): void {
    const docs = this.docs(collection).get(id);
    if (docs?.dirty) throw new Error(`${collection}/${id}: a document is either put or incremented in a batch, not both`);
    let byId = this.increments.get(collection);
    if (!byId) this.increments.set(collection, (byId = new Map()));
    const from = this.first ?? this.position;
    const known = byId.get(id);
    const more = { add, set: fields.set ?? {}, init: fields.init ?? {}, from, v: this.position };
    if (known) {
      if ((fields.field ?? 'c') !== known.field) throw new Error(`${collection}/${id}: incremented in two fields`);
      mergeIncrement(known, more);
    } else {
      const inc: Increment = { op: 'inc', collection, id, field: fields.field ?? 'c', add: {}, set: {}, init: {}, from, v: this.position };
      mergeIncrement(inc, more);
      byId.set(id, inc);
    }
  }

  /**
   * For a store without increments: each incremented document is read and its increment turned into a put by
   * the port's rule (projections/runner/increments.ts) — a replay that straddles a stored version throws, as
   * such a store would. Called by the runner before changes().
   */
  async resolveIncrements(): Promise<void> {
    const straddles: number[] = [];
    for (const [collection, byId] of this.increments) {
      const docs = this.docs(collection);
      for (const [id, inc] of byId) {
        const known = docs.get(id);
        const stored = known ? known.doc : await this.read(collection, id);
        const outcome = applyIncrement(stored, inc);
        if (outcome.kind === 'straddle') straddles.push(outcome.stored);
        else if (outcome.kind === 'apply') docs.set(id, { doc: outcome.doc, dirty: true });
      }
    }
    this.increments.clear();
    if (straddles.length > 0) throw new IncrementsStraddle([...new Set(straddles)].sort((a, b) => a - b));
  }

  index(doc: SearchDocInput): void {
    this.searchDeletes.delete(doc.id);
    this.searchDocs.set(doc.id, { ...doc, version: this.position });
  }

  unindex(id: string): void {
    this.searchDocs.delete(id);
    this.searchDeletes.add(id);
  }

  /** What this batch holds for a document right now, without a store read or a copy (for tests of a fold). */
  peek(collection: string, id: string): ReadDoc | null {
    return this.overlay.get(collection)?.get(id)?.doc ?? null;
  }

  /** The increments gathered for a document (for tests of a fold). */
  peekIncrement(collection: string, id: string): Increment | null {
    return this.increments.get(collection)?.get(id) ?? null;
  }

  /**
   * The documents this batch wrote, deleted or incremented. Increments come first: a store without transactions
   * (MongoDB) then writes counters before the memos whose state they depend on, so a crash in between replays
   * the counting with the memos as they were (the increments' `_v` keeps the counters exact).
   */
  changes(): Change[] {
    const out: Change[] = [];
    for (const [collection, byId] of this.increments) {
      const physical = this.physical(collection);
      for (const inc of byId.values()) out.push({ ...inc, collection: physical });
    }
    for (const [collection, docs] of this.overlay) {
      const physical = this.physical(collection);
      for (const [id, { doc, dirty }] of docs) {
        if (!dirty) continue;
        if (doc) out.push({ op: 'put', collection: physical, doc });
        else out.push({ op: 'delete', collection: physical, id });
      }
    }
    return out;
  }

  searchChanges(): { upserts: SearchDocument[]; deletes: string[] } {
    return { upserts: [...this.searchDocs.values()], deletes: [...this.searchDeletes] };
  }
}
