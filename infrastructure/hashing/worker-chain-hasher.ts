import * as os from 'node:os';
import * as path from 'node:path';
import Piscina from 'piscina';
import { hashChain, inlineChainHasher, type ChainHasher, type UnhashedChain } from '../../application/ledger/chain-hasher';

export interface WorkerChainHasherOptions {
  /** Worker threads (≥ 1). */
  threads: number;
  /** Batches with fewer events are hashed on the calling thread: below this, handing over costs more (decision 0020). */
  minEvents: number;
}

/**
 * Hashes a batch's chains on a piscina pool of worker threads (decision 0020): the chains are cut into
 * one slice per thread of about the same number of events, the main thread hashes a slice itself while
 * the workers hash the others, and the answers are put back in order. Small batches stay on the calling
 * thread. Hash bytes are those of computeEventHash either way (the workers run the same hashChain).
 */
export class WorkerChainHasher implements ChainHasher {
  private readonly pool: Piscina;

  constructor(private readonly options: WorkerChainHasherOptions) {
    const source = __filename.endsWith('.ts');
    this.pool = new Piscina({
      filename: path.join(__dirname, source ? 'hash-worker.ts' : 'hash-worker.js'),
      minThreads: 0,
      maxThreads: options.threads,
      // Idle workers exit: a platform that is not ingesting keeps no threads, and tests are not held open.
      idleTimeout: 2_000,
      execArgv: source ? ['-r', path.join(__dirname, 'typescript-worker-hook.js')] : [],
    });
  }

  async hashChains(chains: UnhashedChain[]): Promise<string[][]> {
    const events = chains.reduce((n, c) => n + c.events.length, 0);
    if (events < this.options.minEvents) return inlineChainHasher.hashChains(chains);
    const slices = sliceByEvents(chains, events, this.options.threads + 1);
    const [own, ...others] = slices;
    const remote = others.map((slice) => this.pool.run(slice) as Promise<string[][]>);
    const local = own!.map(hashChain);
    return [local, ...(await Promise.all(remote))].flat();
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  /** Nest calls this when the application shuts down. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

/** Consecutive slices of the chains with about `events / parts` events each (chains are never split). */
function sliceByEvents(chains: UnhashedChain[], events: number, parts: number): UnhashedChain[][] {
  const target = Math.ceil(events / parts);
  const slices: UnhashedChain[][] = [[]];
  let inSlice = 0;
  for (const chain of chains) {
    if (inSlice >= target && slices.length < parts) {
      slices.push([]);
      inSlice = 0;
    }
    slices[slices.length - 1]!.push(chain);
    inSlice += chain.events.length;
  }
  return slices;
}

/**
 * The hasher the platform uses: `HASH_WORKERS` threads (default: none on a machine with 2 cores or fewer,
 * where the main thread, the projections and SQLite already share them; else cores − 1, at most 4), and
 * `HASH_WORKERS_MIN_EVENTS` (default 2,000) below which a batch is hashed on the calling thread.
 */
export function chainHasherFromEnv(env: NodeJS.ProcessEnv = process.env): ChainHasher & { close(): Promise<void> } {
  const cores = os.availableParallelism();
  const threads = env.HASH_WORKERS !== undefined ? Number(env.HASH_WORKERS) : cores <= 2 ? 0 : Math.min(4, cores - 1);
  if (!Number.isInteger(threads) || threads < 0) throw new Error(`HASH_WORKERS must be a whole number ≥ 0, not ${env.HASH_WORKERS}`);
  if (threads === 0) return { ...inlineChainHasher, close: async () => undefined };
  const minEvents = env.HASH_WORKERS_MIN_EVENTS !== undefined ? Number(env.HASH_WORKERS_MIN_EVENTS) : 2_000;
  return new WorkerChainHasher({ threads, minEvents });
}
