import { hash as sha256Once } from 'node:crypto';
import { canonicalJsonWithout } from './canonical-json';
import type { EventEnvelope, RecordedEvent } from '../ports/event-store';

/** Hash of "nothing before": the prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash covers the RFC 8785 canonical JSON of the whole envelope except `hash` itself and the
 * store-assigned `position` (the position is not known before the append, and KurrentDB assigns it
 * differently from SQLite — the chain must verify on either).
 */
export function computeEventHash(event: Omit<EventEnvelope, 'hash'> & { hash?: string; position?: number }): string {
  // One-shot SHA-256 (same digest as createHash().update(s, 'utf8')): a Hash object per event was a tenth of
  // whole-ledger verification (issue 18 profile).
  return sha256Once('sha256', canonicalEventJson(event), 'hex');
}

const NOT_HASHED: ReadonlySet<string> = new Set(['hash', 'position']);

/** The bytes an event's hash covers: its canonical JSON (RFC 8785) without `hash` and `position`. */
export function canonicalEventJson(event: Omit<EventEnvelope, 'hash'> & { hash?: string; position?: number }): string {
  return canonicalJsonWithout(event as unknown as Record<string, unknown>, NOT_HASHED);
}

export interface ChainBreak {
  streamId: string;
  revision: number;
  eventId: string;
  position: number;
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap';
}

/**
 * Verifies one stream's events (in revision order, starting at revision 0):
 * every event's hash recomputes, links to its predecessor, and revisions are contiguous.
 */
export function verifyStreamChain(events: RecordedEvent[]): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectedRevision = 0;
  for (const e of events) {
    const at = { streamId: e.streamId, revision: e.revision, eventId: e.eventId, position: e.position };
    if (e.revision !== expectedRevision) return { ...at, reason: 'revision-gap' };
    if (e.prevHash !== prev) return { ...at, reason: 'prev-hash-mismatch' };
    if (computeEventHash(e) !== e.hash) return { ...at, reason: 'hash-mismatch' };
    prev = e.hash;
    expectedRevision++;
  }
  return null;
}

/**
 * Streaming verifier over the global log: feed events in position order; it keeps the last hash of
 * each stream so the whole ledger is checked in one pass without loading it all.
 */
export class LedgerChainVerifier {
  private readonly heads = new Map<string, { hash: string; revision: number }>();
  eventsChecked = 0;
  readonly breaks: ChainBreak[] = [];

  feed(e: RecordedEvent): void {
    this.eventsChecked++;
    const head = this.heads.get(e.streamId) ?? { hash: GENESIS_HASH, revision: -1 };
    const at = { streamId: e.streamId, revision: e.revision, eventId: e.eventId, position: e.position };
    if (e.revision !== head.revision + 1) this.breaks.push({ ...at, reason: 'revision-gap' });
    else if (e.prevHash !== head.hash) this.breaks.push({ ...at, reason: 'prev-hash-mismatch' });
    else if (computeEventHash(e) !== e.hash) this.breaks.push({ ...at, reason: 'hash-mismatch' });
    this.heads.set(e.streamId, { hash: e.hash, revision: e.revision });
  }

  get streamsChecked(): number {
    return this.heads.size;
  }
}
