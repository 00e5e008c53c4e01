import type { ReadDoc } from '../../application/ports/read-store';
import type { ProjectionContext } from '../runner/projection';

/** One memo document of the batch: read once through the context, changed in memory, written once at the end. */
interface Slot {
  collection: string;
  /** The document as the events folded so far leave it (null: none). */
  doc: Record<string, unknown> | null;
  /** The last event folded into it: the stored `_v` (0 for none), then the last event of this batch that changed it. */
  v: number;
  dirty: boolean;
}

/**
 * The statistics projection's memo documents (`stats_memo`) during one fold: each is read from the context once
 * and written once, after the whole batch (`ctx.get` clones a document, `ctx.put` copies it). Replays are decided
 * per memo with `v`: an event at position p changes a memo only if p > v — the stored `_v` already folds every
 * event up to it (a batch replayed after a crash between documents and checkpoint). The counters themselves are
 * increments (decision 0025), never read here.
 */
export class MemoDocs {
  /** collection → id → slot (two maps: no key string built per lookup). */
  private readonly slots = new Map<string, Map<string, Slot>>();

  constructor(private readonly ctx: ProjectionContext) {}

  private async slot(collection: string, id: string): Promise<Slot> {
    let byId = this.slots.get(collection);
    if (!byId) this.slots.set(collection, (byId = new Map()));
    const known = byId.get(id);
    if (known) return known;
    const stored: ReadDoc | null = await this.ctx.get(collection, id);
    const slot: Slot = { collection, doc: stored, v: stored && typeof stored._v === 'number' ? stored._v : 0, dirty: false };
    byId.set(id, slot);
    return slot;
  }

  /** The document `id` of `collection` as the events folded so far leave it. */
  async get(collection: string, id: string): Promise<Record<string, unknown> | null> {
    return (await this.slot(collection, id)).doc;
  }

  /** Replaces a document on behalf of the event at `position`; ignored when the document already folds it. */
  async put(collection: string, doc: Record<string, unknown> & { _id: string }, position: number): Promise<void> {
    const slot = await this.slot(collection, doc._id);
    if (slot.v >= position) return;
    slot.doc = doc;
    slot.v = position;
    slot.dirty = true;
  }

  /** Every changed document to the context, once (the context stamps it with the batch's last position). */
  write(): void {
    for (const byId of this.slots.values())
      for (const slot of byId.values()) if (slot.dirty && slot.doc) this.ctx.put(slot.collection, slot.doc as { _id: string });
  }
}
