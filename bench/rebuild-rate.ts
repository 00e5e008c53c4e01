/**
 * `node -r ./bench/support/swc-register.js bench/rebuild-rate.ts <events.sqlite> [--batch 2000,10000]`
 *
 * The full rebuild alone, in-process: every projection from one read of a copy of a ledger file into a fresh
 * read store and search index, once per rebuild batch size, so the sizes compare within one run on a shared
 * machine. Prints log events/s per size (decision 0022).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../infrastructure/sqlite/sqlite-search-index';
import { allProjections, readModelIndexes } from '../projections';
import { ProjectionRunner } from '../projections/runner/projection-runner';
import { machineLoad } from './lib/machine';

async function main(): Promise<void> {
  const [source, ...rest] = process.argv.slice(2);
  if (!source) throw new Error('usage: rebuild-rate.ts <events.sqlite> [--batch 2000,10000]');
  const batchArg = rest.includes('--batch') ? rest[rest.indexOf('--batch') + 1]! : '2000,10000';
  const sizes = batchArg.split(',').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-rebuild-rate-'));
  fs.copyFileSync(source, path.join(dir, 'events.sqlite'));
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(source + suffix)) fs.copyFileSync(source + suffix, path.join(dir, `events.sqlite${suffix}`));
  const events = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  const head = await events.headPosition();
  const results: { batch: number; seconds: number; eventsPerSecond: number }[] = [];
  try {
    for (const batch of sizes) {
      const reads = new SqliteReadStore(path.join(dir, `r-${batch}.sqlite`), { synchronous: 'NORMAL' });
      const search = new SqliteSearchIndex(path.join(dir, `s-${batch}.sqlite`), { synchronous: 'NORMAL' });
      const runner = new ProjectionRunner(events, reads, search, allProjections, { info: () => undefined, error: (m, x) => console.error(m, x) }, readModelIndexes, 500, Date.now, {}, batch);
      const started = process.hrtime.bigint();
      await runner.start(); // first start: every projection is built from one read of the log
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      await runner.stop();
      await reads.close();
      await search.close();
      results.push({ batch, seconds, eventsPerSecond: head / seconds });
      process.stderr.write(`batch ${batch}: ${head} events in ${seconds.toFixed(2)} s = ${Math.round(head / seconds)} events/s\n`);
    }
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
