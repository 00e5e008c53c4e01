import { Ledger } from '../../../../application/ledger/ledger';
import { mintTraceCode } from '../../../../application/lots/lot-numbering';
import { lotSequenceStreamId, traceCodeParts } from '../../../../domain/lots';
import { generateEid } from '../../../../domain/registration';
import { SYSTEM_ACTOR } from '../../../../domain/shared/actor';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';

describe('mintTraceCode (lot numbering per entity and production date)', () => {
  const secret = 'unit-test-trace-code-secret-0123456789';
  const args = { eid: generateEid('460105', '7K3QX'), regionCode: '460105', productionDate: '2026-11-20' };
  const ctx = { now: new Date('2026-11-30T08:00:00Z'), actor: SYSTEM_ACTOR };

  it('given n numbers assigned, mints n+1 with the stream revision as expected revision, reading only the last event', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    try {
      for (let n = 1; n <= 5; n++) {
        const { traceCode, write } = await mintTraceCode(ledger, secret, args, ctx);
        expect(traceCodeParts(traceCode)?.sequence).toBe(n);
        expect(write.stream.revision).toBe(n === 1 ? 'no_stream' : n - 2);
        await ledger.commit([write], { commandId: `mint-${n}`, actor: SYSTEM_ACTOR });
      }
      const reads = jest.spyOn(store, 'readStream');
      const { traceCode } = await mintTraceCode(ledger, secret, args, ctx);
      expect(traceCodeParts(traceCode)?.sequence).toBe(6);
      // The stream may be served from the write side's cache (decision 0020); the store is never asked for
      // more than the last event of it.
      for (const [streamId, options] of reads.mock.calls) {
        expect(streamId).toBe(lotSequenceStreamId(args.eid, args.productionDate));
        expect(options).toEqual({ direction: 'backwards', maxCount: 1 });
      }
    } finally {
      await store.close();
    }
  });
});
