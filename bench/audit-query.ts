/**
 * `node -r ./bench/support/swc-register.js bench/audit-query.ts --from <data dir of a ledger with an audit_log read model> [--runs 30]`
 *
 * Decision 0027, measured on a real ledger: the audit query (GET /api/v1/audit/log's work, without HTTP) answered
 * by the ledger's own table (embedded, after the audit columns' one-time migration) and by the audit_log read
 * model it replaces, on the same data, one query after the other. The data directory must come from a version
 * before decision 0027 (e.g. `npm run bench:ledger -- --size M`), whose read models still hold audit_log.
 * Only its events.sqlite is copied (the migration writes the indexes into the copy); its read models are
 * opened read-only. Also prints what the migration took and what the indexes weigh against the read model.
 * Results: bench/audit-query-results.md (machine, date, commit).
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ReadModelAuditLogQuery } from '../application/audit-log/read-model-audit-log-query';
import { searchAuditLog } from '../application/audit-log/search-audit-log';
import type { AuditLogCriteria, AuditLogQuery } from '../application/ports/audit-log-query';
import type { ReadModels } from '../application/ports/read-models';
import { AUDIT_INDEXES } from '../infrastructure/sqlite/event-store-schema';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { machineInfo, machineLoad } from './lib/machine';
import { BENCH_DATA } from './lib/server';
import { ms, now, summarize } from './lib/stats';

const argv = process.argv.slice(2);
const value = (name: string, fallback?: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const log = (msg: string) => process.stderr.write(`[bench audit-query ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20).toLocaleString('en-US');

async function main(): Promise<void> {
  const from = value('from');
  if (!from) throw new Error('--from <data dir> is required');
  const runs = Number(value('runs', '30'));
  const work = path.join(BENCH_DATA, 'audit-query');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  for (const f of ['events.sqlite', 'events.sqlite-wal']) if (fs.existsSync(path.join(from, f))) fs.copyFileSync(path.join(from, f), path.join(work, f));
  const loadBefore = machineLoad();

  // The one-time migration: the virtual columns and the five indexes (event-store-schema.ts).
  const t0 = now();
  const cpu0 = process.cpuUsage();
  const events = new SqliteEventStore(path.join(work, 'events.sqlite'));
  const migration = { ms: now() - t0, cpuMs: (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000 };
  const head = await events.headPosition();
  log(`migrated ${head.toLocaleString()} events in ${ms(migration.ms)} ms`);

  const reads = new SqliteReadStore(path.join(from, 'read-models.sqlite'), { synchronous: 'NORMAL' });
  const meta = await reads.get('_projections', 'audit-log');
  if (!meta) throw new Error(`${from} has no audit_log read model (built after decision 0027?)`);
  const auditLog = ProjectionRunner.physicalName('audit_log', meta.generation as number);
  const models = { find: (_c: string, f: never, o: never) => reads.find(auditLog, f, o), count: (_c: string, f: never) => reads.count(auditLog, f), get: (_c: string, id: string) => reads.get(auditLog, id) } as unknown as ReadModels;
  const adapters: Record<string, AuditLogQuery> = { 'ledger table': events.auditLog(), 'read model': new ReadModelAuditLogQuery(models) };

  // Criteria taken from the ledger itself: actors, regions, types, streams and sources that occur in it.
  const db = new Database(path.join(work, 'events.sqlite'), { readonly: true });
  const sample = db.prepare('SELECT actor_user_id AS actor, actor_region AS region, type, stream_id AS stream, recorded_at AS at FROM events WHERE position % 9973 = 0 LIMIT 40').all() as { actor: string; region: string; type: string; stream: string; at: string }[];
  const sources = db.prepare('SELECT DISTINCT source FROM events WHERE source IS NOT NULL LIMIT 5').pluck().all() as string[];
  // How varied the ledger is decides what a filter matches: the synthetic plan's batches are all one actor's.
  const spread = db.prepare('SELECT count(DISTINCT actor_user_id) AS actors, count(DISTINCT actor_region) AS regions, count(DISTINCT substr(recorded_at, 1, 10)) AS days FROM events').get() as { actors: number; regions: number; days: number };
  const indexNames = Object.keys(AUDIT_INDEXES);
  const indexBytes = db.prepare(`SELECT sum(pgsize) FROM dbstat WHERE name IN (${indexNames.map(() => '?').join(', ')})`).pluck().get(...indexNames) as number;
  db.close();
  const readDb = new Database(path.join(from, 'read-models.sqlite'), { readonly: true });
  const readModelBytes = readDb.prepare('SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)').pluck().get(`doc_${auditLog}`) as number; // SqliteReadStore's table and its indexes
  readDb.close();
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  const kinds: { label: string; criteria: (i: number) => AuditLogCriteria; q?: (i: number) => string }[] = [
    { label: 'national, newest page', criteria: () => ({}) },
    { label: 'a province (2-digit prefix)', criteria: (i) => ({ regionPrefix: pick(sample, i).region.slice(0, 2) || '46' }) },
    { label: 'a county (6-digit prefix)', criteria: (i) => ({ regionPrefix: pick(sample, i).region || '469027' }) },
    { label: 'an actor', criteria: (i) => ({ actorUserId: pick(sample, i).actor }) },
    { label: 'a stream', criteria: (i) => ({ streamId: pick(sample, i).stream }) },
    { label: 'a type in a province', criteria: (i) => ({ type: pick(sample, i).type, regionPrefix: pick(sample, i + 1).region.slice(0, 2) || '46' }) },
    { label: 'a source (client address)', criteria: (i) => (sources.length ? { source: pick(sources, i) } : { source: '127.0.0.1' }) },
    { label: 'a day', criteria: (i) => ({ recordedFrom: pick(sample, i).at.slice(0, 10), recordedTo: `${pick(sample, i).at.slice(0, 10)}T23:59:59.999Z` }) },
    { label: 'keyword over a province', criteria: (i) => ({ regionPrefix: pick(sample, i).region.slice(0, 2) || '46' }), q: (i) => pick(sample, i).stream.split('-').pop()!.slice(0, 6) },
  ];

  const rows: string[] = [];
  for (const kind of kinds) {
    const times: Record<string, number[]> = { 'ledger table': [], 'read model': [] };
    for (let i = -3; i < runs; i++) {
      const c = kind.criteria(Math.max(i, 0));
      const q = kind.q?.(Math.max(i, 0));
      const answers: string[] = [];
      for (const [name, adapter] of Object.entries(adapters)) {
        const t = now();
        const page = await searchAuditLog(adapter, c, { ...(q ? { q } : {}), page: 1, size: 20 });
        if (i >= 0) times[name]!.push(now() - t);
        answers.push(JSON.stringify(page));
      }
      if (answers[0] !== answers[1]) throw new Error(`the two adapters disagree on ${kind.label}: ${JSON.stringify(c)}`);
    }
    const [a, b] = [summarize(times['ledger table']!), summarize(times['read model']!)];
    rows.push(`| ${kind.label} | ${ms(a.p50)} / ${ms(a.p99)} | ${ms(b.p50)} / ${ms(b.p99)} |`);
    log(rows[rows.length - 1]!);
  }
  await events.close();
  await reads.close();

  const m = machineInfo();
  const section = [
    `## ${new Date().toISOString()} — the audit query from the ledger's table vs the audit_log read model (decision 0027)`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}, SQLite ${m.sqlite}, commit ${m.commit}${m.dirty ? ' (+ uncommitted changes)' : ''}. Load average before ${loadBefore.loadavg}, after ${machineLoad().loadavg}.`,
    `Ledger: a copy of ${from}'s events.sqlite, ${head.toLocaleString('en-US')} events by ${spread.actors} distinct actors in ${spread.regions} distinct actor regions over ${spread.days} day(s) (a filter on one of them can match most of the ledger). Every query page 1, size 20, with its total (\`searchAuditLog\`, what GET /api/v1/audit/log runs), ${runs} runs per kind after 3 warm-ups, the two adapters one after the other on the same criteria, and their answers compared (they agreed on every query).`,
    '',
    `- One-time migration of this ledger (virtual columns + five indexes): ${ms(migration.ms)} ms wall, ${ms(migration.cpuMs)} ms CPU.`,
    `- The five indexes in events.sqlite: ${mb(indexBytes)} MB; the audit_log read model they replace (documents + its indexes): ${mb(readModelBytes)} MB.`,
    '',
    '| query | ledger table p50 / p99 (ms) | read model p50 / p99 (ms) |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  const out = path.join(__dirname, 'audit-query-results.md');
  fs.appendFileSync(out, (fs.existsSync(out) ? '\n' : '') + section);
  log(`appended to ${path.relative(process.cwd(), out)}`);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
