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
  private readonly overlay = new Map<string, ReadDoc | null>();
  private readonly searchDocs = new Map<string, SearchDocument>();
  private readonly searchDeletes = new Set<string>();
  private readonly dirty = new Set<string>();
  position = 0;

  constructor(
    private readonly store: ReadStore,
    private readonly physical: (collection: string) => string,
  ) {}

  private key(collection: string, id: string): string {
    return `${collection}\u0000${id}`;
  }

  async get(collection: string, id: string): Promise<ReadDoc | null> {
    const k = this.key(collection, id);
    if (this.overlay.has(k)) return structuredClone(this.overlay.get(k)!);
    let doc: ReadDoc | null;
    try {
      doc = await this.store.get(this.physical(collection), id);
    } catch (err) {
      throw new ReadStoreUnavailable(err);
    }
    this.overlay.set(k, doc);
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
    const k = this.key(collection, doc._id);
    const current = this.overlay.get(k);
    if (current && !this.dirty.has(k) && current._v >= this.position) return;
    this.overlay.set(k, { ...doc, _v: this.position } as ReadDoc);
    this.dirty.add(k);
  }

  delete(collection: string, id: string): void {
    const k = this.key(collection, id);
    this.overlay.set(k, null);
    this.dirty.add(k);
  }

  index(doc: SearchDocInput): void {
    this.searchDeletes.delete(doc.id);
    this.searchDocs.set(doc.id, { ...doc, version: this.position });
  }

  unindex(id: string): void {
    this.searchDocs.delete(id);
    this.searchDeletes.add(id);
  }

  /** The documents this batch wrote or deleted. */
  changes(): Change[] {
    const out: Change[] = [];
    for (const k of this.dirty) {
      const [collection, id] = k.split('\u0000') as [string, string];
      const doc = this.overlay.get(k);
      if (doc) out.push({ op: 'put', collection: this.physical(collection), doc });
      else out.push({ op: 'delete', collection: this.physical(collection), id });
    }
    return out;
  }

  searchChanges(): { upserts: SearchDocument[]; deletes: string[] } {
    return { upserts: [...this.searchDocs.values()], deletes: [...this.searchDeletes] };
  }
}
