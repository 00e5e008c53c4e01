import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadResult } from '../scenarios/single-command';
import type { ChainRow } from '../scenarios/trace-chains';
import type { PgPeerResult } from '../peers/postgres/pg-peer';
import type { SizeSpec } from '../generator/plan';
import type { MachineInfo } from './machine';
import type { DiskShare } from './disk-share';
import { int, ms, ratio, type Summary } from './stats';

interface IngestSummary {
  events: number;
  commands: number;
  seconds: number;
  eventsPerSecond: number;
  commandsPerSecond: number;
  batches: number;
  batchLatencyMs: Summary;
  failed: number;
  skipped: number;
  errors: Record<string, number>;
  extraRounds: number;
}

export interface RunReport {
  size: string;
  seed: number;
  spec: SizeSpec;
  machine: MachineInfo;
  loadBefore: { loadavg: string; busy: string[] };
  loadAfter: { loadavg: string; busy: string[] };
  started: string;
  finished: string;
  head: number;
  files: Record<string, number>;
  /** Read models against the log (issue 17's disk goal); absent in runs before decision 0027. */
  disk?: DiskShare;
  profileDir?: string;
  /** Tree heads sealed every 60 s during the run (`--sealing`); absent or false: sealing off. */
  sealing?: boolean;
  ingest: {
    registration: IngestSummary;
    chains: IngestSummary;
    projectionCatchUpMs: number;
    projectionEventsPerSecond: number;
    memoryAfterIngest: { peakMb: number; rssMb: number } | null;
  };
  /** byLane: absent in runs before the lanes were reported. */
  lag: { offeredEventsPerSecond: number; achievedEventsPerSecond: number; lagMs: Summary; events: number; byLane?: { commands: Summary; eventual: Summary | null } };
  concurrent: { writers: number; events: number; seconds: number; eventsPerSecond: number; extraRounds: number; failed: number; errors: Record<string, number> };
  singleMax: LoadResult;
  single500: LoadResult;
  chains: ChainRow[];
  consumer: { query: Summary; http: LoadResult };
  search: { documents: number; query: Summary; http: Summary; byKind: { label: string; http: Summary }[] };
  rebuild: { all: { seconds: number; events: number; eventsPerSecond: number }; each: { name: string; seconds: number; eventsPerSecond: number }[]; projections?: number };
  memory: { server: { peakMb: number; rssMb: number } | null; driver: { peakMb: number; rssMb: number } | null };
  writePath: { events: number; seconds: number; eventsPerSecond: number; registrationSeconds: number; cappedAt?: number };
  sampling: { tasks: number; samples: number; results: number; failedVerdicts: number; errors: Record<string, number>; seconds: number; sampleMs: Summary; resultMs: Summary; events: number };
  postgres?: PgPeerResult;
  postgresError?: string;
  /** Set when the PostgreSQL peer was run apart from the rest of the run (bench/postgres-part.ts). */
  postgresPart?: { started: string; finished: string; commit: string; loadBefore: { loadavg: string; busy: string[] }; loadAfter: { loadavg: string; busy: string[] } };
  stores?: { commands: number; own: Record<string, any>; emmett?: Record<string, any> };
}

const RESULTS = path.join(__dirname, '..', 'RESULTS.md');
const MARKER = '<!-- runs: newest first (bench/run.ts inserts here) -->';

const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const lat = (s: { p50: number; p99: number }) => `${ms(s.p50)} / ${ms(s.p99)}`;

/** The run's forward chain over the big recall trees (≥ 1,000 lots), if the dataset has one. */
const bigForwardOf = (r: RunReport) => r.chains.find((c) => c.direction === 'forward' && c.bucket === '≥ 1,000 lots');

export function renderRun(r: RunReport): string {
  const m = r.machine;
  const bigForward = bigForwardOf(r);
  const rebuildMin = Math.min(...r.rebuild.each.map((e) => e.eventsPerSecond));
  const projectionCount = r.rebuild.projections ?? r.rebuild.each.length;
  // M and L rebuild only all together (bench/scenarios/projections.ts): no "slowest alone" figure then.
  const slowest = r.rebuild.each.length > 0 ? `; slowest single projection ${int(rebuildMin)}/s` : '';
  const lines: string[] = [];
  const add = (...l: string[]) => lines.push(...l);

  add(
    `### Run ${r.started.slice(0, 16).replace('T', ' ')} UTC · size ${r.size} · commit ${m.commit}${m.dirty ? ' (+ uncommitted changes)' : ''}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM · ${m.kernel} · Node ${m.node} · SQLite ${m.sqlite}.  `,
    `Dataset: seed ${r.seed}, ${int(r.head)} events in the ledger at the end (${int(r.spec.entities)} entities; files: ${Object.entries(r.files).map(([f, mb]) => `${f} ${mb} MB`).join(', ')}).  `,
    `Load average before ${r.loadBefore.loadavg}, after ${r.loadAfter.loadavg}.${r.loadBefore.busy.length ? ` Busy at start: ${r.loadBefore.busy.join('; ')}.` : ''}${r.loadAfter.busy.length ? ` Busy at end: ${r.loadAfter.busy.join('; ')}.` : ''}  `,
    `Duration ${Math.round((Date.parse(r.finished) - Date.parse(r.started)) / 1000)} s.${r.profileDir ? ` Server CPU profile: \`${r.profileDir}\`.` : ''} Sealing: ${r.sealing ? 'on, every 60 s (the production default)' : 'off (CHECKPOINT_INTERVAL_MS=0: no tree heads, no Merkle-log work at append time)'}.`,
    '',
    '| goal | target | measured | |',
    '|---|---|---|---|',
    `| batch endpoint throughput (embedded store) | ≥ 50,000 events/s | ${int(r.ingest.chains.eventsPerSecond)} events/s (write path alone, in-process: ${int(r.writePath.eventsPerSecond)}) | ${verdict(r.ingest.chains.eventsPerSecond >= 50_000)} |`,
    `| single command p99 at 500 req/s | ≤ 15 ms | p99 ${ms(r.single500.latencyMs.p99)} ms at ${int(r.single500.achievedRate)} req/s achieved | ${verdict(r.single500.latencyMs.p99 <= 15 && r.single500.achievedRate >= 475)} |`,
    `| projection lag p99 under sustained ingest | ≤ 1 s | p99 ${ms(r.lag.lagMs.p99)} ms at ${int(r.lag.achievedEventsPerSecond)} events/s | ${verdict(r.lag.lagMs.p99 <= 1000)} |`,
    `| full rebuild rate | ≥ 100,000 events/s | all ${projectionCount} read models in one pass: ${int(r.rebuild.all.eventsPerSecond)} log events/s (${int(r.rebuild.all.events)} events in ${r.rebuild.all.seconds.toFixed(1)} s)${slowest} | ${verdict(r.rebuild.all.eventsPerSecond >= 100_000)} |`,
    `| consumer lookup p99 at 1,000 req/s | ≤ 5 ms | p99 ${ms(r.consumer.http.latencyMs.p99)} ms at ${int(r.consumer.http.achievedRate)} req/s achieved | ${verdict(r.consumer.http.latencyMs.p99 <= 5 && r.consumer.http.achievedRate >= 950)} |`,
    `| 1,000-lot trace chain p99 (10M-event ledger) | ≤ 50 ms | ${bigForward ? `query p99 ${ms(bigForward.query.p99)} ms, HTTP p99 ${ms(bigForward.http.p99)} ms on a ${int(r.head)}-event ledger` : 'no ≥1,000-lot tree in this dataset'} | ${bigForward ? verdict(bigForward.http.p99 <= 50) + (r.head < 10_000_000 ? ' (smaller ledger)' : '') : '–'} |`,
    `| search p99 with facets (1M documents) | ≤ 50 ms | HTTP p99 ${ms(r.search.http.p99)} ms over ${int(r.search.documents)} documents | ${verdict(r.search.http.p99 <= 50)}${r.search.documents < 1_000_000 ? ' (fewer documents)' : ''} |`,
    ...(r.disk
      ? [`| read models on disk | ≤ 1.5× the log | ${r.disk.ratio.toFixed(2)}×: ${int(r.disk.readModelsMb)} MB (of which the audit query's indexes in the ledger's file ${int(r.disk.auditIndexesMb)} MB) for a ${int(r.disk.logMb)} MB log | ${verdict(r.disk.ratio <= 1.5)} |`]
      : []),
    '',
    '**Append throughput**',
    '',
    '| path | events/s | commands/s | latency p50 / p99 (ms) | notes |',
    '|---|---|---|---|---|',
    `| batch endpoint, supply chains (1,000 commands per request, one writer) | ${int(r.ingest.chains.eventsPerSecond)} | ${int(r.ingest.chains.commandsPerSecond)} | ${lat(r.ingest.chains.batchLatencyMs)} per batch | ${int(r.ingest.chains.events)} events in ${r.ingest.chains.seconds.toFixed(1)} s; ${r.ingest.chains.failed} failed items${fmtErrors(r.ingest.chains.errors)}; projections running beside it |`,
    `| batch endpoint, registrations (200 per request) | ${int(r.ingest.registration.eventsPerSecond)} | ${int(r.ingest.registration.commandsPerSecond)} | ${lat(r.ingest.registration.batchLatencyMs)} per batch | every approval hashes a one-time password with argon2id |`,
    `| write path alone (in-process batch handler + SqliteEventStore, no HTTP/projections) | ${int(r.writePath.eventsPerSecond)} | – | – | same plan, ${int(r.writePath.events)} events${r.writePath.cappedAt ? ` (supply chains stopped after about ${int(r.writePath.cappedAt)} events, --write-path-events; the trees under way are finished)` : ''} |`,
    `| ${r.concurrent.writers} concurrent batch writers (500 per request) | ${int(r.concurrent.eventsPerSecond)} | – | – | ${r.concurrent.extraRounds} group commits re-decided after conflicts; ${r.concurrent.failed} failed${fmtErrors(r.concurrent.errors)} |`,
    `| single commands POST /api/v1/lots, 16 connections, unthrottled | ${int(r.singleMax.achievedRate * 2)} | ${int(r.singleMax.achievedRate)} | ${lat(r.singleMax.latencyMs)} | ${r.singleMax.non2xx} non-2xx, ${r.singleMax.errors} errors; includes the read-your-writes wait |`,
    `| single commands at 500 req/s, evenly paced open loop (up to 64 connections; latency from each request's due time) | ${int(r.single500.achievedRate * 2)} | ${int(r.single500.achievedRate)} | ${lat(r.single500.latencyMs)} (p90 ${ms(r.single500.latencyMs.p90)}) | ${r.single500.non2xx} non-2xx; includes the read-your-writes wait |`,
    '',
    `**Monitoring** (quality module, single routes, 4 clients): ${r.sampling.tasks} tasks, ${r.sampling.samples} samples of lots, ${r.sampling.results} lab results (${r.sampling.failedVerdicts} failing → case, holds downstream, warnings), ${int(r.sampling.events)} events in ${r.sampling.seconds.toFixed(1)} s; POST /samples p50 / p99 ${lat(r.sampling.sampleMs)} ms, POST /samples/{id}/results ${lat(r.sampling.resultMs)} ms${fmtErrors(r.sampling.errors)}.`,
    '',
    '**Projections**',
    '',
    `- While the supply chains were ingested, the projections (${projectionCount}, fed by one shared subscription) processed ${int(r.ingest.projectionEventsPerSecond)} events/s and were caught up ${r.ingest.projectionCatchUpMs} ms after the last batch.`,
    `- Paced ingest at ${int(r.lag.offeredEventsPerSecond)} events/s offered (${int(r.lag.achievedEventsPerSecond)} achieved, 100-command batches, ${int(r.lag.events)} events): lag from commit to all read models p50 ${ms(r.lag.lagMs.p50)} ms, p90 ${ms(r.lag.lagMs.p90)} ms, p99 ${ms(r.lag.lagMs.p99)} ms, max ${ms(r.lag.lagMs.max)} ms (status polled every 20 ms)${r.lag.byLane ? `; by lane, p50 / p99: the commands' lane (what an answer waits for) ${lat(r.lag.byLane.commands)} ms, the eventual lane (dashboards, decision 0025) ${r.lag.byLane.eventual ? `${lat(r.lag.byLane.eventual)} ms` : '–'}` : ''}.`,
    `- Rebuild from the log (blue/green, ${int(r.rebuild.all.events)} events): all ${projectionCount} together (one read of the log) in ${r.rebuild.all.seconds.toFixed(1)} s; ${r.rebuild.each.length > 0 ? `each alone: ${r.rebuild.each.map((e) => `${e.name} ${int(e.eventsPerSecond)}/s`).join(', ')}` : 'each alone: not measured at this size'}.`,
    '',
    '**Trace chains** (in-process query over the read models / through `GET /api/v1/trace/{code}/chain`, which also appends the access-log event of a sensitive read)',
    '',
    ...chainTable(r),
    '',
    `**Consumer lookup** \`GET /api/v1/trace/{code}\` (1,000 codes round-robin, 15 s at 1,000 req/s evenly paced, open loop, up to 64 connections; latency from each request's due time — see bench/lib/paced-load.ts for why not autocannon's rate): achieved ${int(r.consumer.http.achievedRate)} req/s, latency p50 ${ms(r.consumer.http.latencyMs.p50)} ms, p90 ${ms(r.consumer.http.latencyMs.p90)} ms, p99 ${ms(r.consumer.http.latencyMs.p99)} ms, max ${ms(r.consumer.http.latencyMs.max)} ms; ${r.consumer.http.non2xx} non-2xx, ${r.consumer.http.errors} errors. The view's query alone (in-process, sequential): p50 ${ms(r.consumer.query.p50)} ms, p99 ${ms(r.consumer.query.p99)} ms.`,
    '',
    `**Search** over ${int(r.search.documents)} documents (entities, bases, lots), default facets (kind, province, product, type), 200 queries: HTTP p50 ${ms(r.search.http.p50)} ms, p99 ${ms(r.search.http.p99)} ms; query alone p50 ${ms(r.search.query.p50)} ms, p99 ${ms(r.search.query.p99)} ms. By kind of query (HTTP p50 / p99): ${r.search.byKind.map((k) => `${k.label} ${lat(k.http)}`).join('; ')}.`,
    '',
    `**Memory**: server peak RSS (VmHWM) ${r.memory.server?.peakMb ?? '–'} MB (after the ingest ${r.ingest.memoryAfterIngest?.peakMb ?? '–'} MB); benchmark driver ${r.memory.driver?.peakMb ?? '–'} MB.`,
    '',
  );

  add(renderPeers(r));
  return lines.join('\n');
}

/** The trace-chain rows by direction and bucket, with the PostgreSQL CTE beside them when the peer ran. */
export function chainTable(r: RunReport): string[] {
  const pg = r.postgres;
  return [
    '| direction | bucket | targets | lots per chain | query p50 / p99 (ms) | HTTP p50 / p99 (ms) |' + (pg ? ' PostgreSQL CTE p50 / p99 (ms) | ours ÷ PG (query p50) |' : ''),
    '|---|---|---|---|---|---|' + (pg ? '---|---|' : ''),
    ...r.chains.map((c) => {
      const peer = pg?.chainLatencies.find((x) => x.direction === (c.direction === 'both' ? '' : c.direction) && x.bucket === c.bucket);
      return `| ${c.direction} | ${c.bucket} | ${c.targets} | ${c.lotsPerChain.toFixed(0)} | ${lat(c.query)} | ${lat(c.http)} |` + (pg ? ` ${peer ? lat(peer.query) : '–'} | ${peer ? ratio(c.query.p50, peer.query.p50) : '–'} |` : '');
    }),
  ];
}

/**
 * The peers' tables, against this run's own figures. `heading` differs when the PostgreSQL peer was taken as a
 * separate part of the run (bench/postgres-part.ts: at L it alone takes longer than a session has left).
 */
export function renderPeers(r: RunReport, heading = '**Peers** (same run, same machine)', withStores = true): string {
  const pg = r.postgres;
  const bigForward = bigForwardOf(r);
  const pgBig = pg?.chainLatencies.find((c) => c.direction === 'forward' && c.bucket === '≥ 1,000 lots');
  const lines: string[] = [];
  const add = (...l: string[]) => lines.push(...l);
  add(heading, '');
  if (pg) {
    add(
      `Plain PostgreSQL ${pg.version} (tables lots/transfers/entities, row locks, idempotency table, recursive CTE; same plan, same batches, one transaction per batch with a savepoint per command, synchronous_commit on; database ${pg.sizeMb} MB):`,
      '',
      '| measure | Suyuan | PostgreSQL | Suyuan ÷ PostgreSQL |',
      '|---|---|---|---|',
      `| supply-chain ingest, events(-equivalent)/s — Suyuan through HTTP with projections live | ${int(r.ingest.chains.eventsPerSecond)} | ${int(pg.chains.eventsPerSecond)} | ${ratio(r.ingest.chains.eventsPerSecond, pg.chains.eventsPerSecond)} |`,
      `| supply-chain ingest — Suyuan write path alone (in-process) vs PostgreSQL from Node | ${int(r.writePath.eventsPerSecond)} | ${int(pg.chains.eventsPerSecond)} | ${ratio(r.writePath.eventsPerSecond, pg.chains.eventsPerSecond)} |`,
      `| commands/s (supply chains) | ${int(r.ingest.chains.commandsPerSecond)} | ${int(pg.chains.commandsPerSecond)} | ${ratio(r.ingest.chains.commandsPerSecond, pg.chains.commandsPerSecond)} |`,
      `| ${int(pgBig?.rowsPerChain ?? 0)}-lot forward chain, query p50 / p99 (ms) | ${bigForward ? lat(bigForward.query) : '–'} | ${pgBig ? lat(pgBig.query) : '–'} | ${bigForward && pgBig ? ratio(bigForward.query.p99, pgBig.query.p99) + ' (p99)' : '–'} |`,
      `| consumer view query, sequential p50 / p99 (ms) | ${lat(r.consumer.query)} | ${lat(pg.consumer.sequential)} | ${ratio(r.consumer.query.p50, pg.consumer.sequential.p50)} (p50) |`,
      `| consumer lookups/s under concurrency (Suyuan: HTTP at 1,000 offered; PostgreSQL: 16 clients flat out, no HTTP) | ${int(r.consumer.http.achievedRate)} (p99 ${ms(r.consumer.http.latencyMs.p99)} ms) | ${int(pg.consumer.concurrent.perSecond)} (p99 ${ms(pg.consumer.concurrent.latency.p99)} ms) | – |`,
      '',
    );
  } else if (r.postgresError) add(`Plain PostgreSQL: **not measured** — ${r.postgresError}`, '');
  else add(r.stores ? 'Plain PostgreSQL: not run in this part (--no-postgres).' : 'Plain PostgreSQL: not run (--no-peers).', '');
  if (r.stores && withStores) {
    const o = r.stores.own;
    const e = r.stores.emmett ?? {};
    add(
      `Event stores alone, ${int(r.stores.commands)} commands of two events each on a new stream, each store in its own process (ours: envelopes with their hash chain built beforehand — hashing costs ${o.hashMicrosecondsPerEvent ? o.hashMicrosecondsPerEvent.toFixed(1) : '–'} µs per event in the Ledger on top):`,
      '',
      `| measure | Suyuan SqliteEventStore | ${e.store ?? 'Emmett'} | Suyuan ÷ Emmett |`,
      '|---|---|---|---|',
      `| append, one call per command (events/s) | ${int(o.appendEventsPerSecond)} | ${e.error ? `not measured: ${e.error}` : int(e.appendEventsPerSecond)} | ${ratio(o.appendEventsPerSecond, e.appendEventsPerSecond)} |`,
      `| grouped append (Suyuan: appendMany, 500 commands per transaction; Emmett: 100 events per call on one stream) | ${int(o.groupEventsPerSecond)} | ${int(e.bulkEventsPerSecond)} | ${ratio(o.groupEventsPerSecond, e.bulkEventsPerSecond)} |`,
      `| read every stream (events/s) | ${int(o.readStreamEventsPerSecond)} | ${int(e.readStreamEventsPerSecond)} | ${ratio(o.readStreamEventsPerSecond, e.readStreamEventsPerSecond)} |`,
      `| read the whole log in batches of 1,000 (events/s) | ${int(o.readAllEventsPerSecond)} | ${int(e.readAllEventsPerSecond)} | ${ratio(o.readAllEventsPerSecond, e.readAllEventsPerSecond)} |`,
      '',
    );
  }
  return lines.join('\n');
}

function fmtErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  return entries.length ? ` (${entries.map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
}

/** Inserts the run's section under the marker of bench/RESULTS.md (newest first) and keeps the raw JSON beside it. */
export function appendRun(r: RunReport, part?: { section: string; suffix: string }): string {
  const text = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : `# Benchmark results\n\n${MARKER}\n`;
  const section = part?.section ?? renderRun(r);
  const next = text.includes(MARKER) ? text.replace(MARKER, `${MARKER}\n\n${section}`) : `${text}\n${MARKER}\n\n${section}`;
  fs.writeFileSync(RESULTS, next);
  const rawDir = path.join(__dirname, '..', 'results');
  fs.mkdirSync(rawDir, { recursive: true });
  fs.writeFileSync(path.join(rawDir, `${r.started.replace(/[:.]/g, '-')}-${r.size}${part ? `-${part.suffix}` : ''}.json`), JSON.stringify(r, null, 1));
  return RESULTS;
}
