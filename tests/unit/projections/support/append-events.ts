import type { Ledger } from '../../../../application/ledger/ledger';
import { SYSTEM_ACTOR } from '../../../../domain/shared/actor';

/** Appends n events of one type to a stream, one commit each (the runner specs' log builder). */
export async function appendEvents(ledger: Ledger, streamId: string, type: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const head = await ledger.head(streamId);
    await ledger.commit([{ stream: head, events: [{ type, data: { i } }] }], { commandId: `${streamId}-${type}-${i}-${Math.random()}`, actor: SYSTEM_ACTOR });
  }
}
