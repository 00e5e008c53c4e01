import type { EventStore, RecordedEvent } from '../ports/event-store';
import type { ProjectionProgress, ReadModels } from '../ports/read-models';
import { synthesiseChain, type ChainSynthesis, type SynthesisOptions } from './chain-synthesis';

/**
 * One chain synthesis per incident, shared by the incident page's chain table and the three report downloads
 * (issue 12: each download used to synthesise again, ~0.2–0.5 s of read-model queries for a 1,000-lot tree).
 *
 * An entry is keyed by the trace codes and the walk's options, and remembers the ledger position the read
 * models had reached when it was computed. It is reused while nothing that could change a lot, an edge or an
 * entity has been appended since: the events after that position are read (few between two downloads) and
 * each must be one the synthesis cannot depend on — the access log's own entries (every one of these reads
 * appends one, so keying on the bare log head would never hit), tree heads and cosignatures. Anything else,
 * or more than `maxScan` events, recomputes. Keying on read-model positions instead would need the positions
 * of three projections through a port that does not expose them; the log is the authority either way.
 *
 * A synthesis is only cached when the read models had caught up with the head it was asked at, and it is
 * frozen: the renderers and the access redaction share it and must not change it.
 */
export interface SynthesisSource {
  models: ReadModels;
  progress: ProjectionProgress;
  store: EventStore;
}

export interface SynthesisCacheOptions {
  /** Entries kept (least recently used dropped first). */
  capacity?: number;
  /** Events after an entry's position read to prove it still holds; past this many it is recomputed. */
  maxScan?: number;
  /** How long a miss waits for the read models to include the log head. */
  catchUpMs?: number;
}

/** Streams whose events no read model of the synthesis (lots, lot_edges, entities) folds. */
const IRRELEVANT_STREAMS = [/^access-/, /^ledger-checkpoints$/, /^ledger-cosignatures$/];
export const affectsSynthesis = (e: Pick<RecordedEvent, 'streamId'>): boolean => !IRRELEVANT_STREAMS.some((r) => r.test(e.streamId));

interface Entry {
  /** The log position the synthesis is known to be current at (advanced as irrelevant events are checked). */
  position: number;
  synthesis: ChainSynthesis;
}

export interface SynthesisCacheStats {
  hits: number;
  misses: number;
}

export class SynthesisCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<ChainSynthesis>>();
  readonly stats: SynthesisCacheStats = { hits: 0, misses: 0 };
  private readonly capacity: number;
  private readonly maxScan: number;
  private readonly catchUpMs: number;

  constructor(
    private readonly source: SynthesisSource,
    options: SynthesisCacheOptions = {},
  ) {
    this.capacity = options.capacity ?? 16;
    this.maxScan = options.maxScan ?? 2_000;
    this.catchUpMs = options.catchUpMs ?? 2_000;
  }

  /**
   * The synthesis of `traceCodes` as of the log head: cached, or computed once the read models include the
   * head (as of wherever they are after `catchUpMs` otherwise, then not cached). `asOfPosition` is the head.
   */
  async synthesise(traceCodes: string[], options: Omit<SynthesisOptions, 'asOfPosition'> = {}): Promise<ChainSynthesis> {
    const key = JSON.stringify([traceCodes, options.forwardFromOrigins ?? false, options.maxDepth ?? null, options.maxNodes ?? null]);
    const head = await this.source.store.headPosition();
    const entry = this.entries.get(key);
    if (entry && (await this.stillCurrent(entry, head))) {
      this.stats.hits++;
      this.entries.delete(key); // refresh its place in the LRU order
      this.entries.set(key, entry);
      return entry.synthesis.asOfPosition === head ? entry.synthesis : { ...entry.synthesis, asOfPosition: head };
    }
    // Concurrent downloads of the same incident (the page fetches several) share one computation.
    const running = this.inFlight.get(key);
    if (running) return running;
    const computed = this.compute(key, traceCodes, options, head).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, computed);
    return computed;
  }

  /** Drops every entry (tests, or after a restore that rewinds the log). */
  clear(): void {
    this.entries.clear();
  }

  private async compute(key: string, traceCodes: string[], options: Omit<SynthesisOptions, 'asOfPosition'>, head: number): Promise<ChainSynthesis> {
    this.stats.misses++;
    this.entries.delete(key);
    const caughtUp = await this.source.progress.waitFor(head, this.catchUpMs);
    const synthesis = deepFreeze(await synthesiseChain(this.source.models, traceCodes, caughtUp ? { ...options, asOfPosition: head } : options));
    if (caughtUp) {
      this.entries.set(key, { position: head, synthesis });
      while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return synthesis;
  }

  /** True when every event in (entry.position, head] is one the synthesis does not depend on. */
  private async stillCurrent(entry: Entry, head: number): Promise<boolean> {
    if (head < entry.position) return false; // the log was rewound (a restore): nothing cached holds
    let after = entry.position;
    let scanned = 0;
    while (after < head) {
      const batch = await this.source.store.readAll({ afterPosition: after, maxCount: Math.min(500, this.maxScan - scanned + 1) });
      if (batch.length === 0) break;
      for (const e of batch) {
        if (e.position > head) break;
        if (affectsSynthesis(e) || ++scanned > this.maxScan) return false;
        after = e.position;
      }
      if (batch[batch.length - 1]!.position >= head) break;
      after = batch[batch.length - 1]!.position;
    }
    entry.position = head;
    return true;
  }
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  return Object.freeze(value);
}

/** One cache per read-model view, so every controller of an installation shares it (and tests get their own). */
const caches = new WeakMap<ReadModels, SynthesisCache>();
export function synthesisCacheFor(source: SynthesisSource): SynthesisCache {
  let cache = caches.get(source.models);
  if (!cache) caches.set(source.models, (cache = new SynthesisCache(source)));
  return cache;
}
