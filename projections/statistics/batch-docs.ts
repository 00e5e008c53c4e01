import type { ReadDoc } from '../../application/ports/read-store';
import type { ProjectionContext } from '../runner/projection';
import { addInto, STATS_ENTITIES, type Counters, type TallyDoc } from './tally';

/** One document of the batch: read once through the context, changed in memory, written once at the end. */
export interface Slot {
  collection: string;
  /** What the context answered at the first read (its own copy: ours to change). */
  readonly stored: ReadDoc | null;
  /** The stored `_v` (0 for none): the document already folds every event up to here. */
  readonly storedV: number;
  /** The document as the events folded so far leave it (null: none). */
  doc: Record<string, unknown> | null;
  /** The last event folded into it: `storedV`, then the position of the last event this batch counted into it. */
  v: number;
  dirty: boolean;
}

/**
 * The statistics projection's documents during one fold (decision 0015, batch-level fold). Each is read from
 * the context once, and written once, after the whole batch: `ctx.put` copies a document and `ctx.get` clones
 * it, which was most of the cost when every event read and rewrote its 20–50 buckets. Replays are decided per
 * document with `v`: an event at position p changes a document only if p > v (the document's stored `_v`
 * already folds everything up to it: a batch replayed after a crash between documents and checkpoint).
 */
export class BatchDocs {
  /** collection → id → slot (two maps: no key string built per lookup). */
  private readonly slots = new Map<string, Map<string, Slot>>();

  constructor(private readonly ctx: ProjectionContext) {}

  async slot(collection: string, id: string): Promise<Slot> {
    let byId = this.slots.get(collection);
    if (!byId) this.slots.set(collection, (byId = new Map()));
    const known = byId.get(id);
    if (known) return known;
    const stored = await this.ctx.get(collection, id);
    const storedV = stored && typeof stored._v === 'number' ? stored._v : 0;
    const slot: Slot = { collection, stored, storedV, doc: stored, v: storedV, dirty: false };
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

  /** Back to what the store held: the batch is folded again, event by event (a replay, see statistics.projection.ts). */
  reset(): void {
    for (const slot of this.all()) {
      if (!slot.dirty) continue;
      // Only memo documents are replaced before a reset (tally documents are changed after the replay check),
      // and a replacement never changes the stored object.
      slot.doc = slot.stored;
      slot.v = slot.storedV;
      slot.dirty = false;
    }
  }

  /** Adds a tally's counters into its document on behalf of events from `position` on. */
  add(slot: Slot, d: TallyDoc, position: number): void {
    const current = slot.doc;
    const entity = d.collection === STATS_ENTITIES;
    if (current) {
      // The context's copy (or one made by this batch): changed in place, the header as the newest event has it,
      // an enterprise's name kept when no counted event carried one.
      const name = entity ? (d.name ?? (current.name as string | null | undefined) ?? null) : undefined;
      const c = (current.c as Counters | undefined) ?? {};
      addInto(c, d.c);
      Object.assign(current, d.header);
      current.c = c;
      if (entity) current.name = name;
    } else {
      const c: Counters = {};
      addInto(c, d.c);
      slot.doc = { ...d.header, ...(entity ? { name: d.name ?? null } : {}), c };
    }
    slot.v = position;
    slot.dirty = true;
  }

  private *all(): Iterable<Slot> {
    for (const byId of this.slots.values()) yield* byId.values();
  }

  /** Every changed document to the context, once (the context stamps it with the batch's last position). */
  write(): void {
    for (const slot of this.all()) if (slot.dirty && slot.doc) this.ctx.put(slot.collection, slot.doc as { _id: string });
  }
}
