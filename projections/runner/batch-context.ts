import type { Change, ReadDoc, ReadStore } from '../../application/ports/read-store';
import type { SearchDocument } from '../../application/ports/search-index';
import type { DocInput, ProjectionContext, SearchDocInput } from './projection';

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
  position = 0;

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
    if (known) return known.doc ? structuredClone(known.doc) : null;
    let doc: ReadDoc | null;
    try {
      doc = await this.store.get(this.physical(collection), id);
    } catch (err) {
      throw new ReadStoreUnavailable(err);
    }
    docs.set(id, { doc, dirty: false });
    return doc ? structuredClone(doc) : null;
  }

  /**
   * A write is dropped when the stored document already folds in this event or a later one: that happens
   * only when a batch is replayed after a crash between writing documents and writing the checkpoint
   * (stores without transactions), and makes the replay change nothing. A document this batch wrote itself
   * is never "stored": a second write to it in the same event replaces the first (writes merge per document
   * within a batch, and only the last one reaches the store).
   */
  put(collection: string, doc: DocInput): void {
    const docs = this.docs(collection);
    const current = docs.get(doc._id);
    if (current && !current.dirty && current.doc && current.doc._v >= this.position) return;
    docs.set(doc._id, { doc: { ...doc, _v: this.position } as ReadDoc, dirty: true });
  }

  delete(collection: string, id: string): void {
    this.docs(collection).set(id, { doc: null, dirty: true });
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

  /** The documents this batch wrote or deleted. */
  changes(): Change[] {
    const out: Change[] = [];
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
