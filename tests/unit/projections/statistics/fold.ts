import type { RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadDoc } from '../../../../application/ports/read-store';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';
import { BatchContext } from '../../../../projections/runner/batch-context';
import { foldInParts } from '../../../../projections/runner/straddles';
import { statisticsProjection } from '../../../../projections/statistics';

/**
 * Folds events through the statistics projection as the runner does: the runner's own BatchContext over an
 * embedded SQLite read store (in memory), each batch's changes committed with applyChanges. A batch is folded
 * with `applyBatch` (what the runner calls) or, mode 'event', with `apply` on each event in turn (the runner's
 * fallback, and the reference the batch fold must equal).
 */
export interface LoggedEvent {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

export type FoldMode = 'batch' | 'event';

const COLLECTIONS = statisticsProjection.collections;

/** One read store holding any number of independent folds, each under its own prefix (fast-check runs share it). */
export class FoldStore {
  private folds = 0;
  constructor(readonly store: SqliteReadStore = new SqliteReadStore(':memory:')) {}
  /** A fresh, empty fold of the log. */
  open(): LogFold {
    return new LogFold(this.store, `f${++this.folds}_`);
  }
  close(): Promise<void> {
    return this.store.close();
  }
}

export class LogFold {
  /** Position of the last event folded (and committed). */
  position = 0;

  constructor(
    private readonly store: SqliteReadStore,
    private readonly prefix: string,
  ) {}

  private recorded(e: LoggedEvent, position: number): RecordedEvent {
    return { ...e, position, streamId: 's', revision: 0, schemaVersion: 1, recordedAt: e.occurredAt } as unknown as RecordedEvent;
  }

  /**
   * The events after `position` as the next batch; positions continue from `position`. Like the runner, a batch
   * whose increments straddle stored versions (a replay past a crashed batch's end) is folded again in parts.
   */
  async batch(events: LoggedEvent[], mode: FoldMode = 'batch'): Promise<void> {
    if (events.length === 0) return;
    const recorded = events.map((e, i) => this.recorded(e, this.position + 1 + i));
    await foldInParts(recorded, (part) => this.commit(part, mode));
    this.position += events.length;
  }

  private async commit(part: readonly RecordedEvent[], mode: FoldMode): Promise<void> {
    const ctx = new BatchContext(this.store, (c) => this.prefix + c);
    if (mode === 'batch') {
      ctx.first = part[0]!.position;
      ctx.position = part[part.length - 1]!.position;
      await statisticsProjection.applyBatch!(part, ctx);
    } else {
      for (const raw of part) {
        ctx.position = raw.position;
        await statisticsProjection.apply(raw, ctx);
      }
    }
    await this.store.applyChanges(`${this.prefix}statistics`, ctx.changes(), part[part.length - 1]!.position);
  }

  /**
   * A crash between documents and checkpoint: the batch's documents are stored, but the checkpoint is not,
   * so the next batch starts again at the same position (the runner replays from the stored checkpoint).
   */
  async crashAfter(events: LoggedEvent[], mode: FoldMode = 'batch'): Promise<void> {
    const before = this.position;
    await this.batch(events, mode);
    this.position = before;
  }

  /** Every document of the projection, by `collection\0id`. */
  async docs(): Promise<Map<string, ReadDoc>> {
    const out = new Map<string, ReadDoc>();
    for (const c of COLLECTIONS) for (const doc of await this.store.find(this.prefix + c, {})) out.set(`${c}\u0000${doc._id}`, doc);
    return out;
  }
}

const shared = new FoldStore();

/** The whole log folded in batches of `batchSize`. */
export async function fold(events: LoggedEvent[], batchSize = 500, mode: FoldMode = 'batch'): Promise<Map<string, ReadDoc>> {
  const f = shared.open();
  for (let i = 0; i < events.length; i += batchSize) await f.batch(events.slice(i, i + batchSize), mode);
  return f.docs();
}

/** The documents of one collection, by id. */
export function collection(docs: Map<string, ReadDoc>, name: string): Map<string, ReadDoc> {
  const out = new Map<string, ReadDoc>();
  for (const [k, v] of docs) if (k.startsWith(`${name}\u0000`)) out.set(k.slice(name.length + 1), v);
  return out;
}

/** Counters of a bucket that are not 0 (a counter that netted to 0 is stored as 0 and reads as absent). */
export function counters(docs: Map<string, ReadDoc>, id: string): Record<string, number> {
  return nonZero((docs.get(`stats\u0000${id}`)?.c as Record<string, number>) ?? {});
}

export function nonZero(c: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0));
}
