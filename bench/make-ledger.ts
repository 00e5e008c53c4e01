/**
 * `npm run bench:ledger -- --size M [--out DIR]`
 *
 * Builds a benchmark dataset once and keeps it: the real server on a fresh embedded data directory, fed the
 * same synthetic plan (and seed) as `npm run bench`, through the batch endpoint, then stopped once the
 * projections have caught up. Several benchmarks need the M ledger (issues 12, 13, 14, 16, 17); building it
 * takes minutes to an hour on a busy machine, so they copy this directory instead of each ingesting 1M events.
 * The ledger is the expensive part: a copy whose projections changed version rebuilds its read models at start.
 * The trace-code secret is the benchmark server's (bench/lib/server.ts), so codes resolve on a copy too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES } from './generator/plan';
import { machineInfo, machineLoad } from './lib/machine';
import { BENCH_DATA, startServer, waitForProjections } from './lib/server';
import { ingest } from './scenarios/ingest';

const SEED = 20261123; // bench/run.ts's seed: the same dataset
const PORT = Number(process.env.BENCH_PORT ?? 3978);

const log = (msg: string) => process.stderr.write(`[ledger ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = (value('size') ?? 'M').toUpperCase() as keyof typeof SIZES;
  const spec = SIZES[size];
  if (!spec) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const dataDir = path.resolve(value('out') ?? path.join(BENCH_DATA, `ledger-${size}`));
  if (fs.existsSync(path.join(dataDir, 'READY.json'))) {
    log(`${dataDir} already holds a finished ${size} ledger (READY.json); remove it to build again`);
    return;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  log(`size ${size}: ≈${spec.events.toLocaleString()} events into ${dataDir}`);
  const started = Date.now();
  const server = await startServer({ dataDir, port: PORT });
  try {
    const plan = new DatasetPlan(spec, SEED);
    const batcher = new Batcher(1000);
    const registration = await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
    log(`registration: ${registration.events} events in ${registration.seconds.toFixed(1)} s`);
    const chains = await ingest(server.client, plan.chains(), { batchSize: 1000, batcher });
    log(`chains: ${chains.events} events in ${chains.seconds.toFixed(1)} s (${Math.round(chains.eventsPerSecond)} events/s)`);
    const catchUpMs = await waitForProjections(server.client);
    const ready = {
      size,
      seed: SEED,
      events: registration.events + chains.events,
      failed: registration.failed + chains.failed,
      ingestSeconds: registration.seconds + chains.seconds,
      projectionCatchUpMs: catchUpMs,
      totalSeconds: (Date.now() - started) / 1000,
      machine: machineInfo(),
      loadAfter: machineLoad(),
      finished: new Date().toISOString(),
    };
    await server.stop();
    // Written last: a directory without it is an interrupted build, never used.
    fs.writeFileSync(path.join(dataDir, 'READY.json'), JSON.stringify(ready, null, 2));
    log(`done: ${JSON.stringify({ events: ready.events, failed: ready.failed, totalSeconds: ready.totalSeconds })}`);
  } catch (err) {
    await server.stop();
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
