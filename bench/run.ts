/**
 * `npm run bench [-- --size S|M|L] [--no-peers | --no-postgres] [--write-path-events N] [--sealing] [--profile] [--keep]`
 *
 * `--sealing` runs the server with tree heads sealed every 60 s, as production does (CHECKPOINT_INTERVAL_MS's
 * default); without it sealing is off, and so is the Merkle log's work at append time (application/audit/log-tree.ts
 * stages each append once the tree is loaded), which the figures then do not include.
 *
 * `--no-postgres` skips only the plain-PostgreSQL peer (the event-store peers still run) and `--write-path-events N`
 * stops the in-process write-path measurement after N supply-chain events: at L the two take about 80 and 25 minutes,
 * which with the rest (about 110) does not fit one working session on this machine, so L is run in parts.
 *
 * One run: the real server on a fresh embedded data directory, fed the synthetic dataset through the batch
 * endpoint, then every measurement of issue 7, then the peers (plain PostgreSQL, Emmett's SQLite event
 * store) on the same workload. Appends a section to bench/RESULTS.md. Size S (≈100k events) is the
 * default and takes a few minutes; M (≈1M) is for a quiet machine; L (≈10M) is opt-in and long.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { consumerView } from '../application/trace/consumer-view';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES, Sym, type PlannedEntity } from './generator/plan';
import { diskShare } from './lib/disk-share';
import { machineInfo, machineLoad, memoryOf } from './lib/machine';
import { openReadModels } from './lib/read-models';
import { appendRun, type RunReport } from './lib/report';
import { BENCH_DATA, ROOT, startServer, waitForProjections } from './lib/server';
import { now, summarize } from './lib/stats';
import { runPostgresPeer, stopPostgres } from './peers/postgres/pg-peer';
import { concurrentBatchWriters } from './scenarios/concurrent-writers';
import { ingest } from './scenarios/ingest';
import { projectionLag, rebuildRates } from './scenarios/projections';
import { sampleAndTest } from './scenarios/sampling';
import { searchLatencies } from './scenarios/search';
import { consumerLookupLoad, singleCommandLoad } from './scenarios/single-command';
import { chainTargets, traceChainLatencies } from './scenarios/trace-chains';
import { writePathAlone } from './scenarios/write-path';

const SEED = 20261123;
const PORT = Number(process.env.BENCH_PORT ?? 3977);

function args() {
  const argv = process.argv.slice(2);
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = (value('size') ?? process.env.BENCH_SIZE ?? 'S').toUpperCase() as keyof typeof SIZES;
  if (!SIZES[size]) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const cap = value('write-path-events');
  const writePathEvents = cap === undefined ? undefined : Number(cap);
  if (writePathEvents !== undefined && !(Number.isInteger(writePathEvents) && writePathEvents > 0)) throw new Error('--write-path-events must be a positive integer');
  return { size, peers: !flag('no-peers'), postgres: !flag('no-peers') && !flag('no-postgres'), writePathEvents, sealing: flag('sealing'), profile: flag('profile'), keep: flag('keep') };
}

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  const opts = args();
  const spec = SIZES[opts.size];
  const big = opts.size === 'M' || opts.size === 'L';
  const report: RunReport = { size: opts.size, seed: SEED, spec, machine: machineInfo(), loadBefore: machineLoad(), started: new Date().toISOString() } as RunReport;
  const dataDir = path.join(BENCH_DATA, `run-${opts.size}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const profileDir = opts.profile ? path.join(BENCH_DATA, 'profiles', `${opts.size}-${Date.now()}`) : undefined;
  log(`size ${opts.size}: ≈${spec.events.toLocaleString()} events, ${spec.entities} entities; data in ${dataDir}`);

  report.sealing = opts.sealing;
  const server = await startServer({ dataDir, port: PORT, ...(profileDir ? { cpuProfileDir: profileDir } : {}), ...(opts.sealing ? { env: { CHECKPOINT_INTERVAL_MS: '60000' } } : {}) });
  const { client } = server;
  try {
    // 1. The dataset, through the batch endpoint: registrations (argon2id per approval), then supply chains.
    const plan = new DatasetPlan(spec, SEED);
    const batcher = new Batcher(1000);
    log('registering entities …');
    const registration = await ingest(client, plan.registrations(), { batchSize: 200, batcher });
    log(`registration: ${registration.events} events in ${registration.seconds.toFixed(1)} s`);
    log('ingesting supply chains through POST /api/v1/batch …');
    const chains = await ingest(client, plan.chains(), { batchSize: 1000, batcher });
    const memoryAfterIngest = server.memory();
    const catchUpMs = await waitForProjections(client);
    report.ingest = {
      registration: strip(registration),
      chains: strip(chains),
      projectionCatchUpMs: catchUpMs,
      // While the ingest ran the projections ran beside it: their rate is the chains' events over the ingest
      // time plus the catch-up after it (a lower bound of their capacity when the catch-up is ~0).
      projectionEventsPerSecond: chains.events / (chains.seconds + catchUpMs / 1000),
      memoryAfterIngest,
    };
    log(`chains: ${chains.events} events in ${chains.seconds.toFixed(1)} s = ${Math.round(chains.eventsPerSecond)} events/s; projections caught up ${catchUpMs} ms later`);

    // Entities with their real ids, for the other writers and the single-command load.
    const resolve = (v: Sym | string) => (v instanceof Sym ? batcher.value(v) : v);
    const entities: PlannedEntity[] = plan.entities
      .map((e) => ({ ...e, entityId: resolve(e.entityId)!, eid: resolve(e.eid)! }))
      .filter((e) => typeof e.entityId === 'string' && typeof e.eid === 'string');
    const producers = entities.filter((e) => e.tier === 'producer').map((e) => ({ entityId: e.entityId as string, baseId: e.baseIds[0]!, product: e.products[0]! }));

    // 2. Projection lag under a sustained, paced ingest (a share of the measured maximum).
    const pacedRate = Math.max(500, Math.round(chains.eventsPerSecond * 0.4));
    log(`projection lag at ${pacedRate} events/s …`);
    report.lag = await projectionLag(client, plan.chains(Math.round(pacedRate * 25), 3), batcher, { eventsPerSecond: pacedRate, seconds: big ? 30 : 20, batchSize: 100 });

    // 3. Concurrent writers: 4 batch uploaders at once; then single commands as fast as 16 clients go.
    log('concurrent batch writers …');
    report.concurrent = await concurrentBatchWriters(client, spec, SEED, entities, { writers: 4, eventsPerWriter: Math.round(Math.min(spec.events, 400_000) / 20), batchSize: 500 });
    await waitForProjections(client);
    log('single commands, unthrottled (16 connections) …');
    report.singleMax = await singleCommandLoad(server.url, producers, { connections: 16, seconds: 10, tag: `max-${Date.now()}` });
    await waitForProjections(client);

    // 4. Single commands at 500 req/s (default read-your-writes wait included: what a producer's app feels).
    log('single commands at 500 req/s …');
    report.single500 = await singleCommandLoad(server.url, producers, { rate: 500, connections: 64, seconds: 15, tag: `r500-${Date.now()}` });
    await waitForProjections(client);

    // 5. Monitoring (quality module): tasks, samples of lots, lab results (5 % failing → cases, holds, warnings).
    const { models, close } = await openReadModels(dataDir);
    try {
      log('samples and lab results …');
      report.sampling = await sampleAndTest(client, models, { samples: big ? 2000 : 300, seed: SEED });
      await waitForProjections(client);

      // 6. Queries: trace chains, consumer lookups, search.
      const bigRoots = plan.bigTreeOrigins.map((c) => batcher.value(new Sym(c, 'traceCode'))).filter((c): c is string => !!c);
      log('trace chains …');
      const targets = await chainTargets(models, bigRoots);
      report.chains = await traceChainLatencies(models, client, targets, 100);
      const lots = await models.find('lots', {}, { limit: 1000, skip: 0 });
      const codes = lots.map((l) => l._id);
      const consumerSeq: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const t = now();
        await consumerView(models, codes[i % codes.length]!);
        consumerSeq.push(now() - t);
      }
      log('consumer lookups at 1,000 req/s …');
      report.consumer = { query: summarize(consumerSeq), http: await consumerLookupLoad(server.url, codes, { rate: 1000, connections: 64, seconds: 15 }) };
      log('search …');
      report.search = await searchLatencies(models, client, 200);
    } finally {
      await close();
    }

    // 7. Rebuild every projection from the log, one after the other (blue/green, the server keeps serving).
    log('rebuilding projections …');
    report.rebuild = await rebuildRates(client, { each: !big });
    report.memory = { server: server.memory(), driver: memoryOf(process.pid) };
    report.head = (await client.get<{ head: number }[]>('/api/v1/admin/projections')).body[0]?.head ?? 0;
    report.files = dirSizes(dataDir);
  } finally {
    await server.stop();
  }
  report.disk = diskShare(dataDir);
  if (profileDir) report.profileDir = path.relative(ROOT, profileDir);

  // 8. The write path alone (in-process, no HTTP, no projections), same plan.
  log('write path alone (in-process) …');
  report.writePath = await writePathAlone(path.join(BENCH_DATA, `write-path-${opts.size}`), new DatasetPlan(spec, SEED), 1000, { maxChainEvents: opts.writePathEvents });

  // 9. Peers on the same workload.
  if (opts.peers) {
    if (!opts.postgres) log('peer: plain PostgreSQL skipped (--no-postgres)');
    else {
      log('peer: plain PostgreSQL …');
      try {
        report.postgres = await runPostgresPeer(new DatasetPlan(spec, SEED), { batchSize: 1000, chainSamples: 100, consumerSeconds: 10 });
      } catch (err) {
        report.postgresError = String(err instanceof Error ? err.message : err);
        log(`PostgreSQL peer failed: ${report.postgresError}`);
      } finally {
        if (!opts.keep) stopPostgres();
      }
    }
    log('peers: event stores (ours vs Emmett) …');
    const commands = big ? 20_000 : 5_000;
    report.stores = { commands, own: peerProcess(['-r', path.join(ROOT, 'bench/support/swc-register.js'), path.join(ROOT, 'bench/peers/own-store.ts'), path.join(BENCH_DATA, 'own-store'), String(commands)]) };
    const emmett = ensureEmmett();
    // No retry: emmett-sqlite's SQLITE_BUSY ("SQL statements in progress") was a race in its sqlite3 driver, which
    // the peer now closes where it arises (serialized connections, emmett-peer.cjs says why); a failure is written
    // into the report as "not measured" with its error, not hidden behind a second try.
    const emmettResult: Record<string, unknown> = emmett.ok
      ? peerProcess([path.join(ROOT, 'bench/peers/emmett/emmett-peer.cjs'), path.join(BENCH_DATA, 'emmett'), String(commands)], path.join(ROOT, 'bench/peers/emmett'))
      : { error: emmett.reason };
    if (emmettResult.error) log(`Emmett peer failed: ${String(emmettResult.error).slice(0, 200)}`);
    report.stores.emmett = emmettResult;
  } else {
    log('peers skipped (--no-peers)');
  }

  report.loadAfter = machineLoad();
  report.finished = new Date().toISOString();
  const file = appendRun(report);
  if (!opts.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  log(`done: ${path.relative(process.cwd(), file)}`);
}

function strip<T extends { commits?: unknown; batcher?: unknown }>(r: T): Omit<T, 'commits' | 'batcher'> {
  const { commits: _c, batcher: _b, ...rest } = r;
  return rest;
}

function dirSizes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fs.readdirSync(dir)) out[f] = Math.round(fs.statSync(path.join(dir, f)).size / 2 ** 20);
  return out;
}

function peerProcess(argv: string[], cwd = ROOT): Record<string, unknown> {
  try {
    const out = execFileSync(process.execPath, argv, { cwd, stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 }).toString();
    return JSON.parse(out.trim().split('\n').pop()!);
  } catch (err) {
    return { error: String(err instanceof Error ? err.message : err).slice(0, 300) };
  }
}

/** Emmett lives in its own npm project (its peers clash with ours); installed on first use. */
function ensureEmmett(): { ok: true } | { ok: false; reason: string } {
  const dir = path.join(ROOT, 'bench/peers/emmett');
  if (fs.existsSync(path.join(dir, 'node_modules/@event-driven-io/emmett-sqlite')) && fs.existsSync(path.join(dir, 'node_modules/sqlite3/build/Release/node_sqlite3.node'))) return { ok: true };
  log('installing the Emmett peer (npm, builds sqlite3 from source: a few minutes, once) …');
  try {
    execFileSync('flock', ['/tmp/npm.lock', 'npm', 'ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' } });
    return { ok: true };
  } catch (err) {
    const reason = `Emmett peer could not be installed (${String(err instanceof Error ? err.message : err).slice(0, 200)})`;
    log(`SKIPPED: ${reason}`);
    return { ok: false, reason };
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
