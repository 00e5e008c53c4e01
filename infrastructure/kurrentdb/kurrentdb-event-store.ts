import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  UnsupportedError,
  WrongExpectedVersionError,
  type AppendStreamRequest,
  type EventData,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import {
  duplicateOf,
  type AppendResult,
  type EventFilter,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredCommand,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../../application/ports/event-store';
import { conflictError, planAppend, streamsNeedingLookup, type PlannedStream } from './append-plan';
import { fromKurrentEvent, toEventData, toSafeNumber } from './envelope-codec';
import { KurrentDbCatchUpSubscription } from './kurrentdb-subscription';
import {
  COMMAND_MARKER_PREFIX,
  COMMAND_MARKER_TYPE,
  isDomainEvent,
  matchesFilter,
  serverFilter,
} from './log-filter';

/** gRPC status UNIMPLEMENTED: the server predates the called API (multi-stream append needs KurrentDB 25.1+). */
const GRPC_UNIMPLEMENTED = 12;
const READ_ALL_PAGE = 512;

export interface KurrentDbEventStoreOptions {
  /**
   * 'auto' (default): atomic multi-stream append when the server has it (KurrentDB ≥ 25.1), else the
   * sequential fallback; 'off': always the fallback (see append()).
   */
  multiStreamAppend?: 'auto' | 'off';
  /** Called once when the server turns out not to support multi-stream append. */
  onDegraded?: (message: string) => void;
}

/** Data of the command marker: which revisions of which streams the command wrote, in append order. */
interface CommandMarker {
  commandId: string;
  streams: { streamId: string; fromRevision: number; count: number }[];
  /** The request fingerprint (decision 0010); absent in markers written without one. */
  fingerprint?: string;
}

/**
 * The EventStore on KurrentDB (EventStoreDB), through the official gRPC client.
 *
 * Atomic multi-stream append: all stream parts of a command and its *command marker* go in ONE
 * `multiStreamAppend` (KurrentDB ≥ 25.1), each part with an exact expected state (append-plan.ts).
 *
 * Idempotency by commandId: the marker is a one-event stream `cmd-{commandId}` appended with `no_stream`
 * in that same atomic append. A second append of the same command therefore cannot write anything: if
 * the marker already exists the whole append is rejected. Before appending, the marker is looked up; if
 * it is there the original events are returned with duplicate=true. If two duplicates race, the loser's
 * conflict (on the marker or on a domain stream) is resolved by looking the marker up again. The marker
 * also answers readByCommandId / readCommand without a scan, and keeps the request fingerprint (decision 0010). (Deterministic event ids would not do: KurrentDB's own
 * id-based idempotency is best-effort — it depends on the expected version and a bounded cache.)
 *
 * Fallback for servers without multi-stream append: the parts are appended one by one, each with its
 * exact expected state, and the marker last. A single-stream command is then still atomic and
 * idempotent; a multi-stream command is NOT atomic — a failure or crash between parts leaves the earlier
 * parts written without a marker (a retry is then rejected by the expected revisions, so nothing is
 * duplicated, but the command is half-applied). Use KurrentDB 25.1+ (docker-compose.yml does).
 *
 * Positions are `$all` commit positions (byte offsets), compared as numbers; system events and markers
 * are never returned by readAll/subscribe/headPosition.
 */
export class KurrentDbEventStore implements EventStore {
  private multiStreamSupported: boolean;
  private readonly subscriptions = new Set<KurrentDbCatchUpSubscription>();
  private closed = false;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions = {},
  ) {
    this.multiStreamSupported = options.multiStreamAppend !== 'off';
  }

  /** `url` is a KurrentDB connection string, e.g. `kurrentdb://localhost:2113?tls=false`. */
  static async connect(url: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const store = new KurrentDbEventStore(KurrentDBClient.connectionString`${url}`, options);
    await store.headPosition(); // fail fast on a wrong URL or credentials
    return store;
  }

  async append(appends: StreamAppend[], commandId: string, fingerprint?: string): Promise<AppendResult> {
    this.assertOpen();
    const original = await this.readCommand(commandId);
    if (original) return duplicateOf(original);

    const lookups = new Map<string, number | 'no_stream'>();
    for (const streamId of streamsNeedingLookup(appends))
      lookups.set(streamId, await this.streamRevision(streamId));
    const plan = planAppend(appends, commandId, lookups);
    // A command that writes nothing leaves no trace (as in the SQLite adapter).
    if (plan.length === 0) return { duplicate: false, events: [] };

    try {
      await this.write(plan, commandId, fingerprint);
    } catch (err) {
      if (!(err instanceof WrongExpectedVersionError)) throw err;
      // Lost a race against the same command (marker exists) or against another writer.
      const raced = await this.readCommand(commandId);
      if (raced) return duplicateOf(raced);
      const stream = plan.find((p) => p.streamId === err.streamName);
      if (!stream) throw err;
      throw conflictError(
        stream,
        err.actualState === 'no_stream' ? 'no_stream' : toSafeNumber(err.actualState, 'revision'),
      );
    }
    return { duplicate: false, events: await this.readPlanned(plan.map(toMarkerEntry)) };
  }

  async readByCommandId(commandId: string): Promise<RecordedEvent[] | null> {
    return (await this.readCommand(commandId))?.events ?? null;
  }

  /** The command marker names the command's events and holds its fingerprint (written atomically with them). */
  async readCommand(commandId: string): Promise<StoredCommand | null> {
    this.assertOpen();
    const [marker] = await this.readRaw(markerStream(commandId), { maxCount: 1 });
    if (!marker || marker.type !== COMMAND_MARKER_TYPE) return null;
    const data = marker.data as unknown as CommandMarker;
    return { events: await this.readPlanned(data.streams), fingerprint: typeof data.fingerprint === 'string' ? data.fingerprint : null };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const events = await this.readRaw(streamId, options);
    return events.map(fromKurrentEvent);
  }

  async streamRevision(streamId: string): Promise<number | 'no_stream'> {
    this.assertOpen();
    const [last] = await this.readRaw(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? toSafeNumber(last.revision, 'revision') : 'no_stream';
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const out: RecordedEvent[] = [];
    if (options.maxCount <= 0) return out;
    // Reads from a position are inclusive and the client filter may drop events, so read pages from the
    // last position seen and skip what is at or below it, until maxCount matched or the log ends.
    let cursor = Math.max(0, options.afterPosition);
    const filter = serverFilter(options.filter);
    for (;;) {
      const pageSize = Math.min(READ_ALL_PAGE, options.maxCount - out.length + 1);
      let seen = 0;
      for await (const resolved of this.client.readAll({
        fromPosition: positionOf(cursor),
        maxCount: pageSize,
        direction: FORWARDS,
        filter,
        resolveLinkTos: false,
      })) {
        seen++;
        const event = resolved.event;
        if (!event) continue;
        const position = toSafeNumber(event.position.commit, 'position');
        if (position <= cursor) continue;
        cursor = position;
        if (!matchesFilter(event, options.filter)) continue;
        out.push(fromKurrentEvent(event));
        if (out.length >= options.maxCount) return out;
      }
      if (seen < pageSize) return out;
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    for await (const resolved of this.client.readAll({
      fromPosition: END,
      direction: BACKWARDS,
      maxCount: 1,
      filter: serverFilter(undefined),
    })) {
      if (resolved.event) return toSafeNumber(resolved.event.position.commit, 'position');
    }
    return 0;
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new KurrentDbCatchUpSubscription(this.client, options, (s) =>
      this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * KurrentDB has no index of stream names without the `$streams` system projection, which a deployment
   * may not run; so this scans `$all` (server-side prefix filter) for first events (revision 0). Cost grows
   * with the number of events under the prefix — fine for audit/verify, not for hot paths.
   */
  async listStreams(prefix: string, after: string | null, limit: number): Promise<string[]> {
    this.assertOpen();
    const filter: EventFilter | undefined = prefix === '' ? undefined : { streamPrefixes: [prefix] };
    const names = new Set<string>();
    for await (const resolved of this.client.readAll({
      fromPosition: START,
      direction: FORWARDS,
      filter: serverFilter(filter),
      maxCount: Number.MAX_SAFE_INTEGER,
    })) {
      const event = resolved.event;
      if (
        !event ||
        BigInt(event.revision) !== 0n ||
        !isDomainEvent(event) ||
        !event.streamId.startsWith(prefix)
      )
        continue;
      if (after === null || event.streamId > after) names.add(event.streamId);
    }
    return [...names].sort().slice(0, Math.max(0, limit));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async write(plan: PlannedStream[], commandId: string, fingerprint: string | undefined): Promise<void> {
    const requests: AppendStreamRequest[] = plan.map((stream) => ({
      streamName: stream.streamId,
      expectedState: stream.expectedState,
      events: stream.events.map(toEventData),
    }));
    const marker: AppendStreamRequest = {
      streamName: markerStream(commandId),
      expectedState: 'no_stream',
      events: [markerEvent(commandId, plan, fingerprint)],
    };
    if (this.multiStreamSupported) {
      try {
        await this.client.multiStreamAppend([...requests, marker]);
        return;
      } catch (err) {
        if (!isUnimplemented(err)) throw err;
        this.multiStreamSupported = false;
        this.options.onDegraded?.(
          'KurrentDB server has no multi-stream append (needs 25.1+): multi-stream commands are appended stream by stream, NOT atomically',
        );
      }
    }
    // Fallback: one append per stream, the marker last (see the class comment for what this gives up).
    for (const request of [...requests, marker]) {
      await this.client.appendToStream(request.streamName, request.events, {
        streamState: request.expectedState,
      });
    }
  }

  /** The events of (streamId, fromRevision, count) entries, in log order. */
  private async readPlanned(entries: CommandMarker['streams']): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (const entry of entries) {
      events.push(
        ...(await this.readStream(entry.streamId, {
          fromRevision: entry.fromRevision,
          maxCount: entry.count,
        })),
      );
    }
    return events.sort((a, b) => a.position - b.position);
  }

  private async readRaw(streamId: string, options: ReadStreamOptions) {
    const backwards = options.direction === 'backwards';
    const fromRevision =
      options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START;
    const events = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision,
        direction: backwards ? BACKWARDS : FORWARDS,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
        resolveLinkTos: false,
        // Appends read their own writes back (positions, duplicates): never from a lagging follower.
        requiresLeader: true,
      })) {
        if (resolved.event) events.push(resolved.event);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return [];
      throw err;
    }
    return events;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('KurrentDbEventStore is closed');
  }
}

export function markerStream(commandId: string): string {
  return `${COMMAND_MARKER_PREFIX}${commandId}`;
}

function toMarkerEntry(stream: PlannedStream): CommandMarker['streams'][number] {
  return { streamId: stream.streamId, fromRevision: stream.fromRevision, count: stream.events.length };
}

function markerEvent(commandId: string, plan: PlannedStream[], fingerprint: string | undefined): EventData {
  const data: CommandMarker = { commandId, streams: plan.map(toMarkerEntry), ...(fingerprint !== undefined ? { fingerprint } : {}) };
  return {
    id: crypto.randomUUID(),
    contentType: 'application/json',
    type: COMMAND_MARKER_TYPE,
    data: data as unknown as Record<string, unknown>,
    metadata: { commandId },
  };
}

/** A port position as a KurrentDB read position (0 and below = the start of the log). */
function positionOf(position: number): ReadPosition {
  return position > 0 ? { commit: BigInt(position), prepare: BigInt(position) } : START;
}

function isUnimplemented(err: unknown): boolean {
  if (err instanceof UnsupportedError) return true;
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === GRPC_UNIMPLEMENTED;
}
