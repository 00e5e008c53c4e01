/**
 * A quality-rule pass over an M-sized registry (issue 13 acceptance): the data-quality projection rebuilt from the
 * log by the real ProjectionRunner (blue/green rebuild: filtered log read, fold, commit) on the embedded SQLite
 * stores, in events/s of the event types it folds.
 *
 *   node -r ./bench/support/swc-register.js bench/data-quality.ts [--entities 3000] [--lots 150000] [--runs 3]
 *   node -r ./bench/support/swc-register.js bench/data-quality.ts --from /work/ledger-M [--runs 1]
 *
 * --from DIR: the pass over a ledger built by `npm run bench:ledger` (the M dataset, 1M events) instead of the
 * generated registry: DIR's event store is COPIED to a temporary directory first (DIR is never opened, let alone
 * written: SQLite would create its -shm there), and the projection is rebuilt over the copy into a fresh read
 * store. Reported: rebuild time, events folded/s, records checked/s, rule checks/s (one per rule applied to a
 * record, findings.ts ruleChecks), findings by rule, and resident memory (peak, sampled every 100 ms).
 *
 * The dataset: bench/generator's catalog (registrationPayload: names, counties, 1–2 bases with 6-decimal points,
 * areas, products) for M's 3,000 entities, and produced lots, off-ledger shipments and origin records appended
 * straight through the Ledger (hash chain and envelopes as in production, no HTTP or deciders): the M dataset's
 * other ~800,000 events (reservations, confirmations, certificates, …) are not folded by this projection, and the
 * rebuild's type filter skips them in the store, so they are left out. A few records in 100 are made bad on
 * purpose (5 decimals, a point in the wrong province, an implausible quantity, a missing contact) so that the
 * rules write findings. Results are appended to bench/data-quality-results.md with the machine and the date.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../application/ledger/ledger';
import { SYSTEM_ACTOR } from '../domain/shared/actor';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../infrastructure/sqlite/sqlite-search-index';
import { systemIds } from '../infrastructure/system/system-clock';
import { dataQualityProjection, dataQualityReadModelIndexes } from '../projections/data-quality';
import { ruleChecks } from '../projections/data-quality/findings';
import { DEFAULT_QUALITY_RULES } from '../domain/data-quality/rules';
import Database from 'better-sqlite3';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { PRODUCTS, randomCounty, registrationPayload, TIERS } from './generator/catalog';
import { Prng } from './generator/prng';
import { machineInfo } from './lib/machine';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ENTITIES = arg('entities', 3_000);
const LOTS = arg('lots', 150_000);
const SHIPMENTS = Math.round(LOTS / 10);
const ORIGINS = arg('origins', 20_000);
const RUNS = arg('runs', process.argv.includes('--from') ? 1 : 3);
const COMMIT_STREAMS = 500;

const log = (msg: string) => console.log(`[data-quality bench] ${msg}`);
const FROM = (() => {
  const i = process.argv.indexOf('--from');
  return i > 0 ? process.argv[i + 1]! : null;
})();
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Copies a ledger's event store (the database and its WAL, as a stopped writer left them) without opening it. */
function copyEventStore(from: string, to: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    const source = path.join(from, `events.sqlite${suffix}`);
    if (!fs.existsSync(source)) continue;
    fs.copyFileSync(source, path.join(to, `events.sqlite${suffix}`));
    bytes += fs.statSync(source).size;
  }
  if (bytes === 0) throw new Error(`${from} holds no events.sqlite`);
  return bytes;
}

/** The pass over a copy of a built ledger (--from): see the header. */
async function passOverLedger(from: string): Promise<void> {
  const ready = path.join(from, 'READY.json');
  if (!fs.existsSync(ready)) throw new Error(`${from} is not finished (no READY.json)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-dq-from-'));
  const tc = Date.now();
  const copied = copyEventStore(from, dir);
  log(`copied ${mib(copied)} MiB of ${from} to ${dir} in ${((Date.now() - tc) / 1000).toFixed(1)} s`);
  const events = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  const head = await events.headPosition();
  // What the projection folds: the rebuild reads only these types (counted on the copy, outside the timing).
  const counter = new Database(path.join(dir, 'events.sqlite'), { readonly: true });
  const byType = counter.prepare(`SELECT type, count(*) AS n FROM events WHERE type IN (${dataQualityProjection.handles.map(() => '?').join(', ')}) GROUP BY type ORDER BY n DESC`).all(...dataQualityProjection.handles) as { type: string; n: number }[];
  const total = (counter.prepare('SELECT count(*) FROM events').pluck().get() as number);
  counter.close();
  const folded = byType.reduce((a, t) => a + t.n, 0);
  log(`${total} events in the log (head ${head}), ${folded} of the types the projection folds: ${byType.map((t) => `${t.type} ${t.n}`).join(', ')}`);

  const reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  const search = new SqliteSearchIndex(path.join(dir, 'search.sqlite'));
  const runner = new ProjectionRunner(events, reads, search, [dataQualityProjection], { info: () => undefined, error: (m, x) => console.error(m, x) }, dataQualityReadModelIndexes);
  (global as { gc?: () => void }).gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const runs: { ms: number; cpuMs: number; checks: number; loadBefore: string; loadAfter: string }[] = [];
  for (let r = 0; r < RUNS; r++) {
    const loadBefore = os.loadavg()[0]!.toFixed(1);
    const checks0 = ruleChecks.applied;
    const cpu0 = process.cpuUsage();
    const s = Date.now();
    if (r === 0) await runner.start(); // first build
    else await runner.rebuild('data-quality');
    const cpu = process.cpuUsage(cpu0);
    runs.push({ ms: Date.now() - s, cpuMs: Math.round((cpu.user + cpu.system) / 1000), checks: ruleChecks.applied - checks0, loadBefore, loadAfter: os.loadavg()[0]!.toFixed(1) });
    log(`run ${r + 1}: ${runs[r]!.ms} ms (CPU ${runs[r]!.cpuMs} ms), ${runs[r]!.checks} rule checks, load ${loadBefore} → ${runs[r]!.loadAfter}`);
  }
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const findingsCollection = runner.collection('dq_findings');
  const subjects = await reads.count(runner.collection('dq_subjects'), {});
  const findings = await reads.count(findingsCollection, {});
  const open = await reads.count(findingsCollection, { status: 'open' });
  const byRule: { ruleId: string; name: string; open: number; all: number }[] = [];
  for (const rule of DEFAULT_QUALITY_RULES) {
    byRule.push({ ruleId: rule.ruleId, name: rule.name, all: await reads.count(findingsCollection, { ruleId: rule.ruleId }), open: await reads.count(findingsCollection, { ruleId: rule.ruleId, status: 'open' }) });
  }
  await runner.stop();
  await reads.close();
  await search.close();
  await events.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const m = machineInfo();
  const best = [...runs].sort((a, b) => a.ms - b.ms)[0]!;
  const perS = (n: number, ms: number) => Math.round(n / (ms / 1000));
  const readyInfo = fs.readFileSync(ready, 'utf8').trim().replace(/\s+/g, ' ').slice(0, 300);
  const lines = [
    `## ${m.date} — data-quality rule pass over the M ledger (${from}, copied)`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}, SQLite ${m.sqlite}, commit ${m.commit}${m.dirty ? ' (dirty tree)' : ''}.`,
    `Dataset: a copy of ${from} (READY.json: \`${readyInfo}\`): ${total} events; the data-quality projection folds ${folded} of them (${byType.map((t) => `${t.type} ${t.n}`).join(', ')}), the rebuild's type filter skips the rest in the store. The pass: the real ProjectionRunner building the data-quality read model from position 0 into an empty read store (first build${RUNS > 1 ? ', then blue/green rebuilds' : ''}), all ${DEFAULT_QUALITY_RULES.length} default rules enabled.`,
    '',
    '| run | wall ms | CPU ms | load avg (start → end) | events folded/s | records checked/s | rule checks | rule checks/s |',
    '|---|---|---|---|---|---|---|---|',
    ...runs.map((r, i) => `| ${i + 1} | ${r.ms} | ${r.cpuMs} | ${r.loadBefore} → ${r.loadAfter} | ${perS(folded, r.ms)} | ${perS(subjects, r.ms)} | ${r.checks} | ${perS(r.checks, r.ms)} |`),
    '',
    `Records checked: ${subjects}; findings ${findings} (${open} open). Resident memory: ${mib(startRss)} MiB at start, peak ${mib(peak)} MiB. Fastest run: ${best.ms} ms.`,
    '',
    '| rule | name | findings | open |',
    '|---|---|---|---|',
    ...byRule.map((r) => `| ${r.ruleId} | ${r.name} | ${r.all} | ${r.open} |`),
    '',
  ];
  fs.appendFileSync(path.join(__dirname, 'data-quality-results.md'), `${lines.join('\n')}\n`);
  log(lines.join('\n'));
}

async function main(): Promise<void> {
  if (FROM) return passOverLedger(FROM);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-dq-bench-'));
  const events = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  const reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  const search = new SqliteSearchIndex(path.join(dir, 'search.sqlite'));
  const clock = { now: () => new Date() };
  const ledger = new Ledger(events, clock, systemIds);
  const rng = new Prng(20261201);
  let commands = 0;
  const pending: { streamId: string; events: { type: string; data: Record<string, unknown> }[] }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const writes = await Promise.all(pending.map(async (p) => ({ stream: await ledger.head(p.streamId), events: p.events })));
    await ledger.commit(writes, { commandId: `system:dq-bench-${++commands}`, actor: SYSTEM_ACTOR });
    pending.length = 0;
  };
  const add = async (streamId: string, type: string, data: Record<string, unknown>) => {
    pending.push({ streamId, events: [{ type, data }] });
    if (pending.length >= COMMIT_STREAMS) await flush();
  };
  const now = new Date().toISOString();
  const today = now.slice(0, 10);

  const t0 = Date.now();
  const entities: { entityId: string; bases: { baseId: string; regionCode: string; lat: number; lon: number; areaMu: number }[]; products: string[] }[] = [];
  for (let n = 0; n < ENTITIES; n++) {
    const county = randomCounty(rng);
    const body = registrationPayload(rng, n, rng.pick(TIERS), county);
    const entityId = `ent-${n}`;
    if (n % 50 === 7) body.bases[0]!.lat = Math.round(body.bases[0]!.lat * 1e5) / 1e5; // 5 decimals
    if (n % 97 === 11) body.bases[0]!.lat = body.bases[0]!.lat + 8; // far outside its province
    await add(`entity-${entityId}`, 'RegistrationApplied', { entityId, ...body, appliedAt: now, reviewDeadline: now });
    entities.push({ entityId, bases: body.bases, products: body.products });
  }
  for (let i = 0; i < LOTS; i++) {
    const e = entities[rng.int(entities.length)]!;
    const b = e.bases[0]!;
    const product = rng.pick(e.products);
    const amount = i % 200 === 3 ? 50_000_000 : rng.between(100, 5_000);
    await add(`lot-dq${i}`, 'LotCreated', {
      traceCode: `DQ${i}`, entityId: e.entityId, eid: 'E', entityName: e.entityId, product, quantity: { amount, unit: 'kg' }, productionDate: today,
      base: { baseId: b.baseId, name: 'b', regionCode: b.regionCode, lat: b.lat, lon: b.lon }, origin: { kind: 'produced' }, createdAt: now,
    });
  }
  for (let i = 0; i < SHIPMENTS; i++) {
    const e = entities[rng.int(entities.length)]!;
    await add(`transfer-dq${i}`, 'OffLedgerShipmentRecorded', { transferId: `dq-t${i}`, fromTraceCode: `DQ${i}`, fromEntityId: e.entityId, quantity: { amount: 10, unit: 'kg' }, receiver: { name: '张三', ...(i % 3 ? { phone: '13800138000' } : {}) }, recordedAt: now });
  }
  for (let i = 0; i < ORIGINS; i++) {
    const county = randomCounty(rng);
    const e = entities[rng.int(entities.length)]!;
    const b = e.bases[0]!;
    const lat = (b.lat + (rng.next() - 0.5) * 0.1).toFixed(i % 40 === 0 ? 5 : 6);
    const lon = (b.lon + (rng.next() - 0.5) * 0.1).toFixed(6);
    const product = rng.pick(PRODUCTS).name;
    await add(`origin-dq${i}`, 'OriginRecordCollected', {
      countyCode: county.code, townshipCode: `${county.code}100`, villageCode: `${county.code}100201`, recordId: `dq${i}`,
      fields: {
        producerName: `主体${i}`, producerType: 'cooperative', industry: 'planting', product: { code: '0', name: product }, alias: null, certification: null, address: { villageCode: `${county.code}100201` },
        point: { lat, lon }, contact: { name: '李四', mobile: '13800138000' }, scale: { amount: String(rng.between(1, 500)), unit: '亩', entered: null }, aquacultureMode: null, marketing: null,
        productionMethods: [], traceMethods: ['trace-code'], creditRating: null, gridWorker: { name: '王五', mobile: '13900139000' }, collector: { name: '赵六', mobile: '13700137000' }, entityId: null,
      },
      scope: { inScope: true, threshold: null, ruleSet: 'national', keyProduct: true }, channel: 'import', importId: 'bench', row: i + 1, fingerprint: String(i),
      collectedBy: { userId: 'u', orgId: 'o', role: 'township-admin', regionCode: county.code }, collectedAt: now, refreshDueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), reviewState: 'pending',
    });
  }
  await flush();
  const folded = ENTITIES + LOTS + SHIPMENTS + ORIGINS;
  log(`dataset: ${ENTITIES} registrations, ${LOTS} lots, ${SHIPMENTS} off-ledger shipments, ${ORIGINS} origin records = ${folded} events (${((Date.now() - t0) / 1000).toFixed(1)} s to append)`);

  const runner = new ProjectionRunner(events, reads, search, [dataQualityProjection], { info: () => undefined, error: (m, x) => console.error(m, x) }, dataQualityReadModelIndexes);
  const times: number[] = [];
  const started = Date.now();
  await runner.start(); // first build
  times.push(Date.now() - started);
  for (let r = 1; r < RUNS; r++) {
    const s = Date.now();
    await runner.rebuild('data-quality');
    times.push(Date.now() - s);
  }
  const findings = await reads.count(runner.collection('dq_findings'), {});
  const open = await reads.count(runner.collection('dq_findings'), { status: 'open' });
  const subjects = await reads.count(runner.collection('dq_subjects'), {});
  await runner.stop();
  await reads.close();
  await search.close();
  await events.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const m = machineInfo();
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : Math.round((sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2);
  const rate = Math.round(folded / (median / 1000));
  const lines = [
    `## ${m.date} — data-quality rule pass (rebuild of the data-quality projection)`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}, SQLite ${m.sqlite}, commit ${m.commit}${m.dirty ? ' (dirty tree)' : ''}.`,
    `Dataset: M's registry (${ENTITIES} registrations from bench/generator's catalog) with ${LOTS} produced lots, ${SHIPMENTS} off-ledger shipments and ${ORIGINS} origin records, appended through the Ledger: ${folded} events the projection folds (the M dataset's other event types are skipped by the rebuild's type filter and left out).`,
    '',
    '| runs | rebuild ms (each) | median ms | events/s (median) | records checked | findings (open) |',
    '|---|---|---|---|---|---|',
    `| ${RUNS} | ${times.join(', ')} | ${median} | ${rate} | ${subjects} | ${findings} (${open}) |`,
    '',
  ];
  fs.appendFileSync(path.join(__dirname, 'data-quality-results.md'), `${lines.join('\n')}\n`);
  log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
