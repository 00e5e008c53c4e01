import type { CommandAppend, EventEnvelope } from '../ports/event-store';
import { computeEventHash } from './event-hash';

/**
 * Deferred hashing for a batch (decision 0020). While a batch is decided, its Ledger writes envelopes
 * whose `hash` is a placeholder (`PENDING_HASH_PREFIX` + a number) and whose `prevHash` is whatever the
 * stream's last event held — a stored hash, or the placeholder of an event staged earlier in the batch.
 * Just before the group commit, `sealChains` computes the real hashes stream by stream, in staged order,
 * and writes them into the envelopes. Chains are per stream, so the streams of a batch are independent
 * and can be hashed in parallel (a ChainHasher on worker threads); the bytes are exactly those of
 * computeEventHash, so nothing a verifier sees changes.
 */
export const PENDING_HASH_PREFIX = 'pending-hash:';

/**
 * One stream's staged events, in order, after the stored hash they continue. Their own `prevHash` and
 * `hash` (placeholders) are overwritten / ignored: the hash never covers `hash`.
 */
export interface UnhashedChain {
  prevHash: string;
  events: (Omit<EventEnvelope, 'hash' | 'prevHash'> & { prevHash?: string; hash?: string })[];
}

/** Hashes independent chains: for each chain, the hash of each of its events (event i's prevHash is hash i−1). */
export interface ChainHasher {
  hashChains(chains: UnhashedChain[]): Promise<string[][]>;
}

export const CHAIN_HASHER = Symbol('ChainHasher');

/** The single-threaded hasher: what the Ledger does for one command, for a batch at once. */
export const inlineChainHasher: ChainHasher = {
  async hashChains(chains) {
    return chains.map(hashChain);
  },
};

/**
 * Hashes one chain on this thread (also the work a hashing worker does, on its copy). Sets each event's
 * prevHash in place — the value it must have anyway — instead of copying every envelope.
 */
export function hashChain(chain: UnhashedChain): string[] {
  let prevHash = chain.prevHash;
  return chain.events.map((event) => {
    event.prevHash = prevHash;
    return (prevHash = computeEventHash(event as EventEnvelope));
  });
}

export function isPendingHash(hash: string): boolean {
  return hash.startsWith(PENDING_HASH_PREFIX);
}

/**
 * Fills in the hashes of the commands' envelopes (in place), chaining each stream's events in command
 * order. An event whose prevHash is a placeholder continues the staged event that holds it; one with a
 * real prevHash starts a chain after a stored event.
 */
export async function sealChains(commands: readonly CommandAppend[], hasher: ChainHasher): Promise<void> {
  const chains: { prevHash: string; envelopes: EventEnvelope[] }[] = [];
  const chainOfPending = new Map<string, number>(); // placeholder of a chain's last event → chain index
  for (const command of commands) {
    for (const part of command.appends) {
      for (const envelope of part.events) {
        if (!isPendingHash(envelope.hash)) continue; // hashed already (decided outside the batch's Ledger)
        let index = isPendingHash(envelope.prevHash) ? chainOfPending.get(envelope.prevHash) : undefined;
        if (isPendingHash(envelope.prevHash) && index === undefined)
          throw new Error(`event ${envelope.eventId} continues ${envelope.prevHash}, which is not staged in this batch`);
        if (index === undefined) {
          index = chains.length;
          chains.push({ prevHash: envelope.prevHash, envelopes: [] });
        } else {
          chainOfPending.delete(envelope.prevHash);
        }
        chains[index]!.envelopes.push(envelope);
        chainOfPending.set(envelope.hash, index);
      }
    }
  }
  if (chains.length === 0) return;
  const hashes = await hasher.hashChains(chains.map((c) => ({ prevHash: c.prevHash, events: c.envelopes })));
  chains.forEach((chain, i) => {
    let prevHash = chain.prevHash;
    chain.envelopes.forEach((envelope, j) => {
      envelope.prevHash = prevHash;
      envelope.hash = hashes[i]![j]!;
      prevHash = envelope.hash;
    });
  });
}
