import type { Actor } from '../../domain/shared/actor';
import type { DomainEvent } from '../../domain/shared/event';
import type { Clock, IdGenerator } from '../ports/clock';
import {
  ConcurrencyError,
  type AppendResult,
  type EventEnvelope,
  type EventStore,
  type RecordedEvent,
  type StoredCommand,
  type StreamAppend,
} from '../ports/event-store';
import type { ClientKey, RequestFingerprint } from './idempotency';
import type { Decider } from '../../domain/shared/decider';
import { withStreamCache } from './cached-event-store';
import { PENDING_HASH_PREFIX } from './chain-hasher';
import { computeEventHash, GENESIS_HASH } from './event-hash';
import { streamStates } from './stream-state-cache';
import { upcast } from './registered-upcasters';

/** A stream as loaded for a decision: its folded state plus what the next append must expect. */
export interface LoadedStream<S> {
  streamId: string;
  state: S;
  revision: number | 'no_stream';
  lastHash: string;
  events: RecordedEvent[];
}

export interface CommandMeta {
  /** The stored id: `client:…` (a scoped client key), `system:…`, or a fresh UUID (decision 0010). */
  commandId: string;
  /**
   * A request's own key, not yet scoped to caller and command type. The gateway (or the batch) scopes it
   * before the handler runs (idempotency.ts scopeCommand); runCommand refuses a meta that still has one.
   */
  clientKey?: ClientKey;
  /** Set once a client key is scoped: a replay must match this fingerprint, or it is a reuse (422). */
  request?: RequestFingerprint;
  actor: Actor;
  correlationId?: string;
  causationId?: string | null;
  /** Business time when it differs from the time of recording (e.g. a back-dated hand entry). */
  occurredAt?: Date;
}

export interface StreamWrite {
  stream: Pick<LoadedStream<unknown>, 'streamId' | 'revision' | 'lastHash'>;
  events: DomainEvent[];
}

/** Schema version of every event type written today; bump it together with an upcaster for the old one. */
const CURRENT_SCHEMA_VERSION = 1;

/**
 * The write side's only door to the event store: load → (caller decides) → commit with expected revisions.
 * It builds the envelope (ids, times, actor, correlation, hash chain) so deciders stay pure.
 */
export class Ledger {
  /** Where streams are read to decide and commands appended: the store behind its stream cache (decision 0020). */
  private readonly streams: EventStore;
  private readonly deferHashes: boolean;
  private pendingHashes = 0;

  /**
   * `cacheStreams: false` for a store that caches itself and holds uncommitted events (a batch's staging
   * store, which sits on the cached view already). `deferHashes`: envelopes get placeholder hashes that
   * the batch fills in before its group commit (chain-hasher.ts sealChains) — only for a store that
   * stages instead of writing.
   */
  constructor(
    readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    options: { cacheStreams?: boolean; deferHashes?: boolean } = {},
  ) {
    this.streams = options.cacheStreams === false ? store : withStreamCache(store);
    this.deferHashes = options.deferHashes === true;
  }

  async load<C, E extends DomainEvent, S, Ctx>(streamId: string, decider: Decider<C, E, S, Ctx>): Promise<LoadedStream<S>> {
    const events = (await this.streams.readStream(streamId)).map(upcast);
    const evolve = (state: S, e: RecordedEvent) => decider.evolve(state, { type: e.type, data: e.data } as E);
    const state = streamStates.fold(streamId, decider, events, () => decider.initialState(), evolve);
    const last = events[events.length - 1];
    return {
      streamId,
      state,
      revision: last ? last.revision : 'no_stream',
      lastHash: last ? last.hash : GENESIS_HASH,
      events,
    };
  }

  /**
   * Loads a stream whose state is a function of its LAST event alone (a counter whose events carry the new
   * value, like lot numbering): one event read instead of the whole stream, however long it has grown.
   */
  async loadLatest<C, E extends DomainEvent, S, Ctx>(streamId: string, decider: Decider<C, E, S, Ctx>): Promise<LoadedStream<S>> {
    const last = await this.lastEvent(streamId);
    const state = last ? decider.evolve(decider.initialState(), { type: last.type, data: last.data } as E) : decider.initialState();
    return { ...this.headOf(streamId, last), state, events: last ? [last] : [] };
  }

  /** Just what an append needs (revision, last hash), without folding the stream: for append-only logs. */
  async head(streamId: string): Promise<StreamWrite['stream']> {
    return this.headOf(streamId, await this.lastEvent(streamId));
  }

  private async lastEvent(streamId: string): Promise<RecordedEvent | undefined> {
    const [last] = await this.streams.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? upcast(last) : undefined;
  }

  private headOf(streamId: string, last: RecordedEvent | undefined): StreamWrite['stream'] {
    return { streamId, revision: last ? last.revision : 'no_stream', lastHash: last ? last.hash : GENESIS_HASH };
  }

  /** A stream that must not exist yet (new aggregate); the append fails with ConcurrencyError if it does. */
  fresh(streamId: string): StreamWrite['stream'] {
    return { streamId, revision: 'no_stream', lastHash: GENESIS_HASH };
  }

  /** What this command appended before (idempotent retry), with the stored request fingerprint, or null. */
  previous(commandId: string): Promise<StoredCommand | null> {
    return this.store.readCommand(commandId);
  }

  async commit(writes: StreamWrite[], meta: CommandMeta): Promise<AppendResult> {
    assertScoped(meta);
    const recordedAt = this.clock.now().toISOString();
    const occurredAt = (meta.occurredAt ?? this.clock.now()).toISOString();
    const correlationId = meta.correlationId ?? meta.commandId;
    const appends: StreamAppend[] = writes
      .filter((w) => w.events.length > 0)
      .map(({ stream, events }) => {
        let prevHash = stream.lastHash;
        let revision = stream.revision === 'no_stream' ? 0 : stream.revision + 1;
        const envelopes = events.map((e): EventEnvelope => {
          const unhashed = {
            eventId: this.ids.uuid(),
            type: e.type,
            schemaVersion: CURRENT_SCHEMA_VERSION,
            streamId: stream.streamId,
            revision: revision++,
            occurredAt,
            recordedAt,
            actor: meta.actor,
            commandId: meta.commandId,
            correlationId,
            causationId: meta.causationId ?? null,
            data: e.data as Record<string, unknown>,
            prevHash,
          };
          const hash = this.deferHashes ? `${PENDING_HASH_PREFIX}${++this.pendingHashes}` : computeEventHash(unhashed);
          prevHash = hash;
          return { ...unhashed, hash };
        });
        return { streamId: stream.streamId, expectedRevision: stream.revision, events: envelopes };
      });
    return this.streams.append(appends, meta.commandId, meta.request?.fingerprint);
  }
}

/** A client key reaches the store only scoped (decision 0010); an unscoped one is a wiring bug, never stored raw. */
export function assertScoped(meta: CommandMeta): void {
  if (meta.clientKey) throw new Error(`command ${meta.commandId}: its client key was not scoped to caller and command type (see idempotency.ts)`);
}

/**
 * Optimistic concurrency: on a conflicting append, reload and decide again. After `attempts`
 * tries the ConcurrencyError goes to the caller (HTTP 409) — contention that high is worth seeing.
 */
export async function withConcurrencyRetry<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * i));
    }
  }
}
