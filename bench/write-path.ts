/**
 * `node -r ./bench/support/swc-register.js bench/write-path.ts [--size XS|S|M|L] [--batch 1000] [--repeat 1]
 *    [--events N] [--timeline-every N] [--cache-mib N] [--autocheckpoint-pages N] [--stream-cache-events N]`
 *
 * The write path alone, focused (issue 17): the batch handler over a fresh SqliteEventStore on the plan of
 * the main benchmark (bench/scenarios/write-path.ts), with nothing else in the process. Prints one JSON line
 * per repetition: events/s and µs per event. For a CPU profile, run it under
 * `node --cpu-prof --cpu-prof-dir=bench/.data/profiles/… ` and summarise with bench/lib/profile-summary.ts.
 * Faster than a whole `npm run bench` (which also runs HTTP, projections and peers) by minutes, so a change
 * can be measured before/after in one sitting; the main benchmark stays the figure of record.
 * `--events N` cuts the supply chains short (an L plan's first N events), `--timeline-every N` prints the cost
 * per event every N events as the ledger grows, `--cache-mib N` gives the ledger connection a page cache of
 * N MiB (an experiment: does the cost per event at size come from B-tree pages evicted from SQLite's cache?),
 * `--autocheckpoint-pages N` checkpoints the WAL every N pages instead of 1,000 (an experiment: what copying
 * each batch's pages into the file at every commit costs the writer), `--stream-cache-events N` sizes the write
 * side's stream cache (30,000 events by default: does L's working set fit a bigger one, and at what GC cost?).
 */
import * as path from 'node:path';
import { DatasetPlan, SIZES } from './generator/plan';
import { machineLoad } from './lib/machine';
import { BENCH_DATA } from './lib/server';
import { writePathAlone } from './scenarios/write-path';
import { cliArgs } from './lib/cli-args';

function args() {
  const { value, size } = cliArgs();
  const num = (name: string) => (value(name) === undefined ? undefined : Number(value(name)));
  return { size: size(), batch: num('batch') ?? 1000, repeat: num('repeat') ?? 1, maxChainEvents: num('events'), timelineEvery: num('timeline-every'), cacheMiB: num('cache-mib'), autocheckpointPages: num('autocheckpoint-pages'), streamCacheEvents: num('stream-cache-events') };
}

async function main(): Promise<void> {
  const { size, batch, repeat, ...options } = args();
  for (let r = 0; r < repeat; r++) {
    const load = machineLoad();
    const result = await writePathAlone(path.join(BENCH_DATA, `write-path-focused-${size}`), new DatasetPlan(SIZES[size], 20261123), batch, options);
    process.stdout.write(
      `${JSON.stringify({
        size,
        batch,
        events: result.events,
        seconds: Number(result.seconds.toFixed(2)),
        eventsPerSecond: Math.round(result.eventsPerSecond),
        microsPerEvent: Number(((result.seconds * 1e6) / result.events).toFixed(1)),
        cpuMicrosPerEvent: Number(((result.cpuSeconds * 1e6) / result.events).toFixed(1)),
        registrationSeconds: Number(result.registrationSeconds.toFixed(2)),
        ...(result.cappedAt === undefined ? {} : { cappedAt: result.cappedAt }),
        ...(result.cacheMiB === undefined ? {} : { cacheMiB: result.cacheMiB }),
        ...(result.autocheckpointPages === undefined ? {} : { autocheckpointPages: result.autocheckpointPages }),
        ...(result.streamCacheEvents === undefined ? {} : { streamCacheEvents: result.streamCacheEvents }),
        loadBefore: load,
        loadAfter: machineLoad(),
        ...(result.timeline ? { timeline: result.timeline } : {}),
      })}\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
