import type { Actor } from '../../domain/shared/actor';

/**
 * The EventStore port. Embedded default: SQLite (infrastructure/sqlite); distributed: KurrentDB.
 *
 * Revisions are 0-based per stream (the first event of a stream has revision 0), as in KurrentDB.
 * Positions are global, strictly increasing in commit order, but NOT necessarily contiguous.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/** The envelope of DESIGN.md minus what the store assigns (position). */
export interface EventEnvelope {
  eventId: string; // UUID v7
  type: string;
  schemaVersion: number;
  streamId: string;
  /** Revision this event gets in its stream; computed by the writer from the expected revision. */
  revision: number;
  occurredAt: string; // ISO-8601, business time
  recordedAt: string; // ISO-8601, when the platform accepted it
  actor: Actor;
  commandId: string; // idempotency key
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
  /** sha256 hex of the previous event in the same stream ('0'*64 for the first). */
  prevHash: string;
  /** sha256 hex over canonical JSON (RFC 8785) of this envelope without `hash`/`position`, incl. prevHash. */
  hash: string;
}

export interface RecordedEvent extends EventEnvelope {
  position: number;
}

export interface StreamAppend {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: EventEnvelope[];
}

export interface AppendResult {
  /** true when commandId had already been appended: nothing new was written, `events` are the original ones. */
  duplicate: boolean;
  /** The recorded events of this command, in append order, with positions. */
  events: RecordedEvent[];
  /**
   * With duplicate=true: the fingerprint the ORIGINAL append stored (absent when it stored none), so the
   * caller can tell a retry of the same request from another request reusing its key (decision 0010).
   */
  fingerprint?: string;
}

/** One command's atomic append, as handed to `appendMany` (the arguments of one `append` call). */
export interface CommandAppend {
  appends: StreamAppend[];
  commandId: string;
  /** Fingerprint of the request (an HMAC, not a secret), kept with the command atomically; see append. */
  fingerprint?: string;
}

/** A command as the store remembers it for idempotency: its events and the fingerprint stored with them. */
export interface StoredCommand {
  events: RecordedEvent[];
  /** null when the command was appended without one (platform commands, ledgers older than decision 0010). */
  fingerprint: string | null;
}

/** Per-command outcome of `appendMany`: the command's AppendResult, or why it was not written. */
export type CommandAppendResult = { ok: true; result: AppendResult } | { ok: false; error: Error };

export interface ReadStreamOptions {
  fromRevision?: number; // inclusive, default 0 (forwards) / end (backwards)
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export interface EventFilter {
  eventTypes?: string[];
  streamPrefixes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: return events with position > afterPosition. Use 0 (or -1) for the start. */
  afterPosition: number;
  maxCount: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  afterPosition: number;
  filter?: EventFilter;
  /** Called with batches in position order; the next batch is not delivered until the promise settles. */
  onEvents: (events: RecordedEvent[]) => Promise<void>;
  onError?: (err: Error) => void;
  /**
   * The log has been read up to `position` and every event up to it that matches the filter was
   * delivered (and handled). With a filter, a subscriber never sees most events; this is how it still
   * knows it has caught up with the head (read-your-writes waits on it). Never called with a position
   * below one already delivered or reported.
   */
  onProgress?: (position: number) => void;
  batchSize?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

/** Optimistic-concurrency failure: the stream was not at the expected revision. Maps to HTTP 409. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

export interface EventStore {
  /**
   * Atomically appends to one or more streams, all-or-nothing, each checked against its expected revision.
   * Idempotent by commandId: if the commandId was appended before, nothing is written and the original
   * events are returned with duplicate=true (the expected revisions are not re-checked).
   * Returns only after the events are durable (an acknowledged append survives kill -9).
   * `fingerprint` (optional) is stored with the command in the same atomic write — not in any event — and
   * given back by readCommand and by a duplicate append's result.
   */
  append(appends: StreamAppend[], commandId: string, fingerprint?: string): Promise<AppendResult>;
  /**
   * OPTIONAL group commit (decision 0006): appends many commands, in order, in ONE durable transaction.
   * Each command keeps exactly the semantics of `append` (atomic across its streams, expected revisions,
   * idempotent by commandId, a part with no events is a pure revision check) and is isolated from the
   * others like a savepoint: a command that fails (ConcurrencyError, …) writes nothing and is reported in
   * its slot, and the commands after it still run (seeing everything the earlier ones wrote).
   * Rejects — with nothing written at all — only when the transaction itself fails (disk full, I/O error).
   * Resolves only after everything is durable. Adapters without it: see application/batch/append-many.ts,
   * which falls back to one `append` per command.
   */
  appendMany?(commands: CommandAppend[]): Promise<CommandAppendResult[]>;
  /** Events a commandId appended, or null if it never was. */
  readByCommandId(commandId: string): Promise<RecordedEvent[] | null>;
  /** What a commandId appended together with its stored fingerprint, or null if it never was appended. */
  readCommand(commandId: string): Promise<StoredCommand | null>;
  /** Events of one stream (empty array when it does not exist). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * OPTIONAL (decision 0018): several streams at once, each exactly as `readStream(streamId, { maxCount })`
   * returns it (forwards from revision 0), in the order asked — one query instead of one per stream, for
   * readers of many small streams (a proof bundle's 2,000). Without it: one readStream per stream.
   */
  readStreams?(streams: readonly { streamId: string; maxCount?: number }[]): Promise<RecordedEvent[][]>;
  /** Current revision of a stream, or 'no_stream'. */
  streamRevision(streamId: string): Promise<number | 'no_stream'>;
  /** Global log, in position order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log (0 when empty). */
  headPosition(): Promise<number>;
  /** Catch-up subscription: delivers history after `afterPosition`, then live events, in order. */
  subscribe(options: SubscribeOptions): Subscription;
  /**
   * OPTIONAL (decision 0018): `listener` is called synchronously after each durable commit with what it
   * appended, so a reader that folds the whole log (the Merkle log tree) can take the events from memory
   * instead of reading them back. Not called for a duplicate or a failed append. Returns the unsubscribe.
   * Adapters without it: readers read the log (readAll) as before.
   */
  observeAppends?(listener: (appended: AppendedEvents) => void): () => void;
  /** Lists stream ids with a prefix (for audit/verify); paging by `after` (exclusive, lexical). */
  listStreams(prefix: string, after: string | null, limit: number): Promise<string[]>;
  close(): Promise<void>;
}

/** What one commit appended, for `observeAppends` listeners. */
export interface AppendedEvents {
  /** Positions of the events written, in position order. */
  readonly positions: readonly number[];
  /** The events exactly as readAll would return them (decoded on demand from the bytes just written). */
  read(): RecordedEvent[];
}

/** A duplicate append's answer: the stored command's events, and its fingerprint when it has one. */
export function duplicateOf(stored: StoredCommand): AppendResult {
  return { duplicate: true, events: stored.events, ...(stored.fingerprint !== null ? { fingerprint: stored.fingerprint } : {}) };
}

export const EVENT_STORE = Symbol('EventStore');
