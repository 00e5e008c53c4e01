import { ConcurrencyError, type AppendedEvents, type EventEnvelope } from '../../../application/ports/event-store';
import { computeEventHash, GENESIS_HASH } from '../../../application/ledger/event-hash';
import { SqliteEventStore } from '../../../infrastructure/sqlite/sqlite-event-store';

/** observeAppends and readStreams of the SQLite store (decision 0018): what the Merkle log tree and proof bundles use. */
describe('SqliteEventStore.observeAppends', () => {
  const envelope = (streamId: string, revision: number, prevHash: string, commandId: string, data: Record<string, unknown>): EventEnvelope => {
    const e = { eventId: `e-${commandId}-${revision}`, type: 'LotNoted', schemaVersion: 1, streamId, revision, occurredAt: '2026-12-02T00:00:00.000Z', recordedAt: '2026-12-02T00:00:00.000Z', actor: { userId: 'u-1', role: 'system' } as never, commandId, correlationId: commandId, causationId: null, data, prevHash };
    return { ...e, hash: computeEventHash(e) };
  };

  it('reports each durable commit once, with the events exactly as readAll returns them; not duplicates nor refused appends; a throwing listener fails nothing', async () => {
    const store = new SqliteEventStore(':memory:');
    const seen: AppendedEvents[] = [];
    const stop = store.observeAppends((a) => seen.push(a));
    store.observeAppends(() => {
      throw new Error('a broken observer');
    });
    try {
      const a0 = envelope('lot-A', 0, GENESIS_HASH, 'c1', { note: '第一', nested: { b: 2, a: 1 } });
      const a1 = envelope('lot-A', 1, a0.hash, 'c1', { note: 'second' });
      const b0 = envelope('lot-B', 0, GENESIS_HASH, 'c1', { n: 1.5 });
      const first = await store.append([{ streamId: 'lot-A', expectedRevision: 'no_stream', events: [a0, a1] }, { streamId: 'lot-B', expectedRevision: 'no_stream', events: [b0] }], 'c1');
      expect(first.duplicate).toBe(false);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.positions).toEqual(first.events.map((e) => e.position));
      expect(seen[0]!.read()).toEqual(await store.readAll({ afterPosition: 0, maxCount: 10 }));
      // A retry of the same command (duplicate) and a refused one write nothing: nothing reported.
      await store.append([{ streamId: 'lot-A', expectedRevision: 'no_stream', events: [a0, a1] }], 'c1');
      await expect(store.append([{ streamId: 'lot-A', expectedRevision: 'no_stream', events: [envelope('lot-A', 0, GENESIS_HASH, 'c2', {})] }], 'c2')).rejects.toBeInstanceOf(ConcurrencyError);
      expect(seen).toHaveLength(1);
      // appendMany: the commands that were written, in one report; the refused one left out.
      const c3 = envelope('lot-C', 0, GENESIS_HASH, 'c3', { x: [1, 'two', null] });
      const bad = envelope('lot-A', 0, GENESIS_HASH, 'c4', {});
      const b1 = envelope('lot-B', 1, b0.hash, 'c5', { y: true });
      const results = await store.appendMany([
        { appends: [{ streamId: 'lot-C', expectedRevision: 'no_stream', events: [c3] }], commandId: 'c3' },
        { appends: [{ streamId: 'lot-A', expectedRevision: 'no_stream', events: [bad] }], commandId: 'c4' },
        { appends: [{ streamId: 'lot-B', expectedRevision: 0, events: [b1] }], commandId: 'c5' },
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      expect(seen).toHaveLength(2);
      expect(seen[1]!.read()).toEqual(await store.readAll({ afterPosition: first.events[2]!.position, maxCount: 10 }));
      stop();
      await store.append([{ streamId: 'lot-B', expectedRevision: 1, events: [envelope('lot-B', 2, b1.hash, 'c6', {})] }], 'c6');
      expect(seen).toHaveLength(2);
    } finally {
      await store.close();
    }
  });

  it('readStreams gives each stream exactly as readStream with that maxCount does, in the order asked (unknown, repeated and past-the-end included)', async () => {
    const store = new SqliteEventStore(':memory:');
    try {
      const heads = new Map<string, string>();
      for (let c = 0; c < 12; c++) {
        const streamId = `lot-${c % 4}`;
        const revision = Math.floor(c / 4);
        const e = envelope(streamId, revision, heads.get(streamId) ?? GENESIS_HASH, `c${c}`, { c });
        await store.append([{ streamId, expectedRevision: revision === 0 ? 'no_stream' : revision - 1, events: [e] }], `c${c}`);
        heads.set(streamId, e.hash);
      }
      const asked = [{ streamId: 'lot-2', maxCount: 2 }, { streamId: 'lot-0' }, { streamId: 'lot-none', maxCount: 3 }, { streamId: 'lot-2', maxCount: 9 }, { streamId: 'lot-1', maxCount: 0 }];
      const expected = await Promise.all(asked.map((a) => store.readStream(a.streamId, a.maxCount === undefined ? {} : { maxCount: a.maxCount })));
      expect(await store.readStreams(asked)).toEqual(expected);
      expect(expected.map((e) => e.length)).toEqual([2, 3, 0, 3, 0]);
    } finally {
      await store.close();
    }
  });
});
