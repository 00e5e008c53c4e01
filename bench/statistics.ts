/**
 * `node -r ./bench/support/swc-register.js bench/statistics.ts [--ingest-events 400000] [--window 180] [--pairs 2] [--queries 200]
 *   [--data <dir of an ingested M server>] [--skip-ingest] [--skip-queries] [--routes overview,flows]`
 *
 * Issue 14's two goals, over the real HTTP server (embedded stack):
 *  1. The statistics projection's cost during ingest: the same prefix of the M plan (bench/generator: M's 3,000
 *     registrations, sent and projected first and not timed, then `--ingest-events` of supply chains, timed) is
 *     sent through POST /api/v1/batch to a fresh server WITH the statistics projection and, at the same time, to one WITHOUT it
 *     (bench/statistics-without-projection.js takes it out of the runner's list), `--pairs` times. Ingest rate = chain events ÷ (sending time + the
 *     projections' catch-up: the projections run on the server's one thread, so their cost is in both). Goal: the projection lowers it by ≤ 10 %. The cost per event is the difference of the
 *     per-event times.
 *  2. The national dashboard queries on the M dataset: each statistics route a ministry account's dashboard
 *     calls, `--queries` times after a warm-up, p50/p99. Goal: p99 ≤ 50 ms. `--data` points at the data
 *     directory of a server that has ingested M already (the M ingest takes ~8 minutes on a quiet machine);
 *     without it the M plan is ingested here into bench/.data/statistics-M (kept for the next run), or only
 *     M's registry and `--chain-events` of its supply chains: the plan's events all fall on one day, so the
 *     dashboards read the same buckets (every county and product of M) whatever the prefix's length.
 *
 * `… bench/statistics.ts --fold <events.sqlite> [--before <projections/statistics dir of an older tree>] [--rounds 2] [--batch 2000]`
 *   3. The statistics projection ALONE: a blue/green build of only this projection from a copy of a ledger's log
 *      (the runner's rebuild, batches of `--batch` log events), in log events per second, alternating with the
 *      same build of `--before`'s projection (e.g. `git archive <commit> projections domain application | tar -x -C DIR`)
 *      so that before and after are measured in one run on the shared machine.
 *
 * The machine is shared: the load average before and after each phase is written with the figures, and only
 * ratios within this run are compared. Results: bench/statistics-results.md (machine, date, commit).
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../infrastructure/sqlite/sqlite-search-index';
import { readModelIndexes } from '../projections';
import type { Projection } from '../projections/runner/projection';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { statisticsProjection } from '../projections/statistics';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES, type Op } from './generator/plan';
import { machineInfo, machineLoad } from './lib/machine';
import { BENCH_DATA, headPosition, startServer, waitForProjections, type RunningServer } from './lib/server';
import { int, ms, summarize, type Summary } from './lib/stats';
import { ingest } from './scenarios/ingest';

const SEED = 20261123;
const PORT = Number(process.env.BENCH_PORT ?? 3991);
const MINISTRY = { 'X-Role': 'ministry-admin', 'X-Org-Id': 'moa', 'X-User-Id': 'bench-moa', 'X-Region': '' };
const argv = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const flag = (name: string) => argv.includes(`--${name}`);
const log = (msg: string) => process.stderr.write(`[bench statistics ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const WITHOUT = path.join(__dirname, 'statistics-without-projection.js');
/** The projection in the commands' lane (read-your-writes), as before decision 0025. */
const CONSISTENT = path.join(__dirname, 'statistics-consistent.js');
const VIRTUAL = path.join(__dirname, 'statistics-virtual-columns.js');
const WINDOW_S = Number(value('window', '180'));

/** The first `n` ops of an iterator. */
function* take(ops: Iterator<Op>, n: number): Generator<Op> {
  for (let i = 0; i < n; i++) {
    const next = ops.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * without: no statistics projection; with: as the tree has it; consistent: folded in the commands' lane (before
 * 0025); virtual: as the tree has it but the read store's index columns VIRTUAL generated (before 0026).
 */
type Variant = 'with' | 'without' | 'consistent' | 'virtual';

interface IngestRun {
  variant: Variant;
  events: number;
  sendSeconds: number;
  catchUpSeconds: number;
  eventsPerSecond: number;
  usPerEvent: number;
  /** The server process's CPU (all its threads) from the start of the window to the end of the catch-up, per event. */
  cpuUsPerEvent: number;
  load: string;
}

/** CPU seconds (user + system, every thread) a process has used so far, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** How the server's read-model file holds its index columns: stored (decision 0026) or VIRTUAL generated. */
function indexColumnKinds(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'read-models.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT stored, count(*) AS n FROM generated_columns GROUP BY stored').all() as { stored: number; n: number }[];
    return rows.map((r) => `${r.n} ${r.stored ? 'stored' : 'virtual'}`).join(', ');
  } finally {
    db.close();
  }
}

/** One fresh server, the plan's registrations and the first chain ops up to ~`events` events, waited for. */
/**
 * The registered M registry, once: approving a registration creates its account (an Argon2 hash), minutes of
 * work that is the same in both variants. Each run starts from a copy and resends the registrations, which the
 * server answers as duplicates (idempotent command ids) with their first results.
 */
async function registeredTemplate(): Promise<string> {
  const dir = path.join(BENCH_DATA, 'statistics-registered-M');
  const marker = path.join(dir, 'statistics-registered.json');
  if (fs.existsSync(marker)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const server = await startServer({ dataDir: dir, port: PORT });
  try {
    const plan = new DatasetPlan(SIZES.M, SEED);
    const t0 = performance.now();
    const reg = await ingest(server.client, plan.registrations(), { batchSize: 200, batcher: new Batcher(1000) });
    await waitForProjections(server.client);
    log(`registry: ${int(reg.events)} events in ${((performance.now() - t0) / 1000).toFixed(0)} s (kept in ${dir})`);
  } finally {
    await server.stop();
  }
  fs.writeFileSync(marker, JSON.stringify({ seed: SEED, size: 'M' }));
  return dir;
}

async function ingestOnce(variant: Variant, events: number, index: number, template: string, servers: number): Promise<IngestRun> {
  const dataDir = path.join(BENCH_DATA, `statistics-ingest-${index}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.cpSync(template, dataDir, { recursive: true });
  // The read models are built again by each server from the template's log, so that their tables and indexes are
  // made by the variant's own code (the virtual variant's columns differ; the template was made by some tree).
  for (const f of fs.readdirSync(dataDir)) if (/^(read-models|search)\.sqlite/.test(f)) fs.rmSync(path.join(dataDir, f));
  const preload = variant === 'without' ? WITHOUT : variant === 'consistent' ? CONSISTENT : variant === 'virtual' ? VIRTUAL : null;
  const env: Record<string, string> = preload ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() } : {};
  // --cpu-prof <dir>: a V8 profile of each server's threads (the API thread and the projection worker).
  const prof = value('cpu-prof', '');
  const server = await startServer({ dataDir, port: PORT + 1 + (index % servers), env, ...(prof ? { cpuProfileDir: path.join(prof, `${variant}-${index}`) } : {}) });
  try {
    const { body } = await server.client.get<{ name: string }[]>('/api/v1/admin/projections');
    const has = body.some((p) => p.name === 'statistics');
    if (has !== (variant !== 'without')) throw new Error(`the ${variant} server ${has ? 'has' : 'lacks'} the statistics projection`);
    const plan = new DatasetPlan(SIZES.M, SEED);
    const batcher = new Batcher(1000);
    // Registrations are not timed (they are in the copied template: the server answers them as duplicates).
    const again = await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
    if (again.events !== 0 || again.failed !== 0) throw new Error(`the registry template did not hold the registrations (${again.events} new events, ${again.failed} failed)`);
    await waitForProjections(server.client);
    const t0 = performance.now();
    const cpu0 = processCpuSeconds(server.pid);
    // A fixed window of supply chains, each batch waiting for the read models (so the projections' cost is in
    // the rate), both servers of a pair sending throughout the same window.
    const chains = await ingest(server.client, take(plan.chains(), Math.round(events / 2.5)), { batchSize: Number(value('batch-commands', '1000')), batcher, wait: true, maxSeconds: WINDOW_S });
    const sent = performance.now();
    await waitForProjections(server.client);
    const done = performance.now();
    const cpu = processCpuSeconds(server.pid) - cpu0;
    const total = chains.events;
    const seconds = (done - t0) / 1000;
    const run: IngestRun = {
      variant,
      events: total,
      sendSeconds: (sent - t0) / 1000,
      catchUpSeconds: (done - sent) / 1000,
      eventsPerSecond: total / seconds,
      usPerEvent: (seconds * 1e6) / total,
      cpuUsPerEvent: (cpu * 1e6) / total,
      load: machineLoad().loadavg,
    };
    log(`${variant}: ${int(total)} events in ${seconds.toFixed(1)} s (${int(run.eventsPerSecond)} events/s; catch-up ${run.catchUpSeconds.toFixed(1)} s; ${run.cpuUsPerEvent.toFixed(0)} µs CPU per event; index columns ${indexColumnKinds(dataDir)}; load ${run.load})`);
    return run;
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

interface QueryResult {
  route: string;
  summary: Summary;
  bytes: number;
}

async function timeRoute(server: RunningServer, route: string, n: number): Promise<QueryResult> {
  const once = async () => {
    const t = performance.now();
    const res = await fetch(`${server.url}${route}`, { headers: MINISTRY });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`GET ${route} answered ${res.status}: ${bytes.toString('utf8').slice(0, 300)}`);
    return { ms: performance.now() - t, bytes: bytes.length };
  };
  for (let i = 0; i < 10; i++) await once();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const r = await once();
    times.push(r.ms);
    bytes = r.bytes;
  }
  return { route, summary: summarize(times), bytes };
}

/** The routes the national dashboard calls (web/src/pages/statistics), plus the county drill-down of the country. */
const DASHBOARD_ROUTES = [
  '/api/v1/statistics/overview',
  '/api/v1/statistics/breakdown?by=region',
  '/api/v1/statistics/breakdown?by=product',
  '/api/v1/statistics/breakdown?by=month',
  '/api/v1/statistics/breakdown?by=region&level=county',
  '/api/v1/statistics/flows',
  '/api/v1/statistics/flows?kind=market',
  '/api/v1/statistics/evaluation',
  '/api/v1/statistics/evaluation/enterprises',
  '/api/v1/statistics/evaluation/trend',
  '/api/v1/statistics/uploads',
  '/api/v1/statistics/reports',
];

async function queries(n: number): Promise<{ results: QueryResult[]; head: number; dataDir: string; ingestSeconds: number | null; rebuild: { seconds: number; projections: string[] } | null }> {
  const given = value('data', '');
  const dataDir = given || path.join(BENCH_DATA, 'statistics-M');
  const marker = path.join(dataDir, 'statistics-dataset.json');
  let ingestSeconds: number | null = null;
  // The registry of M is the same for any prefix of the plan: start from the kept template when there is one.
  const template = path.join(BENCH_DATA, 'statistics-registered-M');
  if (!given && !fs.existsSync(marker) && fs.existsSync(path.join(template, 'statistics-registered.json'))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.cpSync(template, dataDir, { recursive: true });
  }
  // One ministry account calls every route in a loop: the per-account limit must not be what is measured.
  const started = performance.now();
  const server = await startServer({ dataDir, port: PORT, env: { RATE_LIMIT_ACCOUNT_PER_MIN: '100000000' } });
  let rebuild = null as { seconds: number; projections: string[] } | null;
  try {
    // A copy made before a projection's version changed rebuilds it at start (blue/green, the old generation
    // serving meanwhile): the dashboards are timed on the new generation only, and the rebuild is a figure too.
    for (let first = true; ; first = false) {
      const { body } = await server.client.get<{ name: string; rebuilding: boolean }[]>('/api/v1/admin/projections');
      const busy = body.filter((p) => p.rebuilding).map((p) => p.name);
      if (busy.length === 0) break;
      if (first) log(`rebuilding at start: ${busy.join(', ')}`);
      rebuild = { seconds: (performance.now() - started) / 1000, projections: [...new Set([...(rebuild?.projections ?? []), ...busy])] };
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (rebuild) log(`rebuilt ${rebuild.projections.join(', ')} within ${rebuild.seconds.toFixed(0)} s of the server's start`);
    if (!given && !fs.existsSync(marker)) {
      const limit = Number(value('chain-events', '0'));
      log(`ingesting the M plan (${limit ? `registry + ${int(limit)} events of chains` : '≈1M events'}) …`);
      const plan = new DatasetPlan(SIZES.M, SEED);
      const batcher = new Batcher(1000);
      const t0 = performance.now();
      await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
      await ingest(server.client, limit ? take(plan.chains(), Math.round(limit / 2.5)) : plan.chains(), { batchSize: 1000, batcher });
      await waitForProjections(server.client);
      ingestSeconds = (performance.now() - t0) / 1000;
      fs.writeFileSync(marker, JSON.stringify({ size: 'M', chainEvents: limit || null, ingestSeconds }));
    }
    await waitForProjections(server.client);
    const head = await headPosition(server.client);
    log(`dataset: ${int(head)} events in ${dataDir}`);
    const results: QueryResult[] = [];
    // --routes a,b: only the routes containing one of these (a rerun of some routes after a change).
    const only = value('routes', '').split(',').filter(Boolean);
    for (const route of DASHBOARD_ROUTES.filter((r) => only.length === 0 || only.some((o) => r.includes(o)))) {
      const r = await timeRoute(server, route, n);
      log(`${route}: p50 ${ms(r.summary.p50)} ms, p99 ${ms(r.summary.p99)} ms (${int(r.bytes)} bytes)`);
      results.push(r);
    }
    return { results, head, dataDir, ingestSeconds, rebuild };
  } finally {
    await server.stop();
  }
}

interface FoldRun {
  variant: string;
  seconds: number;
  eventsPerSecond: number;
  handledPerSecond: number;
  load: string;
}

/** Builds only the statistics projection from a copy of `source`, each variant in turn, `rounds` times. */
async function foldRate(source: string, variants: { name: string; projection: Projection }[], rounds: number, batch: number): Promise<{ head: number; handled: number; runs: FoldRun[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-stats-fold-'));
  fs.copyFileSync(source, path.join(dir, 'events.sqlite'));
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(source + suffix)) fs.copyFileSync(source + suffix, path.join(dir, `events.sqlite${suffix}`));
  const events = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  const runs: FoldRun[] = [];
  try {
    const head = await events.headPosition();
    let handled = 0;
    for (let after = 0; ; ) {
      const page = await events.readAll({ afterPosition: after, maxCount: 20_000, filter: { eventTypes: [...variants[0]!.projection.handles] } });
      if (page.length === 0) break;
      handled += page.length;
      after = page[page.length - 1]!.position;
    }
    for (let r = 0; r < rounds; r++)
      for (const { name, projection } of variants) {
        const file = path.join(dir, `r-${name}-${r}.sqlite`);
        const reads = new SqliteReadStore(file, { synchronous: 'NORMAL' });
        const search = new SqliteSearchIndex(path.join(dir, `s-${name}-${r}.sqlite`), { synchronous: 'NORMAL' });
        const runner = new ProjectionRunner(events, reads, search, [projection], { info: () => undefined, error: (m, x) => log(`${m} ${JSON.stringify(x)}`) }, readModelIndexes, 500, Date.now, {}, batch);
        const t0 = process.hrtime.bigint();
        await runner.start();
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        await runner.stop();
        await reads.close();
        await search.close();
        fs.rmSync(file, { force: true });
        const run = { variant: name, seconds, eventsPerSecond: head / seconds, handledPerSecond: handled / seconds, load: machineLoad().loadavg };
        log(`fold ${name} (round ${r + 1}): ${seconds.toFixed(2)} s = ${int(run.eventsPerSecond)} log events/s (${int(run.handledPerSecond)} handled/s; load ${run.load})`);
        runs.push(run);
      }
    return { head, handled, runs };
  } finally {
    await events.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function foldMain(source: string): Promise<void> {
  const machine = machineInfo();
  const before = value('before', '');
  const variants: { name: string; projection: Projection }[] = [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an older tree's projection, chosen at run time
  if (before) variants.push({ name: 'before', projection: (require(path.resolve(before, 'index.ts')) as { statisticsProjection: Projection }).statisticsProjection });
  variants.push({ name: `v${statisticsProjection.version}`, projection: statisticsProjection });
  const loadBefore = machineLoad().loadavg;
  const { head, handled, runs } = await foldRate(source, variants, Number(value('rounds', '2')), Number(value('batch', '2000')));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const lines = [
    `## ${machine.date} — statistics projection alone (issue 14, batch-level fold)`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, SQLite ${machine.sqlite}, commit ${machine.commit}${machine.dirty ? ' (dirty tree)' : ''}. Load before: ${loadBefore}. Log: ${int(head)} events (${int(handled)} of the types the projection folds), a copy of ${source}; a build of this projection only (the runner's rebuild, batches of ${value('batch', '2000')} log events), variants alternating.`,
    '',
    '| run | variant | seconds | log events/s | handled events/s | load (1/5/15 min) |',
    '|---|---|---|---|---|---|',
    ...runs.map((r, i) => `| ${i + 1} | ${r.variant} | ${r.seconds.toFixed(2)} | ${int(r.eventsPerSecond)} | ${int(r.handledPerSecond)} | ${r.load} |`),
    '',
    ...variants.map((v) => `- ${v.name}: median ${int(median(runs.filter((r) => r.variant === v.name).map((r) => r.eventsPerSecond)))} log events/s`),
    '',
  ];
  fs.appendFileSync(path.join(__dirname, 'statistics-results.md'), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const foldSource = value('fold', '');
  if (foldSource) return foldMain(foldSource);
  const machine = machineInfo();
  const lines: string[] = [`## ${machine.date} — statistics (issue 14)`, '', `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, SQLite ${machine.sqlite}, commit ${machine.commit}${machine.dirty ? ' (dirty tree)' : ''}. Load before: ${machineLoad().loadavg} (the machine is shared by other sessions: compare within this run).`, ''];

  if (!flag('skip-ingest')) {
    const events = Number(value('ingest-events', '400000'));
    const pairs = Number(value('pairs', '2'));
    // --variants without,with,consistent: also the projection in the commands' lane (before decision 0025).
    const variants = value('variants', 'without,with').split(',') as Variant[];
    const runs: IngestRun[] = [];
    const template = await registeredTemplate();
    // The machine is shared and its load swings within minutes: the variants of a round run at the same
    // time (one server each), so that whatever else runs slows them alike.
    for (let p = 0; p < pairs; p++) runs.push(...(await Promise.all(variants.map((v, i) => ingestOnce(v, events, variants.length * p + i, template, variants.length)))));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rate = (v: IngestRun['variant']) => median(runs.filter((r) => r.variant === v).map((r) => r.eventsPerSecond));
    const us = (v: IngestRun['variant']) => median(runs.filter((r) => r.variant === v).map((r) => r.usPerEvent));
    const drop = 1 - rate('with') / rate('without');
    const consistentDrop = variants.includes('consistent') ? 1 - rate('consistent') / rate('without') : null;
    lines.push(
      '### Ingest with and without the statistics projection',
      '',
      `The M plan's 3,000 registrations (not timed: each approval hashes a password), then supply chains (up to ${int(events)} events) through POST /api/v1/batch, batches of ${value('batch-commands', '1000')} commands each waiting for the read models, for a window of ${WINDOW_S} s, then until every projection has caught up (the rate counts the catch-up); a fresh server per run; the runs of a round (${variants.join(', ')}) send during the same window (one server each), so the machine's other load slows them alike.${variants.includes('consistent') ? ' "consistent": the statistics projection folded in the commands\' lane, every answer waiting for it (before decision 0025).' : ''}${variants.includes('virtual') ? ' "virtual": as "with", but the SQLite read store makes its index columns VIRTUAL generated columns (before decision 0026).' : ''} Each server builds its read models from the template's log at start (not timed).`,
      '',
      '| run | statistics projection | events | sending s | catch-up s | events/s | µs per event | server CPU µs per event | load (1/5/15 min) |',
      '|---|---|---|---|---|---|---|---|---|',
      ...runs.map((r, i) => `| ${i + 1} | ${r.variant} | ${int(r.events)} | ${r.sendSeconds.toFixed(1)} | ${r.catchUpSeconds.toFixed(1)} | ${int(r.eventsPerSecond)} | ${r.usPerEvent.toFixed(0)} | ${r.cpuUsPerEvent.toFixed(0)} | ${r.load} |`),
      '',
      `Median: without ${int(rate('without'))} events/s, with ${int(rate('with'))} events/s — the projection lowers ingest by **${(drop * 100).toFixed(1)} %** (goal ≤ 10 %: ${drop <= 0.1 ? 'met' : 'missed'}); its cost ≈ ${(us('with') - us('without')).toFixed(0)} µs per ingested event.${consistentDrop !== null ? ` In the commands' lane (before decision 0025): ${int(rate('consistent'))} events/s, **${(consistentDrop * 100).toFixed(1)} %** lower.` : ''}${variants.includes('virtual') ? ` With VIRTUAL index columns (before decision 0026): ${int(rate('virtual'))} events/s, **${((1 - rate('virtual') / rate('without')) * 100).toFixed(1)} %** lower.` : ''} Server CPU per event (median): ${variants.map((v) => `${v} ${median(runs.filter((r) => r.variant === v).map((r) => r.cpuUsPerEvent)).toFixed(0)} µs`).join(', ')}.`,
      '',
    );
  }

  if (!flag('skip-queries')) {
    const n = Number(value('queries', '200'));
    const q = await queries(n);
    const worst = Math.max(...q.results.map((r) => r.summary.p99));
    lines.push(
      '### National dashboard queries on the M dataset',
      '',
      `${int(q.head)} events in the log${q.ingestSeconds !== null ? ` (ingested here in ${q.ingestSeconds.toFixed(0)} s)` : ''}${q.rebuild ? `; at start the server rebuilt ${q.rebuild.projections.join(', ')} (changed versions) within ${q.rebuild.seconds.toFixed(0)} s ≈ ${int(q.head / q.rebuild.seconds)} log events/s, the routes timed after it` : ''}; a ministry account (national scope), each route ${n} times after 10 warm-up calls, one at a time. Load after: ${machineLoad().loadavg}.`,
      '',
      '| route | p50 ms | p90 ms | p99 ms | max ms | answer bytes |',
      '|---|---|---|---|---|---|',
      ...q.results.map((r) => `| \`${r.route}\` | ${ms(r.summary.p50)} | ${ms(r.summary.p90)} | ${ms(r.summary.p99)} | ${ms(r.summary.max)} | ${int(r.bytes)} |`),
      '',
      `Worst p99 ${ms(worst)} ms (goal ≤ 50 ms: ${worst <= 50 ? 'met' : 'missed'}).`,
      '',
    );
  }
  fs.appendFileSync(path.join(__dirname, 'statistics-results.md'), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
