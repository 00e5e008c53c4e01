import * as lots from '../../domain/lots';
import * as registration from '../../domain/registration';
import type { Decider } from '../../domain/shared/decider';
import { ValidationError } from '../../domain/shared/errors';
import * as transfers from '../../domain/transfers';
import { QUALITY_DECIDERS } from '../quality/stream-deciders';
import type { EventStore, RecordedEvent } from '../ports/event-store';
import { verifyStreamChain, type ChainBreak } from '../ledger/event-hash';
import { upcast } from '../ledger/registered-upcasters';

/** Which decider folds a stream, by its id prefix (DESIGN.md stream names). */
const DECIDERS: [prefix: string, decider: Decider<any, any, any, any>][] = [
  ['entity-', registration.decider],
  ['lot-', lots.decider],
  ['transfer-', transfers.decider],
  ['lotseq-', lots.lotSequence.decider],
  ...QUALITY_DECIDERS,
];

export interface StreamHistory {
  streamId: string;
  asOf: string | null;
  /** Events recorded up to asOf (all when asOf is absent). */
  events: RecordedEvent[];
  /** The aggregate's state folded from exactly those events (null for streams without a decider). */
  state: unknown;
  revision: number | null;
  totalEvents: number;
  integrity: { ok: boolean; break: ChainBreak | null };
}

/**
 * An auditor's replay: the stream's full history and the state as the ledger knew it at `asOf`
 * (events *recorded* up to then — the platform's knowledge, not back-dated business time).
 * Integrity is checked over the whole stream, so a rewrite after `asOf` is still caught.
 */
export async function streamHistory(store: EventStore, streamId: string, asOf?: string): Promise<StreamHistory | null> {
  let cutoff: number | null = null;
  if (asOf !== undefined) {
    cutoff = Date.parse(asOf);
    if (Number.isNaN(cutoff)) throw new ValidationError('asOf', 'asOf must be an ISO-8601 date-time');
  }
  const all = await store.readStream(streamId);
  if (all.length === 0) return null;
  const events = cutoff === null ? all : all.filter((e) => Date.parse(e.recordedAt) <= cutoff!);
  const decider = DECIDERS.find(([prefix]) => streamId.startsWith(prefix))?.[1];
  const state = decider ? events.map(upcast).reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data }), decider.initialState()) : null;
  const brk = verifyStreamChain(all);
  return {
    streamId,
    asOf: cutoff === null ? null : new Date(cutoff).toISOString(),
    events,
    state,
    revision: events.length ? events[events.length - 1]!.revision : null,
    totalEvents: all.length,
    integrity: { ok: brk === null, break: brk },
  };
}
