import type { RecordedEvent } from '../ports/event-store';
import { LruMap } from './lru-map';

/** Folded states kept (one per stream and decider): enough for the hot lots and entities of a county. */
const MAX_STATES = 20_000;

interface Entry {
  decider: object;
  revision: number;
  /** Hash of the event at `revision`: with the hash chain, it names the whole stream up to there. */
  hash: string;
  state: unknown;
}

/**
 * Folded stream states (decision 0020), so that deciding on a lot with forty events does not evolve
 * forty events again. An entry is keyed by stream, decider, revision AND the hash of the event at that
 * revision; it is used only when the events just read have that hash at that revision. Because every
 * hash covers its predecessor's, that is the very same history: an entry can be unused, never wrong —
 * whatever was appended, rolled back or re-decided meanwhile. Only states at a committed event
 * (position ≥ 0; a batch's staged events have negative provisional positions) are stored.
 *
 * States are shared between decisions, as the deciders' `evolve` returns new states and never mutates
 * its input (DESIGN.md: pure deciders). Under jest, stored states are deep-frozen so that a handler or
 * evolve that mutated one would throw in the tests instead of corrupting later decisions.
 */
export class StreamStateCache {
  private readonly entries = new LruMap<string, Entry>();
  private readonly freeze = process.env.JEST_WORKER_ID !== undefined;

  constructor(private readonly maxStates = MAX_STATES) {}

  /**
   * Folds `events` (the whole stream, revision order) with `evolve` from `initial`, starting from a stored
   * state when one matches, and stores the state at the last committed event.
   */
  fold<S>(streamId: string, decider: object, events: readonly RecordedEvent[], initial: () => S, evolve: (state: S, event: RecordedEvent) => S): S {
    let state: S;
    let next: number;
    const entry = this.entries.peek(streamId);
    const at = entry && entry.decider === decider ? events[entry.revision] : undefined;
    if (entry && at && at.revision === entry.revision && at.hash === entry.hash && at.position >= 0) {
      state = entry.state as S;
      next = entry.revision + 1;
      this.entries.set(streamId, entry); // most recently used
    } else {
      state = initial();
      next = 0;
    }
    // A batch reads its own staged events after the stored ones: store the state at the last stored one.
    let lastStored = events.length - 1;
    while (lastStored >= next && events[lastStored]!.position < 0) lastStored--;
    for (let i = next; i <= lastStored; i++) state = evolve(state, events[i]!);
    if (lastStored >= next) this.store(streamId, decider, events[lastStored]!, state);
    for (let i = Math.max(next, lastStored + 1); i < events.length; i++) state = evolve(state, events[i]!);
    return state;
  }

  clear(): void {
    this.entries.clear();
  }

  private store(streamId: string, decider: object, at: RecordedEvent, state: unknown): void {
    if (this.freeze) deepFreeze(state);
    this.entries.set(streamId, { decider, revision: at.revision, hash: at.hash, state });
    if (this.entries.size > this.maxStates) this.entries.evictOldest();
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

/** One per process: entries are content-addressed (stream + hash), so ledgers over different stores can share it. */
export const streamStates = new StreamStateCache();
