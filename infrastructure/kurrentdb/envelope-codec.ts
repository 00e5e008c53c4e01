import type { EventData, JSONType, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import type { EventEnvelope, RecordedEvent } from '../../application/ports/event-store';

/**
 * EventEnvelope ↔ KurrentDB event.
 *
 * What KurrentDB records itself is not repeated: the event id (= envelope.eventId, a UUID v7), the type,
 * the stream and the revision. `data` is the event body. Everything else of the envelope goes into the
 * event's metadata — as a flat object of *string* values, because that is what KurrentDB's multi-stream
 * append accepts (the actor is nested JSON, the schema version a decimal string). `$correlationId` and
 * `$causationId` are KurrentDB's own conventional keys, so its by-correlation projections work too.
 * The position is the event's commit position in `$all` (a byte offset: increasing, not contiguous).
 */
export type EnvelopeMetadata = Record<string, string>;

export function toEventData(envelope: EventEnvelope): EventData {
  const metadata: EnvelopeMetadata = {
    schemaVersion: String(envelope.schemaVersion),
    occurredAt: envelope.occurredAt,
    recordedAt: envelope.recordedAt,
    actor: JSON.stringify(envelope.actor),
    commandId: envelope.commandId,
    correlationId: envelope.correlationId,
    $correlationId: envelope.correlationId,
    prevHash: envelope.prevHash,
    hash: envelope.hash,
  };
  if (envelope.causationId !== null) {
    metadata.causationId = envelope.causationId;
    metadata.$causationId = envelope.causationId;
  }
  return {
    id: envelope.eventId,
    contentType: 'application/json',
    type: envelope.type,
    data: envelope.data as JSONType,
    metadata,
  };
}

export function fromKurrentEvent(event: KurrentRecordedEvent): RecordedEvent {
  if (!event.isJson)
    throw new Error(`Event ${event.id} in ${event.streamId} is not JSON; not written by Suyuan`);
  if (!event.position)
    throw new Error(`Event ${event.id} in ${event.streamId} has no position (KurrentDB too old?)`);
  const metadata = readMetadata(event);
  const text = (key: string): string => {
    const value = metadata[key];
    if (typeof value !== 'string')
      throw new Error(`Event ${event.id} in ${event.streamId}: metadata "${key}" missing`);
    return value;
  };
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: Number(text('schemaVersion')),
    streamId: event.streamId,
    revision: toSafeNumber(event.revision, 'revision'),
    occurredAt: text('occurredAt'),
    recordedAt: text('recordedAt'),
    actor: JSON.parse(text('actor')),
    commandId: text('commandId'),
    correlationId: text('correlationId'),
    causationId: typeof metadata.causationId === 'string' ? metadata.causationId : null,
    data: event.data as Record<string, unknown>,
    prevHash: text('prevHash'),
    hash: text('hash'),
    position: toSafeNumber(event.position.commit, 'position'),
  };
}

function readMetadata(event: KurrentRecordedEvent): Record<string, unknown> {
  const raw = event.metadata as unknown;
  if (raw instanceof Uint8Array)
    return raw.length === 0 ? {} : (JSON.parse(Buffer.from(raw).toString('utf8')) as Record<string, unknown>);
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw === 'string' && raw !== '') return JSON.parse(raw) as Record<string, unknown>;
  return {};
}

/** Log positions are byte offsets: far below 2^53 for any real log, but checked rather than assumed. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`KurrentDB ${what} ${value} exceeds 2^53`);
  return Number(value);
}
