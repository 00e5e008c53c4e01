import type { EventStore } from '../ports/event-store';
import { LedgerChainVerifier, verifyStreamChain, type ChainBreak } from '../ledger/event-hash';

export interface VerificationReport {
  ok: boolean;
  scope: 'ledger' | 'stream';
  streamId?: string;
  eventsChecked: number;
  streamsChecked: number;
  headPosition: number;
  /** The first breaks found (at most 100), in log order. */
  breaks: ChainBreak[];
  checkedAt: string;
}

/**
 * Re-hashes every event and checks each stream's chain (revision continuity + prevHash links).
 * The whole ledger is checked in one pass over the global log, in batches, keeping only each stream's head.
 */
export async function verifyLedger(store: EventStore, now: Date, streamId?: string): Promise<VerificationReport> {
  const headPosition = await store.headPosition();
  if (streamId) {
    const events = await store.readStream(streamId);
    const brk = verifyStreamChain(events);
    return {
      ok: brk === null,
      scope: 'stream',
      streamId,
      eventsChecked: events.length,
      streamsChecked: events.length ? 1 : 0,
      headPosition,
      breaks: brk ? [brk] : [],
      checkedAt: now.toISOString(),
    };
  }
  const verifier = new LedgerChainVerifier();
  let after = 0;
  for (;;) {
    const batch = await store.readAll({ afterPosition: after, maxCount: 2000 });
    if (batch.length === 0) break;
    for (const e of batch) if (e.position <= headPosition) verifier.feed(e);
    after = batch[batch.length - 1]!.position;
    if (after >= headPosition) break;
  }
  return {
    ok: verifier.breaks.length === 0,
    scope: 'ledger',
    eventsChecked: verifier.eventsChecked,
    streamsChecked: verifier.streamsChecked,
    headPosition,
    breaks: verifier.breaks.slice(0, 100),
    checkedAt: now.toISOString(),
  };
}
