import {
  ConcurrencyError,
  type AppendResult,
  type CommandAppend,
  type CommandAppendResult,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredCommand,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../ports/event-store';
import { StreamEventCache } from './stream-event-cache';

/**
 * Events kept per store (≈ 1 KB each parsed): the hot streams of a busy county, not the whole ledger. A
 * bigger cache hits more often but costs old-generation GC time (decision 0020's profile).
 */
const DEFAULT_MAX_EVENTS = 30_000;

/**
 * The store as the write side sees it (decision 0020): reading a stream to decide on it is served from
 * memory when the stream was read or written before. Before a cached stream is served, the store is
 * asked for the stream's current revision (`streamRevision`: one primary-key lookup in SQLite) and any
 * revision the cache lacks is read and added — so a decision never sees a state older than the store,
 * whoever appended (another process, a writer that bypasses this wrapper). Only committed events enter
 * the cache: those a read returned and those an acknowledged append recorded. A ConcurrencyError drops
 * the stream it names.
 *
 * Verification never goes through here (audit reads the store itself): the cache is for deciding,
 * where the events read were never re-hashed anyway.
 */
export class CachedEventStore implements EventStore {
  private readonly cache: StreamEventCache;

  constructor(
    readonly inner: EventStore,
    maxEvents = DEFAULT_MAX_EVENTS,
  ) {
    this.cache = new StreamEventCache(maxEvents);
    if (inner.appendMany) this.appendMany = (commands) => this.appendManyThrough(commands);
  }

  appendMany?: (commands: CommandAppend[]) => Promise<CommandAppendResult[]>;

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    // A partial read of a stream we do not hold (the last event of a long counter or checkpoint stream)
    // stays a partial read: filling the cache would read the whole stream.
    const partial = options.maxCount !== undefined || (options.fromRevision ?? 0) > 0;
    if (partial && !this.cache.has(streamId)) return this.inner.readStream(streamId, options);
    const events = await this.currentEvents(streamId);
    return select(events, options);
  }

  async streamRevision(streamId: string): Promise<number | 'no_stream'> {
    return this.inner.streamRevision(streamId);
  }

  async append(appends: StreamAppend[], commandId: string, fingerprint?: string): Promise<AppendResult> {
    try {
      const result = await this.inner.append(appends, commandId, fingerprint);
      if (!result.duplicate) this.remember(result.events);
      return result;
    } catch (err) {
      this.forget(err, appends);
      throw err;
    }
  }

  private async appendManyThrough(commands: CommandAppend[]): Promise<CommandAppendResult[]> {
    let results: CommandAppendResult[];
    try {
      results = await this.inner.appendMany!(commands);
    } catch (err) {
      for (const c of commands) this.forget(err, c.appends);
      throw err;
    }
    results.forEach((r, i) => {
      if (r.ok && !r.result.duplicate) this.remember(r.result.events);
      else if (!r.ok) this.forget(r.error, commands[i]!.appends);
    });
    return results;
  }

  readByCommandId(commandId: string): Promise<RecordedEvent[] | null> {
    return this.inner.readByCommandId(commandId);
  }
  readCommand(commandId: string): Promise<StoredCommand | null> {
    return this.inner.readCommand(commandId);
  }
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }
  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }
  subscribe(options: SubscribeOptions): Subscription {
    return this.inner.subscribe(options);
  }
  listStreams(prefix: string, after: string | null, limit: number): Promise<string[]> {
    return this.inner.listStreams(prefix, after, limit);
  }
  async close(): Promise<void> {
    this.cache.clear();
    await this.inner.close();
  }

  /** The whole stream, at least as new as the store's revision when this was called. */
  private async currentEvents(streamId: string): Promise<RecordedEvent[]> {
    if (this.cache.has(streamId)) {
      const revision = await this.inner.streamRevision(streamId);
      const cached = this.cache.get(streamId);
      if (cached && (revision === 'no_stream' || cached.length - 1 >= revision)) return cached.slice();
      if (cached) {
        // Someone appended past what we hold: read only the revisions we lack.
        const missing = await this.inner.readStream(streamId, { fromRevision: cached.length });
        this.cache.appended(streamId, missing);
        const now = this.cache.get(streamId);
        if (now) return now.slice();
      }
    }
    // Not held (or it did not continue): the read itself is the current stream — no revision lookup first.
    const events = await this.inner.readStream(streamId);
    this.cache.set(streamId, events);
    return events.slice();
  }

  private remember(events: RecordedEvent[]): void {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      const list = byStream.get(e.streamId);
      if (list) list.push(e);
      else byStream.set(e.streamId, [e]);
    }
    for (const [streamId, list] of byStream) this.cache.appended(streamId, list);
  }

  /** After a failed append: a stream that was not where we thought is dropped (the next read refills it). */
  private forget(err: unknown, appends: StreamAppend[]): void {
    if (err instanceof ConcurrencyError) this.cache.drop(err.streamId);
    else for (const part of appends) this.cache.drop(part.streamId);
  }
}

/** The slice of a whole stream that readStream's options ask for. */
function select(events: RecordedEvent[], options: ReadStreamOptions): RecordedEvent[] {
  if (options.direction === 'backwards') {
    const from = options.fromRevision ?? Number.MAX_SAFE_INTEGER;
    const selected: RecordedEvent[] = [];
    for (let i = events.length - 1; i >= 0 && (options.maxCount === undefined || selected.length < options.maxCount); i--) {
      if (events[i]!.revision <= from) selected.push(events[i]!);
    }
    return selected;
  }
  const from = options.fromRevision ?? 0;
  const selected = from === 0 ? events : events.filter((e) => e.revision >= from);
  return options.maxCount === undefined ? selected : selected.slice(0, options.maxCount);
}

const shared = new WeakMap<EventStore, CachedEventStore>();

/**
 * The one cached view of a store, shared by every Ledger over it (the platform's and each batch's), so a
 * stream read by one command is warm for the next. A store that is already a cached view is returned as is.
 */
export function withStreamCache(store: EventStore, maxEvents = DEFAULT_MAX_EVENTS): CachedEventStore {
  if (store instanceof CachedEventStore) return store;
  let cached = shared.get(store);
  if (!cached) {
    // `maxEvents` counts only here, when the view is made (the first call for a store): benchmarks size it.
    cached = new CachedEventStore(store, maxEvents);
    shared.set(store, cached);
  }
  return cached;
}
