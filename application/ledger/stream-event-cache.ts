import type { RecordedEvent } from '../../application/ports/event-store';
import { LruMap } from './lru-map';

/**
 * The parsed events of recently read or written streams, so that deciding a command does not read and
 * JSON-parse the same rows again (decision 0020: reading streams was the largest cost of the write path).
 * The policy of when it may be served is CachedEventStore's; this is only the bounded map.
 * It holds committed events only, revision 0 … n of a stream with no gap: events are immutable and
 * revisions never reused, so what it holds is always a prefix of the stored stream.
 *
 * Bounded by a number of events (least recently used streams go first). The events handed out are
 * shared between readers, as the fold treats them as values (deciders never mutate events).
 */
export class StreamEventCache {
  private readonly streams = new LruMap<string, RecordedEvent[]>();
  private events = 0;

  constructor(private readonly maxEvents: number) {}

  /** The cached events of a stream (revision 0 … n, contiguous), marked as recently used; or undefined. */
  get(streamId: string): RecordedEvent[] | undefined {
    return this.streams.get(streamId);
  }

  has(streamId: string): boolean {
    return this.streams.has(streamId);
  }

  /** Remembers a whole stream as read from the store (revision 0 up to its head). */
  set(streamId: string, events: RecordedEvent[]): void {
    this.drop(streamId);
    if (events.length === 0 || events.length > this.maxEvents / 4 || events[0]!.revision !== 0) return;
    this.streams.set(streamId, events);
    this.events += events.length;
    this.evict();
  }

  /**
   * Events committed to a stream: appended to the cached copy when they continue it exactly; otherwise
   * the stream is dropped (the next read fills it from the store).
   */
  appended(streamId: string, committed: RecordedEvent[]): void {
    const cached = this.streams.peek(streamId);
    if (!cached) {
      // A stream this append created: its events are the whole stream.
      if (committed[0]?.revision === 0) this.set(streamId, committed.slice());
      return;
    }
    if (committed[0]?.revision !== cached.length) return this.drop(streamId);
    for (const e of committed) {
      if (e.revision !== cached.length) return this.drop(streamId);
      cached.push(e);
      this.events++;
    }
    this.evict();
  }

  drop(streamId: string): void {
    const cached = this.streams.peek(streamId);
    if (!cached) return;
    this.streams.delete(streamId);
    this.events -= cached.length;
  }

  clear(): void {
    this.streams.clear();
    this.events = 0;
  }

  private evict(): void {
    while (this.events > this.maxEvents) {
      const oldest = this.streams.evictOldest();
      if (!oldest) return;
      this.events -= oldest[1].length;
    }
  }
}
