/**
 * `node -r ./bench/support/swc-register.js bench/read-side-chains.ts <read-models.sqlite> [rounds]`
 *
 * The forward trace chain of the biggest trees, three ways interleaved round by round in one process (so a
 * shared machine's load falls on all three alike; decision 0021):
 *   - levels: the chain query as it was — one `$in` per level over json_extract expression indexes
 *     (the read-model file as an earlier version left it; ReadModels without `walk`);
 *   - walk:   the same file after `ensureIndex` made generated columns, walked by one recursive CTE;
 *   - pg:     the PostgreSQL peer's recursive CTE (bench/peers/postgres, its database left by a run).
 * Prints one JSON line. The file is copied first; the copy gets the generated columns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { ReadModels } from '../application/ports/read-models';
import { traceChain } from '../application/trace/chain-query';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { allProjections } from '../projections';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { machineLoad } from './lib/machine';
import { now, summarize } from './lib/stats';
import { startPostgres, stopPostgres } from './peers/postgres/pg-peer';
import { CHAIN_SQL } from './peers/postgres/plain-sql-ledger';

async function models(file: string, withWalk: boolean): Promise<{ models: ReadModels; store: SqliteReadStore; name: (c: string) => string }> {
  const store = new SqliteReadStore(file, { synchronous: 'NORMAL' });
  const physical = new Map<string, string>();
  for (const p of allProjections) {
    const meta = await store.get('_projections', p.name);
    if (meta) for (const c of p.collections) physical.set(c, ProjectionRunner.physicalName(c, meta.generation as number));
  }
  const name = (c: string) => physical.get(c) ?? c;
  const m: ReadModels = {
    get: (c, id) => store.get(name(c), id),
    getMany: (c, ids) => store.getMany(name(c), ids),
    find: (c, f, o) => store.find(name(c), f, o),
    count: (c, f) => store.count(name(c), f),
    ...(withWalk ? { walk: (c: string, w: Parameters<NonNullable<ReadModels['walk']>>[1]) => store.walk(name(c), w) } : {}),
    search: async () => {
      throw new Error('not used');
    },
  };
  return { models: m, store, name };
}

async function main(): Promise<void> {
  const [source, roundsArg] = process.argv.slice(2);
  if (!source) throw new Error('usage: read-side-chains.ts <read-models.sqlite> [rounds]');
  const rounds = Number(roundsArg ?? 200);
  const dir = fs.mkdtempSync(path.join(path.dirname(source), 'chains-'));
  const levelsFile = path.join(dir, 'levels.sqlite');
  const walkFile = path.join(dir, 'walk.sqlite');
  for (const f of [levelsFile, walkFile]) fs.copyFileSync(source, f);
  const levels = await models(levelsFile, false);
  const walk = await models(walkFile, true);
  // As the runner does at start: the declared indexes, here made as generated columns.
  await walk.store.ensureIndex(walk.name('lot_edges'), ['from', 'to']);
  await walk.store.ensureIndex(walk.name('lot_edges'), ['to']);

  const roots = await levels.models.find('lots', { depth: 0 });
  const sizes: { code: string; n: number }[] = [];
  for (const r of roots) sizes.push({ code: r._id, n: await levels.models.count('lots', { rootTraceCode: r._id }) });
  const big = sizes.sort((a, b) => b.n - a.n).slice(0, 3);

  const pg = new Client({ connectionString: startPostgres() });
  await pg.connect();
  const pgRoots = (await pg.query('SELECT root_trace_code AS code, count(*)::int AS n FROM lots GROUP BY 1 ORDER BY 2 DESC LIMIT 3')).rows as { code: string; n: number }[];

  const samples = { levels: [] as number[], walk: [] as number[], pg: [] as number[] };
  let lots = { levels: 0, walk: 0, pg: 0 };
  const loadBefore = machineLoad();
  for (let i = 0; i < rounds; i++) {
    const code = big[i % big.length]!.code;
    let t = now();
    const a = await traceChain(levels.models, code, 'forward', 64);
    samples.levels.push(now() - t);
    t = now();
    const b = await traceChain(walk.models, code, 'forward', 64);
    samples.walk.push(now() - t);
    t = now();
    const c = await pg.query(CHAIN_SQL.forward, [pgRoots[i % pgRoots.length]!.code]);
    samples.pg.push(now() - t);
    if (i === 0) {
      // Same answer both ways (the order of edges and lots included).
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`levels and walk disagree on ${code}`);
      lots = { levels: a!.lots.length, walk: b!.lots.length, pg: c.rowCount ?? 0 };
    }
  }
  await pg.end();
  stopPostgres();
  await levels.store.close();
  await walk.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    JSON.stringify({ rounds, trees: big, pgTrees: pgRoots, lots, levels: summarize(samples.levels), walk: summarize(samples.walk), pg: summarize(samples.pg), loadBefore, loadAfter: machineLoad() }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
