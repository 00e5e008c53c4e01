import { Batcher, type ItemResponse } from '../generator/batcher';
import type { Op } from '../generator/plan';
import type { HttpClient } from '../lib/http';
import { now, summarize, type Summary } from '../lib/stats';

export interface IngestResult {
  events: number;
  commands: number;
  seconds: number;
  eventsPerSecond: number;
  commandsPerSecond: number;
  batches: number;
  batchLatencyMs: Summary;
  failed: number;
  skipped: number;
  errors: Record<string, number>;
  /** Group commits per batch above 1 (concurrent writers spoiled a round). */
  extraRounds: number;
  /** (position, committedAt) of every batch: for lag measurements. */
  commits: { position: number; at: number }[];
}

interface BatchAnswer {
  results: ItemResponse[];
  position: number;
  rounds: number;
}

/**
 * Sends a plan through POST /api/v1/batch, batch after batch (one writer), as fast as the server answers,
 * or paced to `eventsPerSecond` (open loop: a slow answer does not lower the offered rate).
 */
export async function ingest(
  client: HttpClient,
  ops: Iterator<Op>,
  options: { batchSize: number; wait?: boolean; eventsPerSecond?: number; batcher?: Batcher; maxSeconds?: number },
): Promise<IngestResult & { batcher: Batcher }> {
  const batcher = (options.batcher ?? new Batcher(options.batchSize)).use(ops);
  const path = `/api/v1/batch${options.wait ? '' : '?wait=false'}`;
  const latencies: number[] = [];
  const commits: IngestResult['commits'] = [];
  let events = 0;
  let commands = 0;
  let extraRounds = 0;
  const before = { ...batcher.stats, errors: new Map(batcher.stats.errors) };
  const start = now();
  for (;;) {
    if (options.maxSeconds && now() - start > options.maxSeconds * 1000) break;
    const batch = batcher.next(options.batchSize);
    if (process.env.BENCH_DEBUG) console.error("batch", batch?.items.length);
    if (!batch) break;
    const sent = now();
    const res = await client.post<BatchAnswer>(path, { commands: batch.items });
    const done = now();
    if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    latencies.push(done - sent);
    const appended = batcher.record(batch.ops, res.body.results);
    events += appended;
    commands += batch.items.length;
    extraRounds += res.body.rounds - 1;
    commits.push({ position: res.body.position, at: done });
    if (options.eventsPerSecond) {
      // Pace: the next batch is due when the events sent so far fit the target rate.
      const due = start + (events / options.eventsPerSecond) * 1000;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  const seconds = (now() - start) / 1000;
  const errors: Record<string, number> = {};
  for (const [code, n] of batcher.stats.errors) {
    const d = n - (before.errors.get(code) ?? 0);
    if (d > 0) errors[code] = d;
  }
  return {
    batcher,
    events,
    commands,
    seconds,
    eventsPerSecond: events / seconds,
    commandsPerSecond: commands / seconds,
    batches: latencies.length,
    batchLatencyMs: summarize(latencies),
    failed: batcher.stats.failed - before.failed,
    skipped: batcher.stats.skipped - before.skipped,
    errors,
    extraRounds,
    commits,
  };
}
