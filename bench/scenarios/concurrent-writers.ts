import { Batcher } from '../generator/batcher';
import { DatasetPlan, type PlannedEntity, type SizeSpec } from '../generator/plan';
import type { HttpClient } from '../lib/http';
import { now } from '../lib/stats';
import { ingest } from './ingest';

/**
 * Several platforms uploading at once: `writers` clients each send their own supply chains (their own
 * plan, same registered entities) through the batch endpoint concurrently. Shared receivers and lot
 * sequences make their group commits collide now and then; `extraRounds` counts the re-decided rounds.
 */
export async function concurrentBatchWriters(
  client: HttpClient,
  spec: SizeSpec,
  seed: number,
  entities: PlannedEntity[],
  options: { writers: number; eventsPerWriter: number; batchSize: number },
): Promise<{ writers: number; events: number; seconds: number; eventsPerSecond: number; extraRounds: number; failed: number; errors: Record<string, number> }> {
  const start = now();
  const runs = await Promise.all(
    Array.from({ length: options.writers }, (_, w) => {
      const plan = new DatasetPlan({ ...spec, bigTreeEvery: Number.MAX_SAFE_INTEGER }, seed + 100 + w, `w${seed}x${w}`);
      for (const e of entities) plan.adopt(e);
      return ingest(client, plan.chains(options.eventsPerWriter, 7 + w), { batchSize: options.batchSize, batcher: new Batcher(options.batchSize) });
    }),
  );
  const seconds = (now() - start) / 1000;
  const events = runs.reduce((a, r) => a + r.events, 0);
  const errors: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    writers: options.writers,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    extraRounds: runs.reduce((a, r) => a + r.extraRounds, 0),
    failed: runs.reduce((a, r) => a + r.failed, 0),
    errors,
  };
}
