import type { ReadDoc } from '../../application/ports/read-store';
import type { DocInput, ProjectionContext } from '../runner/projection';

/**
 * The statistics projection's reads within one batch, remembered per batch context (decision 0015, ingest
 * cost). Each counted event reads and rewrites 20–50 bucket documents, most of them the same ones as the
 * events before it in the batch; the context answers every read with a structured clone (≈ 10–30 µs for a
 * bucket), which made the clones most of the projection's cost. Here a document is read through the context
 * once per batch, and later reads get what this projection last wrote — exactly what the context's overlay
 * would answer, without the copy.
 *
 * Documents are mutable only through the counters Tally adds to in place (its own copy, see tally.ts).
 * What keeps it equal to reading through the context: the map lives only as long as the batch's context
 * (a WeakMap keyed by it, nothing global outlives the batch); every document returned is treated as
 * read-only by the callers (they write new objects); and a write the context would drop — the document
 * already folds this event or a later one, on a replay after a crash — is dropped here too, so the map
 * never holds what the context does not.
 */
const perBatch = new WeakMap<ProjectionContext, Map<string, ReadDoc | null>>();

export class BatchReads {
  private readonly docs: Map<string, ReadDoc | null>;

  constructor(
    private readonly ctx: ProjectionContext,
    private readonly position: number,
  ) {
    let docs = perBatch.get(ctx);
    if (!docs) perBatch.set(ctx, (docs = new Map()));
    this.docs = docs;
  }

  async get(collection: string, id: string): Promise<ReadDoc | null> {
    const key = `${collection}\u0000${id}`;
    if (this.docs.has(key)) return this.docs.get(key)!;
    const doc = await this.ctx.get(collection, id);
    this.docs.set(key, doc);
    return doc;
  }

  /** The document already folds this event or a later one (a replayed batch): the context would drop a write. */
  folded(doc: ReadDoc | null): boolean {
    return doc !== null && typeof doc._v === 'number' && doc._v >= this.position;
  }

  put(collection: string, doc: DocInput): void {
    const key = `${collection}\u0000${doc._id}`;
    if (this.folded(this.docs.get(key) ?? null)) return;
    this.ctx.put(collection, doc);
    // The context keeps its own copy; this one is the projection's, stamped as the context stamps its copy.
    doc._v = this.position;
    this.docs.set(key, doc as ReadDoc);
  }
}
