import type { ReadDoc } from '../../application/ports/read-store';
import type { DocInput, ProjectionContext } from '../runner/projection';

/**
 * One event's writes, gathered and handed to the runner once per document: the runner keeps only the first write
 * per document and event (BatchContext drops a second put at the same position), and one event here may touch a
 * document several times (two bases of one application in one grid cell, a finding opened then re-evaluated).
 * Reads see the staged writes first.
 */
export class StagedWrites {
  private readonly staged = new Map<string, { collection: string; doc: DocInput | null }>();
  /** Documents of `watched` collections as the event found them (before its writes), for `flush`'s callback. */
  private readonly originals = new Map<string, ReadDoc | null>();

  constructor(
    readonly ctx: ProjectionContext,
    /** Told, per document of `watched.collection`, what it was before the event and what the event leaves. */
    private readonly watched?: { collection: string; changed: (before: ReadDoc | null, after: DocInput | null) => void },
  ) {}

  private key(collection: string, id: string): string {
    return `${collection}\u0000${id}`;
  }

  async get<T extends object = Record<string, unknown>>(collection: string, id: string): Promise<(T & ReadDoc) | null> {
    const hit = this.staged.get(this.key(collection, id));
    if (hit) return hit.doc ? (structuredClone(hit.doc) as unknown as T & ReadDoc) : null;
    const stored = await this.ctx.get(collection, id);
    if (collection === this.watched?.collection && !this.originals.has(id)) this.originals.set(id, stored ? structuredClone(stored) : null);
    return stored as (T & ReadDoc) | null;
  }

  put(collection: string, doc: DocInput): void {
    this.staged.set(this.key(collection, doc._id), { collection, doc: structuredClone(doc) });
  }

  delete(collection: string, id: string): void {
    this.staged.set(this.key(collection, id), { collection, doc: null });
  }

  /** Hands every staged document to the runner, once each (a watched one with what it was before the event). */
  async flush(): Promise<void> {
    for (const [key, { collection, doc }] of this.staged) {
      const id = key.slice(collection.length + 1);
      if (collection === this.watched?.collection) {
        const before = this.originals.has(id) ? this.originals.get(id)! : await this.ctx.get(collection, id);
        this.watched.changed(before, doc);
      }
      if (doc) this.ctx.put(collection, doc);
      else this.ctx.delete(collection, id);
    }
    this.staged.clear();
    this.originals.clear();
  }
}
