/**
 * `node -r ./bench/support/swc-register.js bench/rebuild-rate.ts <events.sqlite> [--batch 2000,10000]
 *   [--only a,b | --without a,b] [--each]`
 *
 * The full rebuild alone, in-process: every projection (or the chosen ones) from one read of a copy of a ledger
 * file into a fresh read store and search index, once per rebuild batch size, so the sizes compare within one
 * run on a shared machine; `--each` then rebuilds each chosen projection alone. Prints log events/s
 * (decision 0022). Run under `node --cpu-prof` for the profile (bench/lib/profile-summary.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../infrastructure/sqlite/sqlite-search-index';
import { projectionsFor, readModelIndexes } from '../projections';
import type { Projection } from '../projections/runner/projection';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { machineLoad } from './lib/machine';

async function main(): Promise<void> {
  const [source, ...rest] = process.argv.slice(2);
  if (!source) throw new Error('usage: rebuild-rate.ts <events.sqlite> [--batch 2000,10000]');
  const batchArg = rest.includes('--batch') ? rest[rest.indexOf('--batch') + 1]! : '2000,10000';
  const sizes = batchArg.split(',').map(Number);
  const list = (flag: string) => (rest.includes(flag) ? rest[rest.indexOf(flag) + 1]!.split(',') : null);
  const only = list('--only');
  const without = list('--without') ?? [];
  const chosen = projectionsFor('sqlite').filter((p) => (!only || only.includes(p.name)) && !without.includes(p.name));
  const each = rest.includes('--each');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-rebuild-rate-'));
  fs.copyFileSync(source, path.join(dir, 'events.sqlite'));
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(source + suffix)) fs.copyFileSync(source + suffix, path.join(dir, `events.sqlite${suffix}`));
  const events = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  const head = await events.headPosition();
  const results: { batch: number; projections: string; seconds: number; eventsPerSecond: number; cpuMicrosPerEvent: number }[] = [];
  let run = 0;
  const rebuild = async (projections: Projection[], batch: number, label: string) => {
    const reads = new SqliteReadStore(path.join(dir, `r-${++run}.sqlite`), { synchronous: 'NORMAL' });
    const search = new SqliteSearchIndex(path.join(dir, `s-${run}.sqlite`), { synchronous: 'NORMAL' });
    const runner = new ProjectionRunner(events, reads, search, projections, { info: () => undefined, error: (m, x) => console.error(m, x) }, readModelIndexes, 500, Date.now, {}, batch);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await runner.start(); // first start: the projections are built from one read of the log
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // CPU time of the process (all threads) per log event: steadier than wall clock on a shared machine.
    const used = process.cpuUsage(cpu);
    const cpuMicrosPerEvent = (used.user + used.system) / head;
    await runner.stop();
    await reads.close();
    await search.close();
    for (const suffix of ['', '-wal', '-shm']) for (const f of [`r-${run}.sqlite`, `s-${run}.sqlite`]) fs.rmSync(path.join(dir, f + suffix), { force: true });
    results.push({ batch, projections: label, seconds, eventsPerSecond: head / seconds, cpuMicrosPerEvent });
    process.stderr.write(`batch ${batch}, ${label}: ${head} events in ${seconds.toFixed(2)} s = ${Math.round(head / seconds)} events/s, CPU ${cpuMicrosPerEvent.toFixed(1)} µs/event (load ${machineLoad().loadavg})\n`);
  };
  try {
    const label = only ? only.join(',') : without.length ? `all but ${without.join(',')}` : 'all';
    for (const batch of sizes) await rebuild(chosen, batch, label);
    if (each) for (const p of chosen) await rebuild([p], sizes[0]!, p.name);
  } finally {
    await events.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ head, load: machineLoad().loadavg, results })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
