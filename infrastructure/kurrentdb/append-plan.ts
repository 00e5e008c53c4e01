import {
  ConcurrencyError,
  type EventEnvelope,
  type ExpectedRevision,
  type StreamAppend,
} from '../../application/ports/event-store';

/**
 * Turns the port's StreamAppends into what is sent to KurrentDB, before anything is written.
 *
 * The envelopes already carry their revisions (the writer computed them, and the hash chain covers them),
 * so every stream part can be sent with an *exact* expected state: `no_stream` when its first event is
 * revision 0, else revision − 1. That makes 'any' and 'stream_exists' as strict as the SQLite adapter
 * (which rejects an envelope whose revision is not the stream's next), and it means the revisions every
 * event will get are known before the append — which is what the command marker records.
 *
 * What cannot be decided from the envelopes alone needs the stream's current revision (`lookups`):
 * 'stream_exists' with a first revision of 0, and parts without events (pure revision checks).
 */
export type ServerExpectedState = 'no_stream' | bigint;

export interface PlannedStream {
  streamId: string;
  /** What the caller asked for (used to word errors). */
  declared: ExpectedRevision;
  expectedState: ServerExpectedState;
  fromRevision: number;
  events: EventEnvelope[];
}

export type RevisionLookup = ReadonlyMap<string, number | 'no_stream'>;

/** Streams whose current revision planAppend needs. */
export function streamsNeedingLookup(appends: StreamAppend[]): string[] {
  const needed = new Set<string>();
  for (const part of appends) {
    const first = part.events[0];
    if (!first || (part.expectedRevision === 'stream_exists' && first.revision === 0))
      needed.add(part.streamId);
  }
  return [...needed];
}

export function planAppend(
  appends: StreamAppend[],
  commandId: string,
  lookups: RevisionLookup,
): PlannedStream[] {
  const planned: PlannedStream[] = [];
  const byStream = new Map<string, PlannedStream>();

  for (const part of appends) {
    checkEnvelopes(part, commandId);
    const previous = byStream.get(part.streamId);
    if (previous) {
      // The same stream named twice: the later part continues where the earlier one ends (as in SQLite).
      const running = previous.fromRevision + previous.events.length - 1;
      checkDeclared(part.streamId, part.expectedRevision, running < 0 ? 'no_stream' : running);
      if (part.events.length > 0) {
        if (part.events[0]!.revision !== running + 1)
          throw revisionBug(part.streamId, part.events[0]!, running + 1);
        previous.events.push(...part.events);
      }
      continue;
    }

    const first = part.events[0];
    if (!first) {
      // A pure revision check: nothing to write for this stream.
      checkDeclared(part.streamId, part.expectedRevision, lookup(lookups, part.streamId));
      continue;
    }
    const stream: PlannedStream = {
      streamId: part.streamId,
      declared: part.expectedRevision,
      expectedState: expectedStateFor(part.streamId, part.expectedRevision, first, lookups),
      fromRevision: first.revision,
      events: [...part.events],
    };
    planned.push(stream);
    byStream.set(part.streamId, stream);
  }
  return planned;
}

function expectedStateFor(
  streamId: string,
  declared: ExpectedRevision,
  first: EventEnvelope,
  lookups: RevisionLookup,
): ServerExpectedState {
  const exact: ServerExpectedState = first.revision === 0 ? 'no_stream' : BigInt(first.revision - 1);
  if (typeof declared === 'number') {
    if (first.revision !== declared + 1) throw revisionBug(streamId, first, declared + 1);
    return exact;
  }
  switch (declared) {
    case 'no_stream':
      if (first.revision !== 0) throw revisionBug(streamId, first, 0);
      return exact;
    case 'stream_exists':
      if (first.revision === 0) {
        const actual = lookup(lookups, streamId);
        if (actual === 'no_stream') throw new ConcurrencyError(streamId, 'stream_exists', 'no_stream');
        throw revisionBug(streamId, first, actual + 1);
      }
      return exact;
    case 'any':
      return exact;
  }
}

/** The port's expected-revision rule, for checks made here rather than by the server. */
export function checkDeclared(
  streamId: string,
  declared: ExpectedRevision,
  actual: number | 'no_stream',
): void {
  const ok =
    declared === 'any' ||
    (declared === 'no_stream' && actual === 'no_stream') ||
    (declared === 'stream_exists' && actual !== 'no_stream') ||
    (typeof declared === 'number' && declared === actual);
  if (!ok) throw new ConcurrencyError(streamId, declared, actual);
}

/**
 * The server refused a part (wrong expected version). For numeric and 'no_stream' expectations that is a
 * concurrency conflict; for 'stream_exists' only when the stream is missing; otherwise the envelopes' own
 * revisions were wrong (computed from stale state), which is a writer bug — as in the SQLite adapter.
 */
export function conflictError(stream: PlannedStream, actual: number | 'no_stream'): Error {
  const { declared, streamId } = stream;
  if (typeof declared === 'number' || declared === 'no_stream')
    return new ConcurrencyError(streamId, declared, actual);
  if (declared === 'stream_exists' && actual === 'no_stream')
    return new ConcurrencyError(streamId, declared, actual);
  return new Error(
    `Stream ${streamId}: events start at revision ${stream.fromRevision} but the stream is at ${String(actual)} ` +
      `(expected '${declared}'); the writer computed revisions from stale state`,
  );
}

function checkEnvelopes(part: StreamAppend, commandId: string): void {
  part.events.forEach((event, i) => {
    if (event.streamId !== part.streamId) {
      throw new Error(
        `Event ${event.eventId} names stream ${event.streamId} but is appended to ${part.streamId}`,
      );
    }
    if (event.commandId !== commandId) {
      throw new Error(
        `Event ${event.eventId} carries commandId ${event.commandId} but is appended by ${commandId}`,
      );
    }
    if (i > 0 && event.revision !== part.events[i - 1]!.revision + 1) {
      throw new Error(
        `Event ${event.eventId} in ${part.streamId}: revisions within a part must be consecutive`,
      );
    }
  });
}

function revisionBug(streamId: string, event: EventEnvelope, next: number): Error {
  return new Error(
    `Event ${event.eventId} in ${streamId} has revision ${event.revision}, the stream's next is ${next}`,
  );
}

function lookup(lookups: RevisionLookup, streamId: string): number | 'no_stream' {
  const value = lookups.get(streamId);
  if (value === undefined) throw new Error(`planAppend: revision of ${streamId} was not looked up`);
  return value;
}
