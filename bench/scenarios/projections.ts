import type { Batcher } from '../generator/batcher';
import type { Op } from '../generator/plan';
import type { HttpClient } from '../lib/http';
import { now, summarize, type Summary } from '../lib/stats';
import { ingest } from './ingest';

interface Status {
  name: string;
  checkpoint: number;
  head: number;
  /** Absent from servers before the lanes were reported: counted as the commands' lane. */
  consistency?: 'commands' | 'eventual';
}

type LaneLag = { commands: Summary; eventual: Summary | null };

/**
 * Projection lag under sustained ingest: batches are sent at a steady offered rate while the projection
 * status is polled every `pollMs`; a batch's lag is the time from its commit (the answer) to the first
 * poll that finds every projection past its last event. Poll spacing bounds the resolution. `byLane` is the same
 * per tail (decision 0025): the commands' lane (what a command's answer waits for) and the eventual one (dashboards).
 */
export async function projectionLag(
  client: HttpClient,
  ops: Iterator<Op>,
  batcher: Batcher,
  options: { eventsPerSecond: number; seconds: number; batchSize: number; pollMs?: number },
): Promise<{ offeredEventsPerSecond: number; achievedEventsPerSecond: number; lagMs: Summary; byLane: LaneLag; events: number }> {
  const polls: { at: number; commands: number; eventual: number | null }[] = [];
  const allOf = (p: (typeof polls)[number]) => Math.min(p.commands, p.eventual ?? Infinity);
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const { body } = await client.get<Status[]>('/api/v1/admin/projections');
      const eventual = body.filter((s) => s.consistency === 'eventual').map((s) => s.checkpoint);
      const commands = body.filter((s) => s.consistency !== 'eventual').map((s) => s.checkpoint);
      polls.push({ at: now(), commands: Math.min(...commands), eventual: eventual.length ? Math.min(...eventual) : null });
      await new Promise((r) => setTimeout(r, options.pollMs ?? 20));
    }
  })();
  const run = await ingest(client, ops, { batchSize: options.batchSize, eventsPerSecond: options.eventsPerSecond, batcher, maxSeconds: options.seconds });
  // Let the projections finish what was sent, still polling.
  const deadline = now() + 120_000;
  const last = run.commits[run.commits.length - 1]?.position ?? 0;
  while (now() < deadline && (polls.length ? allOf(polls[polls.length - 1]!) : 0) < last) await new Promise((r) => setTimeout(r, 20));
  polling = false;
  await poller;
  const lagsOf = (reached: (p: (typeof polls)[number]) => number | null) =>
    run.commits.map((c) => {
      const seen = polls.find((p) => p.at >= c.at && (reached(p) ?? Infinity) >= c.position);
      return seen ? seen.at - c.at : Infinity;
    });
  const lags = lagsOf(allOf);
  const hasEventual = polls.some((p) => p.eventual !== null);
  const byLane: LaneLag = { commands: summarize(lagsOf((p) => p.commands)), eventual: hasEventual ? summarize(lagsOf((p) => p.eventual)) : null };
  return { offeredEventsPerSecond: options.eventsPerSecond, achievedEventsPerSecond: run.eventsPerSecond, lagMs: summarize(lags), byLane, events: run.events };
}

/**
 * Blue/green rebuild from the log: first every projection together (`rebuild all`: one read of the log feeds
 * every shadow generation) — the full rebuild's rate in log events per second of wall time; then each
 * projection alone, for its own rate.
 */
/**
 * `each: false` (sizes M and L): only the one-pass rebuild of all projections, which is the goal's figure; each
 * projection alone again would double a run that already takes most of an hour at M.
 */
export async function rebuildRates(client: HttpClient, options: { each?: boolean } = {}): Promise<{ all: { seconds: number; events: number; eventsPerSecond: number }; each: { name: string; seconds: number; eventsPerSecond: number }[]; projections: number }> {
  const { body: status } = await client.get<Status[]>('/api/v1/admin/projections');
  const events = status[0]?.head ?? 0;
  const rebuild = async (query: string) => {
    const t = now();
    const res = await client.post(`/api/v1/admin/projections/rebuild${query}`);
    if (res.status !== 202) throw new Error(`rebuild ${query || 'all'} answered ${res.status}`);
    return (now() - t) / 1000;
  };
  const allSeconds = await rebuild('');
  const each: { name: string; seconds: number; eventsPerSecond: number }[] = [];
  for (const s of options.each === false ? [] : status) {
    const seconds = await rebuild(`?name=${encodeURIComponent(s.name)}`);
    each.push({ name: s.name, seconds, eventsPerSecond: events / seconds });
  }
  return { all: { seconds: allSeconds, events, eventsPerSecond: events / allSeconds }, each, projections: status.length };
}
