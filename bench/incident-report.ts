/**
 * `node -r ./bench/support/swc-register.js bench/incident-report.ts [--size M|S] [--runs 5] [--reuse] [--dry]`
 *
 * Issue 12's goal over the real HTTP path: the incident synthesis and all three reports for a recall tree of
 * ≥ 1,000 lots across ≥ 10 provinces, on the M dataset, in ≤ 2 s end to end. The real server (embedded stack)
 * is fed the synthetic dataset through POST /api/v1/batch (bench/generator: ≈1M events for M, with a
 * recall-sized tree — fan-out 3, depth 6, ≈1,093 lots over holders in every province — every 200k events);
 * an incident is recorded over the largest such tree and its response started (holds and recall notices),
 * then each run times, as the incident page does them one after another:
 *   GET /api/v1/incidents/{id}/chain (the synthesis the page shows), then
 *   GET /api/v1/incidents/{id}/report?format=pdf | xlsx | epcis (redacts and renders the same synthesis).
 * The synthesis is cached per incident (application/reports/synthesis-cache.ts) until something it may depend
 * on is appended, so each run is timed twice: right after a handling-log entry (POST …/log, not timed: the
 * incident's stream moved, so the chain route synthesises again and the downloads reuse it) and once more with
 * nothing changed (every request served from the cached synthesis). `--cpu-prof DIR` writes the server's V8
 * CPU profile there when it stops.
 * REPORTS' in-memory recall-tree generator (tests/unit/application/reports/support/recall-tree.ts) does not
 * fit here: its events never enter the event store, and recording an incident and starting the response
 * need the lots' streams. `--reuse` keeps the ingested data directory of an earlier run (the ingest of M
 * takes ~8 minutes). `--ledger DIR` (e.g. /work/ledger-M, built once by `npm run bench:ledger`, finished when it
 * holds READY.json) copies that ledger instead of ingesting, never writing into it, and finds the recall-sized
 * trees in the copy's trace graph. Results are appended to bench/incident-report-results.md with the machine
 * and date: medians and p99 (nearest rank) per step, and the machine's load before and after.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES, Sym } from './generator/plan';
import { machineInfo, machineLoad } from './lib/machine';
import { BENCH_DATA, ROOT, headPosition, startServer, waitForProjections, type RunningServer } from './lib/server';
import { ingest } from './scenarios/ingest';

const SEED = 20261123;
const PORT = Number(process.env.BENCH_PORT ?? 3987);
const MINISTRY = { 'X-Role': 'ministry-admin', 'X-Org-Id': 'moa', 'X-User-Id': 'bench-moa', 'X-Region': '' };
const FORMATS = ['pdf', 'xlsx', 'epcis'] as const;

const argv = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const flag = (name: string) => argv.includes(`--${name}`);
const log = (msg: string) => process.stderr.write(`[bench incident-report ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

interface Dataset {
  size: string;
  events: number;
  head: number;
  bigRoots: string[];
  ingestSeconds: number;
}

/**
 * Copies a finished benchmark ledger (READY.json) into `dataDir`. SQLite files are copied with their WAL, as
 * the stopped server left them; the source is only read.
 */
function copyLedger(source: string, dataDir: string): { events: number; size: string } {
  const ready = JSON.parse(fs.readFileSync(path.join(source, 'READY.json'), 'utf8')) as { events: number; size: string };
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.cpSync(source, dataDir, { recursive: true });
  return ready;
}

/**
 * The origins of the recall-sized trees in a data directory's trace graph (read models, read only): every lot
 * that no hand-over produced, with the lots it reaches forward through confirmed hand-overs; trees of ≥ 1,000
 * lots, largest first. The generator's big trees (fan-out 3, depth 6) have 1,093.
 */
function recallTreesIn(dataDir: string): { root: string; lots: number }[] {
  const db = new Database(path.join(dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
  try {
    // Blue/green read models: `lot_edges__g<n>` per generation; the newest one holding edges is the live one.
    const generations = (db.prepare('SELECT name, table_name FROM collections').all() as { name: string; table_name: string }[])
      .map((c) => ({ table: c.table_name, generation: /^lot_edges(?:__g(\d+))?$/.exec(c.name) }))
      .filter((c) => c.generation)
      .sort((a, b) => Number(b.generation![1] ?? 0) - Number(a.generation![1] ?? 0));
    const table = generations.map((g) => g.table).find((t) => db.prepare(`SELECT 1 FROM "${t.replace(/"/g, '""')}" LIMIT 1`).get());
    if (!table) return [];
    const children = new Map<string, string[]>();
    const produced = new Set<string>();
    for (const body of db.prepare(`SELECT body FROM "${table.replace(/"/g, '""')}"`).pluck().iterate() as Iterable<string>) {
      const e = JSON.parse(body) as { from: string; to: string | null; kind: string };
      if (e.kind !== 'transfer' || !e.to) continue;
      produced.add(e.to);
      const list = children.get(e.from);
      if (list) list.push(e.to);
      else children.set(e.from, [e.to]);
    }
    const trees: { root: string; lots: number }[] = [];
    for (const root of children.keys()) {
      if (produced.has(root)) continue;
      let lots = 0;
      const stack = [root];
      while (stack.length > 0) {
        lots++;
        for (const c of children.get(stack.pop()!) ?? []) stack.push(c);
      }
      if (lots >= 1000) trees.push({ root, lots });
    }
    return trees.sort((a, b) => b.lots - a.lots);
  } finally {
    db.close();
  }
}

/** The dataset in `dataDir`: ingested now, or the one an earlier run left there (`--reuse`). */
async function dataset(server: RunningServer, size: keyof typeof SIZES, dataDir: string, reused: Dataset | null): Promise<Dataset> {
  if (reused) return reused;
  const plan = new DatasetPlan(SIZES[size], SEED);
  const batcher = new Batcher(1000);
  const t0 = performance.now();
  log('registering entities …');
  const registration = await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
  log(`registration: ${registration.events.toLocaleString()} events; ingesting supply chains …`);
  const chains = await ingest(server.client, plan.chains(), { batchSize: 1000, batcher });
  await waitForProjections(server.client);
  const ingestSeconds = (performance.now() - t0) / 1000;
  log(`chains: ${chains.events.toLocaleString()} events; ingest and projections ${ingestSeconds.toFixed(0)} s`);
  const bigRoots = plan.bigTreeOrigins.map((c) => batcher.value(new Sym(c, 'traceCode'))).filter((c): c is string => !!c);
  const ds: Dataset = { size, events: registration.events + chains.events, head: await headPosition(server.client), bigRoots, ingestSeconds };
  fs.writeFileSync(path.join(dataDir, 'incident-report-dataset.json'), JSON.stringify(ds));
  return ds;
}

async function call(server: RunningServer, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; bytes: Buffer; ms: number }> {
  const t = performance.now();
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers: { ...MINISTRY, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t;
  if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${bytes.toString('utf8').slice(0, 500)}`);
  return { status: res.status, bytes, ms };
}
const json = (b: Buffer) => JSON.parse(b.toString('utf8'));

/** The dataset's first recall-sized tree (all are ≈1,093 lots) and where its origin lot's holder sits. */
async function pickTree(server: RunningServer, roots: string[]) {
  const root = roots[0];
  if (!root) throw new Error('the dataset has no recall-sized tree');
  const lot = json((await call(server, 'GET', `/api/v1/lots/${root}`)).bytes) as { holder: { regionCode: string } };
  return { root, regionCode: lot.holder.regionCode };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Nearest-rank percentile: with fewer than 100 runs, p99 is the slowest run. */
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function main(): Promise<void> {
  const size = value('size', 'M').toUpperCase() as keyof typeof SIZES;
  if (!SIZES[size]) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const runs = Number(value('runs', '10'));
  const ledger = argv.includes('--ledger') ? path.resolve(value('ledger', '')) : null;
  const dataDir = path.join(BENCH_DATA, ledger ? `incident-report-copy-of-${path.basename(ledger)}` : `incident-report-${size}`);
  const marker = path.join(dataDir, 'incident-report-dataset.json');
  let reused: Dataset | null = flag('reuse') && fs.existsSync(marker) ? JSON.parse(fs.readFileSync(marker, 'utf8')) : null;
  if (!reused) fs.rmSync(dataDir, { recursive: true, force: true });
  const machine = machineInfo();
  const loadBefore = machineLoad();
  let copied: { from: string; seconds: number } | null = null;
  if (ledger && !reused) {
    if (!fs.existsSync(path.join(ledger, 'READY.json'))) throw new Error(`${ledger} has no READY.json: not a finished benchmark ledger (npm run bench:ledger)`);
    const t0 = performance.now();
    const ready = copyLedger(ledger, dataDir);
    copied = { from: ledger, seconds: (performance.now() - t0) / 1000 };
    const trees = recallTreesIn(dataDir);
    log(`copied ${ledger} (${ready.events.toLocaleString()} events, size ${ready.size}) in ${copied.seconds.toFixed(0)} s; recall-sized trees: ${trees.map((t) => `${t.root} (${t.lots} lots)`).join(', ') || 'none'}`);
    reused = { size: ready.size, events: ready.events, head: 0, bigRoots: trees.map((t) => t.root), ingestSeconds: 0 };
  }
  log(`size ${reused?.size ?? size}${reused ? ` (${ledger ? 'copy of a ledger' : 'reusing'}: ${dataDir})` : ''}`);
  const cpuProfileDir = argv.includes('--cpu-prof') ? path.resolve(value('cpu-prof', '')) : undefined;
  const server = await startServer({ dataDir, port: PORT, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
  try {
    const ds = await dataset(server, size, dataDir, reused);
    if (copied) {
      ds.head = await headPosition(server.client);
      fs.writeFileSync(marker, JSON.stringify(ds));
    }
    await waitForProjections(server.client);
    const tree = await pickTree(server, ds.bigRoots);
    log(`recall tree from ${tree.root} (origin in ${tree.regionCode})`);

    // The incident over the tree, and its response (holds on every lot, a recall notice per holder).
    const record = await call(server, 'POST', '/api/v1/incidents', {
      title: `基准测试：召回树 ${tree.root}`,
      description: '大规模召回链条的报告生成基准测试',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      place: { address: '源头生产基地', regionCode: tree.regionCode },
      category: 'product-safety',
      level: 'major',
      traceCodes: [tree.root],
      source: { kind: 'manual' },
      responsible: { userId: MINISTRY['X-User-Id'], name: '农业农村部 应急值班', phone: null },
    });
    const incidentId = json(record.bytes).incidentId as string;
    const review = await call(server, 'POST', `/api/v1/incidents/${incidentId}/review`, { decision: 'start-response', opinion: '启动应急处置（基准测试）', recallDeadlineHours: 48 });
    await waitForProjections(server.client);
    log(`incident ${incidentId}: recorded in ${record.ms.toFixed(0)} ms, response started in ${review.ms.toFixed(0)} ms`);

    type Run = { chain: number; pdf: number; xlsx: number; epcis: number; total: number };
    const results: Run[] = [];
    const unchanged: Run[] = [];
    let first: Run | null = null;
    let sizes = { nodes: 0, provinces: 0, pdf: 0, xlsx: 0, epcis: 0, epcisEvents: 0, redacted: 0 };
    const timeOnce = async () => {
      const chain = await call(server, 'GET', `/api/v1/incidents/${incidentId}/chain`);
      const out: Record<string, { ms: number; bytes: Buffer }> = {};
      for (const f of FORMATS) out[f] = await call(server, 'GET', `/api/v1/incidents/${incidentId}/report?format=${f}`);
      const run: Run = { chain: chain.ms, pdf: out.pdf!.ms, xlsx: out.xlsx!.ms, epcis: out.epcis!.ms, total: chain.ms + out.pdf!.ms + out.xlsx!.ms + out.epcis!.ms };
      return { run, chain, out };
    };
    const fmt = (r: Run) => `${r.total.toFixed(0)} ms (chain ${r.chain.toFixed(0)}, PDF ${r.pdf.toFixed(0)}, XLSX ${r.xlsx.toFixed(0)}, EPCIS ${r.epcis.toFixed(0)})`;
    for (let i = 0; i <= runs; i++) {
      // Something the synthesis may depend on changes first (the incident's own stream), so the run pays one synthesis.
      if (i > 0)
        await call(server, 'POST', `/api/v1/incidents/${incidentId}/log`, { kind: 'action', description: `基准测试处置记录 ${i}`, commandId: `bench-log-${incidentId}-${i}` });
      const { run, chain, out } = await timeOnce();
      log(`run ${i}${i === 0 ? ' (first after the response started: not counted)' : ' after a change'}: ${fmt(run)}`);
      if (i > 0) {
        const again = (await timeOnce()).run;
        log(`run ${i} with nothing changed: ${fmt(again)}`);
        unchanged.push(again);
      }
      if (i === 0) {
        first = run;
        const c = json(chain.bytes);
        sizes = {
          nodes: c.nodes.length,
          provinces: new Set((c.regionsTouched as string[]).map((r) => r.slice(0, 2))).size,
          redacted: c.redactedCount,
          pdf: out.pdf!.bytes.length,
          xlsx: out.xlsx!.bytes.length,
          epcis: out.epcis!.bytes.length,
          epcisEvents: json(out.epcis!.bytes).epcisBody.eventList.length,
        };
      } else results.push(run);
    }
    const m = (k: keyof Run, rs: Run[] = results) => median(rs.map((r) => r[k])).toFixed(0);
    const p = (k: keyof Run, rs: Run[] = results) => percentile(rs.map((r) => r[k]), 99).toFixed(0);
    const max = Math.max(...results.map((r) => r.total));
    const section = [
      `## ${machine.date} · commit ${machine.commit}${machine.dirty ? ' (dirty tree)' : ''}`,
      '',
      `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, SQLite ${machine.sqlite}, ${machine.kernel}; load before ${JSON.stringify(loadBefore)}; load after ${JSON.stringify(machineLoad())}.`,
      `Dataset: size ${ds.size} of bench/generator (seed ${SEED}), ${ds.events.toLocaleString()} events ingested through POST /api/v1/batch (ledger head ${ds.head.toLocaleString()})${copied ? `, a copy of ${copied.from} (copied in ${copied.seconds.toFixed(0)} s)` : reused ? ', data directory reused from an earlier run' : `, ingest and projections ${ds.ingestSeconds.toFixed(0)} s`}; real server on the embedded SQLite stack, HTTP on localhost, dev identity ministry-admin.`,
      `Recall tree: ${sizes.nodes} lots across ${sizes.provinces} provinces (${sizes.redacted} redacted for the caller); incident recorded in ${record.ms.toFixed(0)} ms, response started (holds on every lot, a notice per holder) in ${review.ms.toFixed(0)} ms.`,
      `Downloads: PDF ${(sizes.pdf / 1e3).toFixed(0)} KB, XLSX ${(sizes.xlsx / 1e3).toFixed(0)} KB, EPCIS ${(sizes.epcis / 1e6).toFixed(2)} MB (${sizes.epcisEvents} events).`,
      '',
      `| step (HTTP, one after another) | after a change: median / p99 ms (of ${results.length}) | nothing changed: median / p99 ms (of ${unchanged.length}) | first run after the response started |`,
      '|---|---|---|---|',
      `| GET /incidents/{id}/chain (synthesis + redaction + JSON) | ${m('chain')} / ${p('chain')} | ${m('chain', unchanged)} / ${p('chain', unchanged)} | ${first!.chain.toFixed(0)} |`,
      `| GET …/report?format=pdf (Chinese PDF, signed) | ${m('pdf')} / ${p('pdf')} | ${m('pdf', unchanged)} / ${p('pdf', unchanged)} | ${first!.pdf.toFixed(0)} |`,
      `| GET …/report?format=xlsx (FSMA 204 workbook) | ${m('xlsx')} / ${p('xlsx')} | ${m('xlsx', unchanged)} / ${p('xlsx', unchanged)} | ${first!.xlsx.toFixed(0)} |`,
      `| GET …/report?format=epcis (EPCIS 2.0 with CBV hashes) | ${m('epcis')} / ${p('epcis')} | ${m('epcis', unchanged)} / ${p('epcis', unchanged)} | ${first!.epcis.toFixed(0)} |`,
      `| **end to end** | **${m('total')}** / ${p('total')} (goal ≤ 2,000: ${max <= 2000 ? 'met by every run' : Number(m('total')) <= 2000 ? 'median met, not every run' : 'missed'}) | ${m('total', unchanged)} / ${p('total', unchanged)} | ${first!.total.toFixed(0)} |`,
      '',
      '',
    ].join('\n');
    process.stdout.write(section);
    if (flag('dry')) return;
    const file = path.join(ROOT, 'bench', 'incident-report-results.md');
    if (!fs.existsSync(file))
      fs.writeFileSync(
        file,
        '# Incident report benchmark over HTTP (bench/incident-report.ts)\n\nIssue 12: the incident synthesis and all three reports for a recall tree of ≥ 1,000 lots across ≥ 10 provinces, on the M dataset, goal ≤ 2 s end to end. The in-process figures of the report code alone are in bench/reports-results.md.\n\n',
      );
    fs.appendFileSync(file, section);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
