import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Client, Pool } from 'pg';
import { Sym, type DatasetPlan, type Op } from '../../generator/plan';
import { now, summarize, type Summary } from '../../lib/stats';
import { depthBucket, sizeBucket } from '../../scenarios/trace-chains';
import { CHAIN_SQL, PLAIN_SQL_SCHEMA, PlainSqlLedger, Refused } from './plain-sql-ledger';

const SERVER = path.join(__dirname, 'pg-server.sh');

export interface PgIngest {
  events: number;
  commands: number;
  seconds: number;
  eventsPerSecond: number;
  commandsPerSecond: number;
  failed: number;
  errors: Record<string, number>;
}

export interface PgChainRow {
  direction: 'backward' | 'forward';
  bucket: string;
  targets: number;
  rowsPerChain: number;
  query: Summary;
}

export interface PgPeerResult {
  version: string;
  registration: PgIngest;
  chains: PgIngest;
  chainLatencies: PgChainRow[];
  consumer: { sequential: Summary; concurrent: { clients: number; seconds: number; perSecond: number; latency: Summary } };
  sizeMb: number;
}

export function startPostgres(): string {
  execFileSync(SERVER, ['start'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return execFileSync(SERVER, ['url']).toString().trim();
}

export function stopPostgres(): void {
  execFileSync(SERVER, ['stop'], { stdio: 'ignore' });
}

/**
 * The plain-PostgreSQL peer over the same plan (same seed, same commands, same batch sizes; each batch one
 * transaction with a savepoint per command, synchronous_commit on): ingest rate, recursive-CTE trace chains
 * by depth and tree size, and the consumer view sequentially and with 16 concurrent clients.
 */
export async function runPostgresPeer(plan: DatasetPlan, options: { batchSize: number; chainSamples: number; consumerSeconds: number }): Promise<PgPeerResult> {
  const url = startPostgres();
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const version = (await db.query('SHOW server_version')).rows[0].server_version as string;
    await db.query(PLAIN_SQL_SCHEMA);
    const ledger = new PlainSqlLedger(db);
    const results = new Map<string, Record<string, string>>();
    const registration = await ingestSql(ledger, plan.registrations(), results, 200);
    const chains = await ingestSql(ledger, plan.chains(), results, options.batchSize);
    await db.query('VACUUM ANALYZE');

    // The same kinds of targets as for the ledger: lots at each depth, their roots, the big recall trees.
    const targets: { code: string; direction: 'backward' | 'forward'; bucket: string }[] = [];
    const roots = new Set<string>();
    for (const depth of [1, 2, 3, 4, 5, 6, 8, 10, 12]) {
      const { rows } = await db.query('SELECT trace_code, root_trace_code FROM lots WHERE depth = $1 ORDER BY trace_code LIMIT 25', [depth]);
      for (const r of rows) {
        targets.push({ code: r.trace_code, direction: 'backward', bucket: depthBucket(depth) });
        roots.add(r.root_trace_code);
      }
    }
    for (const c of plan.bigTreeOrigins) {
      const code = results.get(c)?.traceCode;
      if (code) roots.add(code);
    }
    for (const root of roots) {
      const size = Number((await db.query('SELECT count(*) FROM lots WHERE root_trace_code = $1', [root])).rows[0].count);
      targets.push({ code: root, direction: 'forward', bucket: sizeBucket(size) });
    }
    const chainLatencies: PgChainRow[] = [];
    const groups = new Map<string, typeof targets>();
    for (const t of targets) groups.set(`${t.direction}|${t.bucket}`, [...(groups.get(`${t.direction}|${t.bucket}`) ?? []), t]);
    for (const [key, group] of [...groups].sort()) {
      const [direction, bucket] = key.split('|') as ['backward' | 'forward', string];
      const n = Math.max(options.chainSamples, group.length);
      const samples: number[] = [];
      let rows = 0;
      for (let i = 0; i < n; i++) {
        const t = group[i % group.length]!;
        const start = now();
        const res = await db.query(CHAIN_SQL[direction], [t.code]);
        samples.push(now() - start);
        rows += res.rowCount ?? 0;
      }
      chainLatencies.push({ direction, bucket, targets: group.length, rowsPerChain: rows / n, query: summarize(samples) });
    }

    // Consumer view: codes from every depth, sequentially, then 16 clients as fast as they go.
    const codes = (await db.query('SELECT trace_code FROM lots ORDER BY md5(trace_code) LIMIT 1000')).rows.map((r) => r.trace_code as string);
    const sequential: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const start = now();
      await db.query(CHAIN_SQL.consumer, [codes[i % codes.length]]);
      sequential.push(now() - start);
    }
    const pool = new Pool({ connectionString: url, max: 16 });
    const concurrent: number[] = [];
    const stopAt = now() + options.consumerSeconds * 1000;
    let k = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (now() < stopAt) {
          const start = now();
          await pool.query(CHAIN_SQL.consumer, [codes[k++ % codes.length]]);
          concurrent.push(now() - start);
        }
      }),
    );
    await pool.end();
    const sizeMb = Math.round(Number((await db.query('SELECT pg_database_size(current_database()) AS s')).rows[0].s) / 2 ** 20);
    return {
      version,
      registration,
      chains,
      chainLatencies,
      consumer: { sequential: summarize(sequential), concurrent: { clients: 16, seconds: options.consumerSeconds, perSecond: concurrent.length / options.consumerSeconds, latency: summarize(concurrent) } },
      sizeMb,
    };
  } finally {
    await db.end();
  }
}

async function ingestSql(ledger: PlainSqlLedger, ops: Iterator<Op>, results: Map<string, Record<string, string>>, batchSize: number): Promise<PgIngest> {
  const failedIds = new Set<string>();
  const errors: Record<string, number> = {};
  let events = 0;
  let commands = 0;
  let failed = 0;
  const start = now();
  for (;;) {
    const batch: { op: Op; payload: unknown }[] = [];
    while (batch.length < batchSize) {
      const step = ops.next();
      if (step.done) break;
      const payload = resolve(step.value.payload, failedIds);
      if (payload === SKIP) {
        failedIds.add(step.value.commandId);
        continue;
      }
      batch.push({ op: step.value, payload });
    }
    if (batch.length === 0) break;
    // A later command of the same batch may need an earlier one's result: run in order, resolving as we go.
    const answers = await ledger.runBatch(batch, (p) => materialize(p, results), (op, result) => results.set(op.commandId, result));
    answers.forEach((a, i) => {
      const { op } = batch[i]!;
      commands++;
      if (a.ok) {
        results.set(op.commandId, a.result);
        events += op.events;
      } else {
        failed++;
        failedIds.add(op.commandId);
        const code = a.error.replace(/^SQL: /, '').split(/[ :]/)[0]!;
        errors[code] = (errors[code] ?? 0) + 1;
      }
    });
  }
  const seconds = (now() - start) / 1000;
  return { events, commands, seconds, eventsPerSecond: events / seconds, commandsPerSecond: commands / seconds, failed, errors };
}

const SKIP = Symbol('skip');

function resolve(value: unknown, failed: Set<string>): unknown {
  if (value instanceof Sym) {
    if (failed.has(value.commandId)) return SKIP;
    return new LazyRef(value);
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => resolve(v, failed));
    return out.includes(SKIP) ? SKIP : out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolve(v, failed);
      if (r === SKIP) return SKIP;
      out[k] = r;
    }
    return out;
  }
  return value;
}

/** A value from an earlier command, possibly of the same batch: known only once that command ran. */
class LazyRef {
  constructor(readonly sym: Sym) {}
}

/** Replaces every LazyRef by its value; a reference to a command that failed refuses this one too. */
function materialize(value: unknown, results: Map<string, Record<string, string>>): unknown {
  if (value instanceof LazyRef) {
    const v = results.get(value.sym.commandId)?.[value.sym.field];
    if (v === undefined) throw new Refused('DEPENDENCY_FAILED');
    return v;
  }
  if (Array.isArray(value)) return value.map((v) => materialize(v, results));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v, results)]));
  return value;
}
