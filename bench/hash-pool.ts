/**
 * `node -r ./bench/support/swc-register.js bench/hash-pool.ts [--threads 1,2] [--rounds 7]`
 *
 * The crossover of decision 0020: hashing a batch's chains on the calling thread vs on a piscina pool
 * (WorkerChainHasher, which also hashes one slice on the calling thread), for batches of 50 … 10,000
 * events shaped like the supply-chain plan (lot and transfer envelopes, 1–3 events per stream). Prints a
 * Markdown table of the median wall time per batch and µs per event, and the main thread's CPU time.
 */
import { v7 as uuidv7 } from 'uuid';
import { inlineChainHasher, type ChainHasher, type UnhashedChain } from '../application/ledger/chain-hasher';
import { GENESIS_HASH } from '../application/ledger/event-hash';
import { WorkerChainHasher } from '../infrastructure/hashing/worker-chain-hasher';
import { machineLoad } from './lib/machine';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const THREADS = opt('threads', '1,2').split(',').map(Number);
const ROUNDS = Number(opt('rounds', '7'));
const SIZES = [50, 200, 500, 1000, 2000, 5000, 10000];

const actor = { userId: 'bench-platform', orgId: 'platform', role: 'system' as const, regionCode: '' };
function chains(events: number): UnhashedChain[] {
  const out: UnhashedChain[] = [];
  const at = new Date().toISOString();
  for (let n = 0, s = 0; n < events; s++) {
    const length = 1 + (s % 3);
    const streamId = `lot-460105-7K3QX-261120-${String(s).padStart(4, '0')}-AB`;
    out.push({
      prevHash: GENESIS_HASH,
      events: Array.from({ length }, (_, revision) => ({
        eventId: uuidv7(), type: 'QuantityReserved', schemaVersion: 1, streamId, revision, occurredAt: at, recordedAt: at, actor,
        commandId: `client:${'ab'.repeat(32)}`, correlationId: `batch-${s}`, causationId: null,
        data: { transferId: uuidv7(), quantity: { amount: 30 + s, unit: 'kg' }, traceCode: streamId.slice(4), base: { baseId: 'B1', name: '基地一', regionCode: '460105001', lat: 20.03, lon: 110.33 } },
      })),
    });
    n += length;
  }
  return out;
}

async function time(hasher: ChainHasher, input: UnhashedChain[]): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  await hasher.hashChains(input);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const used = process.cpuUsage(cpu); // process-wide: includes the workers' threads
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const pools = THREADS.map((threads) => ({ threads, hasher: new WorkerChainHasher({ threads, minEvents: 0 }) }));
  process.stdout.write(`load before: ${machineLoad().loadavg}\n\n`);
  process.stdout.write(`| events per batch | inline ms (µs/event) | ${pools.map((p) => `pool ${p.threads} thread${p.threads > 1 ? 's' : ''} + caller ms (µs/event)`).join(' | ')} |\n`);
  process.stdout.write(`|---|---|${pools.map(() => '---|').join('')}\n`);
  for (const p of pools) await p.hasher.hashChains(chains(2000)); // start the workers, compile the code
  for (const size of SIZES) {
    const input = chains(size);
    const inline: number[] = [];
    const pooled = pools.map(() => [] as number[]);
    for (let r = 0; r < ROUNDS; r++) {
      inline.push((await time(inlineChainHasher, input)).ms);
      for (let i = 0; i < pools.length; i++) pooled[i]!.push((await time(pools[i]!.hasher, input)).ms);
    }
    const cell = (ms: number) => `${ms.toFixed(2)} (${((ms * 1000) / size).toFixed(1)})`;
    process.stdout.write(`| ${size} | ${cell(median(inline))} | ${pooled.map((xs) => cell(median(xs))).join(' | ')} |\n`);
  }
  process.stdout.write(`\nload after: ${machineLoad().loadavg}\n`);
  await Promise.all(pools.map((p) => p.hasher.close()));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
