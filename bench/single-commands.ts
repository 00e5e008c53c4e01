/**
 * `node -r ./bench/support/swc-register.js bench/single-commands.ts [--size XS|S] [--runs 5] [--rate 500] [--seconds 15] [--profile]`
 *
 * The single command at a paced rate, alone and repeated (issue 17's "single command p99 at 500/s ≤ 15 ms"):
 * one server on a fresh ledger of the main benchmark's plan (registrations and supply chains through the batch
 * endpoint), then `--runs` paced runs of POST /api/v1/lots (read-your-writes wait included, as in bench/run.ts),
 * the projections caught up between runs. Prints one JSON line per run and a last line with the medians.
 *
 * Why beside the main benchmark: its single-command figure is one 15 s window per run, measured after the
 * concurrent writers, and its p99 moved from 77.7 to 255 and 428 ms between two commits in back-to-back S runs
 * (bench/RESULTS.md, session 13) while everything else stayed put. Several windows per server, alternated between
 * commits, tell a code change from the machine's mood. `--profile` writes the server's CPU profile
 * (bench/.data/profiles/single-…; summarise with bench/lib/profile-summary.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES, Sym } from './generator/plan';
import { machineInfo, machineLoad } from './lib/machine';
import { BENCH_DATA, startServer, waitForProjections } from './lib/server';
import { ingest } from './scenarios/ingest';
import { singleCommandLoad } from './scenarios/single-command';
import { cliArgs } from './lib/cli-args';

const PORT = Number(process.env.BENCH_PORT ?? 3993);
const SEED = 20261123;

function args() {
  const { value, size, flag } = cliArgs();
  return {
    // A focused benchmark: M and L belong to npm run bench.
    size: size(['XS', 'S']),
    runs: Number(value('runs') ?? 5),
    rate: Number(value('rate') ?? 500),
    seconds: Number(value('seconds') ?? 15),
    profile: flag('profile'),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const opts = args();
  const spec = SIZES[opts.size];
  const dataDir = path.join(BENCH_DATA, `single-${opts.size}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const cpuProfileDir = opts.profile ? path.join(BENCH_DATA, 'profiles', `single-${opts.size}-${Date.now()}`) : undefined;
  const server = await startServer({ dataDir, port: PORT, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
  try {
    const plan = new DatasetPlan(spec, SEED);
    const batcher = new Batcher(1000);
    await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
    await ingest(server.client, plan.chains(), { batchSize: 1000, batcher });
    await waitForProjections(server.client);
    const resolve = (v: Sym | string) => (v instanceof Sym ? batcher.value(v) : v);
    const producers = plan.entities
      .filter((e) => e.tier === 'producer')
      .map((e) => ({ entityId: resolve(e.entityId), baseId: e.baseIds[0]!, product: e.products[0]! }))
      .filter((p): p is { entityId: string; baseId: string; product: string } => typeof p.entityId === 'string');
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let run = 1; run <= opts.runs; run++) {
      const r = await singleCommandLoad(server.url, producers, { rate: opts.rate, connections: 64, seconds: opts.seconds, tag: `single-${run}-${Date.now()}` });
      await waitForProjections(server.client);
      p50s.push(r.latencyMs.p50);
      p99s.push(r.latencyMs.p99);
      process.stdout.write(`${JSON.stringify({ run, offered: opts.rate, achieved: Math.round(r.achievedRate), p50: r.latencyMs.p50, p90: r.latencyMs.p90, p99: r.latencyMs.p99, max: r.latencyMs.max, non2xx: r.non2xx, errors: r.errors, load: machineLoad().loadavg })}\n`);
    }
    const { commit, date } = machineInfo();
    process.stdout.write(`${JSON.stringify({ summary: true, commit, date, size: opts.size, runs: opts.runs, rate: opts.rate, medianP50: median(p50s), medianP99: median(p99s), ...(cpuProfileDir ? { cpuProfileDir } : {}) })}\n`);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
