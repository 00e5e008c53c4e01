import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope, ExpectedRevision, StreamAppend } from '../../../application/ports/event-store';

const GENESIS = '0'.repeat(64);

/** Envelopes as the Ledger would build them; the hash is a stand-in (stores do not verify it). */
export function envelopes(
  streamId: string,
  firstRevision: number,
  commandId: string,
  events: { type: string; data?: Record<string, unknown> }[],
): EventEnvelope[] {
  let prevHash = GENESIS;
  return events.map((e, i) => {
    const envelope: EventEnvelope = {
      eventId: uuidv7(),
      type: e.type,
      schemaVersion: 1,
      streamId,
      revision: firstRevision + i,
      occurredAt: '2025-03-01T08:00:00.000Z',
      recordedAt: new Date().toISOString(),
      actor: { userId: 'u-contract', orgId: 'org-contract', role: 'producer', regionCode: '460105' },
      commandId,
      correlationId: commandId,
      causationId: null,
      data: e.data ?? {},
      prevHash,
      hash: '',
    };
    envelope.hash = createHash('sha256').update(JSON.stringify(envelope)).digest('hex');
    prevHash = envelope.hash;
    return envelope;
  });
}

/** One stream part of an append: `count` events of `type` starting at the revision after `expected`. */
export function part(
  streamId: string,
  expectedRevision: ExpectedRevision,
  commandId: string,
  types: string[],
  firstRevision = typeof expectedRevision === 'number' ? expectedRevision + 1 : 0,
): StreamAppend {
  return {
    streamId,
    expectedRevision,
    events: envelopes(
      streamId,
      firstRevision,
      commandId,
      types.map((type, i) => ({ type, data: { n: i, note: `${type} #${i}` } })),
    ),
  };
}

export function newCommandId(): string {
  return uuidv7();
}
