/**
 * `node -r ./bench/support/swc-register.js bench/read-side.ts [--size S] [--port 3987] [--label before] [--pg]`
 *
 * The read side of issue 17 alone (decision 0021): the real server on its own data directory and port
 * (so it never collides with a full `npm run bench` of another session), the S dataset through the batch
 * endpoint, then
 *   - the read models on disk, per collection (SQLite's dbstat: tables and their indexes), against the log;
 *   - the trace chains (in-process query and HTTP), and a CPU profile of the biggest forward chains' query;
 *   - the consumer lookup, in-process and at 1,000 req/s over HTTP;
 *   - with `--pg`, the PostgreSQL peer's recursive CTE over the same plan (bench/peers/postgres).
 * Writes bench/results/read-side-<time>-<label>.json and prints a summary; run it on two commits in one
 * session and compare the ratios (the machine is shared).
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { consumerView } from '../application/trace/consumer-view';
import { traceChain } from '../application/trace/chain-query';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES, Sym } from './generator/plan';
import type { HttpClient } from './lib/http';
import { machineInfo, machineLoad } from './lib/machine';
import { openReadModels } from './lib/read-models';
import { BENCH_DATA, ROOT, startServer, waitForProjections } from './lib/server';
import { now, summarize } from './lib/stats';
import { runPostgresPeer, stopPostgres } from './peers/postgres/pg-peer';
import { ingest } from './scenarios/ingest';
import { consumerLookupLoad } from './scenarios/single-command';
import { chainTargets, traceChainLatencies } from './scenarios/trace-chains';
import { cliArgs } from './lib/cli-args';

const SEED = 20261123;
const log = (msg: string) => process.stderr.write(`[read-side ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function args() {
  const { value, size, flag } = cliArgs();
  return { size: size(), port: Number(value('port') ?? 3987), label: value('label') ?? 'run', pg: flag('pg'), keep: flag('keep'), reuse: value('reuse'), rebuildOnly: flag('rebuild-only') };
}

/** Bytes on disk per table (its B-tree and its indexes'), from SQLite's dbstat. */
function tableSizes(file: string): { total: number; tables: Record<string, number> } {
  const db = new Database(file, { readonly: true });
  try {
    const owner = new Map<string, string>();
    for (const r of db.prepare(`SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')`).all() as { name: string; tbl_name: string }[]) owner.set(r.name, r.tbl_name);
    const tables: Record<string, number> = {};
    let total = 0;
    for (const r of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[]) {
      const t = owner.get(r.name) ?? r.name;
      tables[t] = (tables[t] ?? 0) + r.bytes;
      total += r.bytes;
    }
    return { total, tables };
  } finally {
    db.close();
  }
}

/** Self time per function (top n) of a V8 CPU profile, in ms. */
function topSelfTime(profile: inspector.Profiler.Profile, n = 15): { fn: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const dts = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url || '')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dts[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10, share: Math.round((ms / total) * 1000) / 10 }));
}

async function profiled<T>(work: () => Promise<T>): Promise<{ result: T; top: ReturnType<typeof topSelfTime> }> {
  const session = new inspector.Session();
  session.connect();
  const post = <R>(method: string, params?: object) => new Promise<R>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as R))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  const result = await work();
  const { profile } = await post<{ profile: inspector.Profiler.Profile }>('Profiler.stop');
  session.disconnect();
  return { result, top: topSelfTime(profile) };
}

async function main(): Promise<void> {
  const opts = args();
  const spec = SIZES[opts.size];
  const dataDir = path.join(BENCH_DATA, `read-side-${opts.size}-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  // --reuse <dir>: a copy of a data directory an earlier run ingested (the same plan): no ingest, and the
  // server's start rebuilds whatever projection changed version.
  if (opts.reuse) fs.cpSync(opts.reuse, dataDir, { recursive: true });
  const report: Record<string, unknown> = { label: opts.label, size: opts.size, reused: opts.reuse ?? null, machine: machineInfo(), loadBefore: machineLoad(), started: new Date().toISOString() };
  // The per-account limit (600/min) would answer 429 to the chain phase's hundreds of reads a minute.
  const server = await startServer({ dataDir, port: opts.port, env: { RATE_LIMIT_ACCOUNT_PER_MIN: '100000000' } });
  const plan = new DatasetPlan(spec, SEED);
  const batcher = new Batcher(1000);
  try {
    if (!opts.reuse) {
      log(`size ${opts.size}: registering, then supply chains through the batch endpoint (${dataDir})`);
      await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
      const chains = await ingest(server.client, plan.chains(), { batchSize: 1000, batcher });
      report.ingest = { events: chains.events, eventsPerSecond: Math.round(chains.eventsPerSecond) };
      log(`ingested ${chains.events} events at ${Math.round(chains.eventsPerSecond)}/s`);
    }
    report.catchUpMs = await waitForProjections(server.client);
    log(`projections caught up (${String(report.catchUpMs)} ms)`);
    if (opts.rebuildOnly) {
      // --rebuild-only: one blue/green rebuild of every projection, then the disk figures: what a dropped
      // generation leaves in the file (free pages) with and without incremental auto-vacuum.
      const before = fileSizes(dataDir);
      const start = now();
      const res = await server.client.post('/api/v1/admin/projections/rebuild');
      // The answer comes once the new generations took over (bench/scenarios/projections.ts relies on it too).
      if (res.status !== 202) throw new Error(`rebuild answered ${res.status}`);
      report.rebuild = { seconds: Math.round(now() - start) / 1000, filesBefore: before };
      log(`rebuilt in ${(report.rebuild as { seconds: number }).seconds} s`);
    }

    const { models, close } = opts.rebuildOnly ? { models: null, close: async () => undefined } : await openReadModels(dataDir);
    if (models) try {
      const bigRoots = opts.reuse ? await biggestTrees(models) : plan.bigTreeOrigins.map((c) => batcher.value(new Sym(c, 'traceCode'))).filter((c): c is string => !!c);
      const targets = await chainTargets(models, bigRoots);
      log(`trace chains (${targets.length} targets) …`);
      report.chains = await traceChainLatencies(models, retryingOnStaleSocket(server.client), targets, 100);
      const biggest = targets.filter((t) => t.direction === 'forward' && t.bucket === '≥ 1,000 lots');
      if (biggest.length > 0) {
        const { result, top } = await profiled(async () => {
          const samples: number[] = [];
          for (let i = 0; i < 200; i++) {
            const t = now();
            await traceChain(models, biggest[i % biggest.length]!.traceCode, 'forward', 64);
            samples.push(now() - t);
          }
          return summarize(samples);
        });
        report.bigForwardProfile = { query: result, top };
      }
      const codes = (await models.find('lots', {}, { limit: 1000 })).map((l) => l._id);
      const sequential: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const t = now();
        await consumerView(models, codes[i % codes.length]!);
        sequential.push(now() - t);
      }
      log('consumer lookups at 1,000 req/s …');
      report.consumer = { query: summarize(sequential), http: await consumerLookupLoad(server.url, codes, { rate: 1000, connections: 64, seconds: 15 }) };
    } finally {
      await close();
    }
  } finally {
    await server.stop();
  }
  // After the server stopped: its WAL is checkpointed into the files, so sizes are the data's.
  const log_ = tableSizes(path.join(dataDir, 'events.sqlite'));
  const reads = tableSizes(path.join(dataDir, 'read-models.sqlite'));
  const search = tableSizes(path.join(dataDir, 'search.sqlite'));
  report.disk = {
    files: fileSizes(dataDir),
    readModelsFreeMb: freePagesMb(path.join(dataDir, 'read-models.sqlite')),
    logMb: mb(log_.total),
    readModelsMb: mb(reads.total),
    searchMb: mb(search.total),
    ratio: Math.round(((reads.total + search.total) / log_.total) * 100) / 100,
    readModelsOnlyRatio: Math.round((reads.total / log_.total) * 100) / 100,
    tables: Object.fromEntries(Object.entries(reads.tables).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => [k, mb(v)])),
    searchTables: Object.fromEntries(Object.entries(search.tables).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, mb(v)])),
  };
  if (opts.pg) {
    log('peer: PostgreSQL recursive CTE over the same plan …');
    try {
      const pg = await runPostgresPeer(new DatasetPlan(spec, SEED), { batchSize: 1000, chainSamples: 100, consumerSeconds: 5 });
      report.postgres = { version: pg.version, chainLatencies: pg.chainLatencies, sizeMb: pg.sizeMb };
    } catch (err) {
      report.postgres = { error: String(err instanceof Error ? err.message : err) };
    } finally {
      stopPostgres();
    }
  }
  report.loadAfter = machineLoad();
  report.finished = new Date().toISOString();
  if (!opts.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  const out = path.join(ROOT, 'bench', 'results', `read-side-${report.started as string}-${opts.label}.json`.replace(/:/g, '-'));
  fs.writeFileSync(out, JSON.stringify(report, null, 2));
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  log(`done: ${path.relative(process.cwd(), out)}`);
}

/**
 * The driver's keep-alive socket may be closed by the server while the in-process part of a chain bucket
 * runs (Node's 5 s keep-alive timeout): a GET on it then fails with "socket hang up". Retried once.
 */
function retryingOnStaleSocket(client: HttpClient): HttpClient {
  return {
    get: async (p: string) => {
      try {
        return await client.get(p);
      } catch (err) {
        if (!/socket hang up|ECONNRESET/.test(String(err))) throw err;
        return client.get(p);
      }
    },
  } as unknown as HttpClient;
}

/** Without the ingest's symbols: the roots of the biggest trees (the plan's big recall trees have ≥ 1,000 lots). */
async function biggestTrees(models: import('../application/ports/read-models').ReadModels): Promise<string[]> {
  const roots = await models.find('lots', { depth: 0 });
  const big: string[] = [];
  for (const r of roots) if ((await models.count('lots', { rootTraceCode: r._id, depth: 6 })) > 0 && (await models.count('lots', { rootTraceCode: r._id })) >= 1000) big.push(r._id);
  return big;
}

function fileSizes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.sqlite')) out[f] = mb(fs.statSync(path.join(dir, f)).size);
  return out;
}

function freePagesMb(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return mb(Number(db.pragma('freelist_count', { simple: true })) * Number(db.pragma('page_size', { simple: true })));
  } finally {
    db.close();
  }
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
