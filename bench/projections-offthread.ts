/**
 * `node -r ./bench/support/swc-register.js bench/projections-offthread.ts [--size XS|S] [--rate 300]`
 *
 * Decision 0022's before/after in one run: the same server, dataset and load with the projections on the
 * request thread (PROJECTIONS=inline) and in a worker thread (PROJECTIONS=worker), each on a fresh data
 * directory, each under `node --cpu-prof` (one profile per thread). Per mode: the batch ingest with the
 * projections beside it, single commands at a paced rate (latency includes the read-your-writes wait), and a
 * full rebuild of every projection through the admin route. From the main thread's profile: its busy CPU per
 * command in the single-command window (V8's and this driver's monotonic clocks are the same on Linux).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES, Sym } from './generator/plan';
import { machineInfo, machineLoad } from './lib/machine';
import { BENCH_DATA, startServer, waitForProjections } from './lib/server';
import { ingest } from './scenarios/ingest';
import { singleCommandLoad } from './scenarios/single-command';

const SEED = 20261123;
const PORT = Number(process.env.BENCH_PORT ?? 3981);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** Busy (non-idle) microseconds of a profile inside [from, to] (µs of the monotonic clock). */
function busyMicros(profile: CpuProfile, from: number, to: number): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let t = profile.startTime;
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t >= from && t <= to && !idle.has(profile.samples[i]!)) busy += delta;
  }
  return busy;
}

const monoMicros = () => Number(process.hrtime.bigint() / 1000n);
const log = (msg: string) => process.stderr.write(`[offthread ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function runMode(mode: 'inline' | 'worker', size: keyof typeof SIZES, rate: number) {
  const dataDir = path.join(BENCH_DATA, `offthread-${mode}`);
  const profileDir = path.join(BENCH_DATA, 'profiles', `offthread-${mode}-${Date.now()}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const server = await startServer({ dataDir, port: PORT, cpuProfileDir: profileDir, env: { PROJECTIONS: mode } });
  const plan = new DatasetPlan(SIZES[size], SEED);
  const batcher = new Batcher(1000);
  let out: Record<string, unknown>;
  try {
    await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
    const chains = await ingest(server.client, plan.chains(), { batchSize: 1000, batcher });
    const catchUpMs = await waitForProjections(server.client);
    log(`${mode}: ingest ${Math.round(chains.eventsPerSecond)} events/s, projections caught up ${catchUpMs} ms later`);
    const resolve = (v: Sym | string) => (v instanceof Sym ? batcher.value(v) : v);
    const producers = plan.entities
      .filter((e) => e.tier === 'producer')
      .map((e) => ({ entityId: resolve(e.entityId), baseId: e.baseIds[0]!, product: e.products[0]! }))
      .filter((p): p is { entityId: string; baseId: string; product: string } => typeof p.entityId === 'string');
    const from = monoMicros();
    const single = await singleCommandLoad(server.url, producers, { rate, connections: 64, seconds: 15, tag: `${mode}-${Date.now()}` });
    const to = monoMicros();
    await waitForProjections(server.client);
    log(`${mode}: single commands at ${rate}/s p50 ${single.latencyMs.p50.toFixed(2)} p99 ${single.latencyMs.p99.toFixed(2)} ms`);
    const { body: status } = await server.client.get<{ head: number }[]>('/api/v1/admin/projections');
    const head = status[0]?.head ?? 0;
    const t = monoMicros();
    const res = await server.client.post('/api/v1/admin/projections/rebuild');
    if (res.status !== 202) throw new Error(`rebuild answered ${res.status}`);
    const rebuildSeconds = (monoMicros() - t) / 1e6;
    log(`${mode}: rebuild of all projections over ${head} events in ${rebuildSeconds.toFixed(1)} s`);
    out = { mode, ingestEventsPerSecond: chains.eventsPerSecond, catchUpMs, single, window: { from, to }, head, rebuildSeconds, rebuildEventsPerSecond: head / rebuildSeconds };
  } finally {
    await server.stop();
  }
  // One profile per thread: CPU.<date>.<pid>.<thread>.<seq>.cpuprofile, the main thread is thread 0.
  const profiles = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const threadOf = (f: string) => Number(f.split('.').at(-3));
  const main = profiles.find((f) => threadOf(f) === 0);
  const { from, to } = out.window as { from: number; to: number };
  const single = out.single as { requests: number };
  const perThread = profiles.map((f) => {
    const profile = JSON.parse(fs.readFileSync(path.join(profileDir, f), 'utf8')) as CpuProfile;
    return { thread: threadOf(f), busyMsInSingleWindow: busyMicros(profile, from, to) / 1000 };
  });
  const mainBusy = perThread.find((p) => p.thread === threadOf(main ?? ''))?.busyMsInSingleWindow ?? NaN;
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { ...out, profileDir: path.relative(process.cwd(), profileDir), perThread, mainThreadMsPerCommand: mainBusy / single.requests };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
  const size = (value('size') ?? 'XS').toUpperCase() as keyof typeof SIZES;
  const rate = Number(value('rate') ?? 300);
  const machine = machineInfo();
  const loadBefore = machineLoad();
  const inline = await runMode('inline', size, rate);
  const worker = await runMode('worker', size, rate);
  const result = { machine, size, rate, loadBefore, loadAfter: machineLoad(), inline, worker };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
