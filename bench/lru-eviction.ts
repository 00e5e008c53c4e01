/**
 * `node -r ./bench/support/swc-register.js bench/lru-eviction.ts [--ops 1500000]`
 *
 * The write side's LRU eviction alone (decision 0020, "At L"): a stream cache with a budget of 30,000
 * events, fed a seeded stream of reads and appends over working sets of 15,000 (about S's), 150,000 and
 * 1,000,000 streams (beyond L's), once with the Map-as-LRU the caches used before (evict from a fresh
 * iterator) and once with application/ledger/lru-map.ts. Prints ns per operation and writes
 * bench/results/lru-eviction-<date>.json with the machine and load. Compare the two within one run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LruMap } from '../application/ledger/lru-map';
import { cliArgs } from './lib/cli-args';
import { machineInfo, machineLoad } from './lib/machine';

interface Cache {
  get(key: string): number[] | undefined;
  set(key: string, value: number[]): void;
}

/** Before: the pattern StreamEventCache used until this change, kept here as the baseline. */
function mapAsLru(maxEvents: number): Cache {
  const map = new Map<string, number[]>();
  let events = 0;
  return {
    get(key) {
      const value = map.get(key);
      if (value) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key, value) {
      const old = map.get(key);
      if (old) events -= old.length;
      map.delete(key);
      map.set(key, value);
      events += value.length;
      for (const [oldest, held] of map) {
        if (events <= maxEvents) return;
        map.delete(oldest);
        events -= held.length;
      }
    },
  };
}

function withLruMap(maxEvents: number): Cache {
  const lru = new LruMap<string, number[]>();
  let events = 0;
  return {
    get: (key) => lru.get(key),
    set(key, value) {
      const old = lru.peek(key);
      if (old) events -= old.length;
      lru.set(key, value);
      events += value.length;
      while (events > maxEvents) {
        const oldest = lru.evictOldest();
        if (!oldest) return;
        events -= oldest[1].length;
      }
    },
  };
}

function nsPerOp(cache: Cache, workingSet: number, ops: number): number {
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    const key = `lot-${random() % workingSet}`;
    const held = cache.get(key);
    if (!held) cache.set(key, [i, i]);
    else if (random() % 4 === 0) cache.set(key, [...held, i]);
  }
  return Number(process.hrtime.bigint() - start) / ops;
}

function main(): void {
  const ops = Number(cliArgs().value('ops') ?? 1_500_000);
  const loadBefore = machineLoad();
  const rows = [15_000, 150_000, 1_000_000].map((workingSet) => {
    // A warm-up pass each, then the measured one: the JIT has compiled both before they are timed.
    nsPerOp(mapAsLru(30_000), workingSet, ops / 10);
    nsPerOp(withLruMap(30_000), workingSet, ops / 10);
    const before = nsPerOp(mapAsLru(30_000), workingSet, ops);
    const after = nsPerOp(withLruMap(30_000), workingSet, ops);
    process.stdout.write(`working set ${workingSet.toLocaleString('en')} streams: Map-as-LRU ${before.toFixed(0)} ns/op, LruMap ${after.toFixed(0)} ns/op (${(before / after).toFixed(2)}×)\n`);
    return { workingSet, mapAsLruNsPerOp: Math.round(before), lruMapNsPerOp: Math.round(after) };
  });
  const machine = machineInfo();
  const file = path.join(__dirname, 'results', `lru-eviction-${machine.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ machine, ops, budgetEvents: 30_000, loadBefore, loadAfter: machineLoad(), rows }, null, 2)}\n`);
  process.stdout.write(`${file}\n`);
}

main();
