import type { RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadDoc, ReadStore } from '../../../../application/ports/read-store';
import { BatchContext } from '../../../../projections/runner/batch-context';
import { statisticsProjection } from '../../../../projections/statistics';

/**
 * Folds events through the statistics projection with the runner's own BatchContext (one write per document
 * and event, reads over the batch's overlay) and applies each batch's changes to an in-memory store, as the
 * runner commits them. `batchSize` lets a test cut the log anywhere.
 */
export interface LoggedEvent {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

export async function fold(events: LoggedEvent[], batchSize = 500): Promise<Map<string, ReadDoc>> {
  const docs = new Map<string, ReadDoc>();
  const store = { get: async (collection: string, id: string) => structuredClone(docs.get(`${collection}\u0000${id}`) ?? null) } as unknown as ReadStore;
  let position = 0;
  for (let i = 0; i < events.length; i += batchSize) {
    const ctx = new BatchContext(store, (c) => c);
    for (const e of events.slice(i, i + batchSize)) {
      ctx.position = ++position;
      const raw = { ...e, position, streamId: 's', revision: 0, schemaVersion: 1, recordedAt: e.occurredAt } as unknown as RecordedEvent;
      await statisticsProjection.apply(raw, ctx);
    }
    for (const change of ctx.changes()) {
      if (change.op === 'put') docs.set(`${change.collection}\u0000${change.doc._id}`, change.doc);
      else docs.delete(`${change.collection}\u0000${change.id}`);
    }
  }
  return docs;
}

/** The documents of one collection, by id. */
export function collection(docs: Map<string, ReadDoc>, name: string): Map<string, ReadDoc> {
  const out = new Map<string, ReadDoc>();
  for (const [k, v] of docs) if (k.startsWith(`${name}\u0000`)) out.set(k.slice(name.length + 1), v);
  return out;
}

/** Counters of a bucket (empty when it was never written). */
export function counters(docs: Map<string, ReadDoc>, id: string): Record<string, number> {
  return (docs.get(`stats\u0000${id}`)?.c as Record<string, number>) ?? {};
}
