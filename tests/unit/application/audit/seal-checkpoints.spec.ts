import { MAX_EVENTS_PER_CHECKPOINT, readCheckpoints, sealRangeCheckpoints as sealCheckpoints } from '../../../../application/audit/checkpoints';
import { merkleRoot } from '../../../../application/audit/merkle';
import { Ledger } from '../../../../application/ledger/ledger';
import type { CommandAppend, RecordedEvent } from '../../../../application/ports/event-store';
import { ed25519Signer, generateEd25519PrivateKeyPem } from '../../../../infrastructure/system/ed25519-signer';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';
import { envelopes } from '../../../contract/suites/event-fixtures';

describe('sealRangeCheckpoints (legacy, before decision 0018)', () => {
  it('given more events than one read step, seals them all in one checkpoint, the same as reading them at once', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    try {
      // 4,500 events on 1,500 streams: more than two read steps of the sealer (2,000 each).
      const commands: CommandAppend[] = Array.from({ length: 1500 }, (_, i) => ({
        commandId: `c-${i}`,
        appends: [{ streamId: `lot-${i}`, expectedRevision: 'no_stream', events: envelopes(`lot-${i}`, 0, `c-${i}`, [{ type: 'A' }, { type: 'B' }, { type: 'C' }]) }],
      }));
      await store.appendMany(commands);
      const all: RecordedEvent[] = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      expect(all).toHaveLength(4500);
      expect(MAX_EVENTS_PER_CHECKPOINT).toBeGreaterThan(4500);

      const [checkpoint] = await sealCheckpoints(ledger, signer, () => new Date('2026-11-30T12:00:00Z'));
      expect(checkpoint).toMatchObject({ sequence: 1, fromPosition: 0, toPosition: all[all.length - 1]!.position, eventCount: 4500 });
      expect(checkpoint!.merkleRoot).toBe(merkleRoot(all.map((e) => e.hash)));
      expect(Object.keys(checkpoint!.streamHeads)).toHaveLength(1500);
      expect(checkpoint!.streamHeads['lot-7']).toBe(2);
      expect((await readCheckpoints(store)).checkpoints).toHaveLength(1);
      // Nothing new since (the checkpoint event alone does not call for another one).
      expect(await sealCheckpoints(ledger, signer, () => new Date())).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
