import { ConcurrencyError, type EventStore, type ExpectedRevision, type RecordedEvent } from '../../../application/ports/event-store';
import { sleep, uniqueName, waitFor } from './contract-helpers';
import { envelopes, newCommandId, part } from './event-fixtures';

/**
 * The EventStore contract, through the port only. Every stream name carries a per-run prefix and every
 * global read is filtered by it (or starts after the head seen at the beginning of the test), so the
 * suite can share a server with other data. The port has no stream deletion; unique names are the cleanup.
 */
export function eventStoreContract(
  adapterName: string,
  makeStore: () => Promise<EventStore>,
  dispose: (store: EventStore) => Promise<void> = (s) => s.close(),
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let run: string;
    const stream = (name: string) => `${run}-${name}`;
    /** Appends one part under a fresh command id. */
    const appendOne = (streamId: string, expected: ExpectedRevision, types: string[], firstRevision?: number) => {
      const c = newCommandId();
      return store.append([part(streamId, expected, c, types, firstRevision)], c);
    };

    beforeEach(async () => {
      store = await makeStore();
      run = uniqueName('ct');
    });
    afterEach(async () => {
      await dispose(store);
    });

    describe('append and read back', () => {
      it('appends to a new stream and reads every envelope field back, with increasing positions', async () => {
        const commandId = newCommandId();
        const lot = stream('lot-a');
        const toAppend = envelopes(lot, 0, commandId, [
          { type: 'LotCreated', data: { product: '豇豆', quantity: { amount: 1200.5, unit: 'kg' }, tags: ['海南', 'organic'] } },
          { type: 'QuantityReserved', data: { transferId: 't-1', nested: { deep: [1, { x: null }] } } },
        ]);
        toAppend[1]!.causationId = 'cause-1';

        const result = await store.append([{ streamId: lot, expectedRevision: 'no_stream', events: toAppend }], commandId);

        expect(result.duplicate).toBe(false);
        expect(result.events).toHaveLength(2);
        expect(result.events[1]!.position).toBeGreaterThan(result.events[0]!.position);
        const read = await store.readStream(lot);
        expect(read).toEqual(result.events);
        expect(read.map(stripPosition)).toEqual(toAppend);
        expect(await store.streamRevision(lot)).toBe(1);
      });

      it('reads a missing stream as empty, with no revision', async () => {
        expect(await store.readStream(stream('missing'))).toEqual([]);
        expect(await store.streamRevision(stream('missing'))).toBe('no_stream');
        expect(await store.readByCommandId(newCommandId())).toBeNull();
      });

      it('reads a stream forwards and backwards from a revision, with maxCount', async () => {
        const s = stream('lot-b');
        await appendOne(s, 'no_stream', ['E0', 'E1', 'E2', 'E3', 'E4']);
        const revs = (events: RecordedEvent[]) => events.map((e) => e.revision);

        expect(revs(await store.readStream(s))).toEqual([0, 1, 2, 3, 4]);
        expect(revs(await store.readStream(s, { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revs(await store.readStream(s, { fromRevision: 1, maxCount: 2 }))).toEqual([1, 2]);
        expect(revs(await store.readStream(s, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revs(await store.readStream(s, { direction: 'backwards', maxCount: 2 }))).toEqual([4, 3]);
        expect(revs(await store.readStream(s, { direction: 'backwards', fromRevision: 2 }))).toEqual([2, 1, 0]);
        expect(revs(await store.readStream(s, { fromRevision: 9 }))).toEqual([]);
      });

      it('continues a stream at the expected revision and keeps revisions contiguous', async () => {
        const s = stream('lot-c');
        await appendOne(s, 'no_stream', ['A', 'B']);
        await appendOne(s, 1, ['C']);
        await appendOne(s, 'stream_exists', ['D'], 3);
        await appendOne(s, 'any', ['E'], 4);
        const read = await store.readStream(s);
        expect(read.map((e) => [e.revision, e.type])).toEqual([
          [0, 'A'],
          [1, 'B'],
          [2, 'C'],
          [3, 'D'],
          [4, 'E'],
        ]);
        expect(await store.streamRevision(s)).toBe(4);
      });

      it("accepts 'any' on a stream that does not exist yet", async () => {
        const s = stream('any-new');
        const c = newCommandId();
        await store.append([part(s, 'any', c, ['A'], 0)], c);
        expect(await store.streamRevision(s)).toBe(0);
      });
    });

    describe('optimistic concurrency', () => {
      it("rejects 'no_stream' when the stream exists, writing nothing", async () => {
        const s = stream('dup');
        const c1 = newCommandId();
        await store.append([part(s, 'no_stream', c1, ['Created'])], c1);
        const c2 = newCommandId();
        const err = await store.append([part(s, 'no_stream', c2, ['Created'])], c2).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConcurrencyError);
        expect(err).toMatchObject({ streamId: s, expected: 'no_stream', actual: 0 });
        expect(await store.streamRevision(s)).toBe(0);
        expect(await store.readByCommandId(c2)).toBeNull();
      });

      it("rejects 'stream_exists' when the stream is missing", async () => {
        const s = stream('nope');
        const c = newCommandId();
        const err = await store.append([part(s, 'stream_exists', c, ['X'], 0)], c).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConcurrencyError);
        expect(err).toMatchObject({ streamId: s, expected: 'stream_exists', actual: 'no_stream' });
        expect(await store.readStream(s)).toEqual([]);
      });

      it('rejects a stale numeric revision and a numeric revision on a missing stream', async () => {
        const s = stream('stale');
        const c1 = newCommandId();
        await store.append([part(s, 'no_stream', c1, ['A', 'B'])], c1);
        const c2 = newCommandId();
        const stale = await store.append([part(s, 0, c2, ['C'])], c2).catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(ConcurrencyError);
        expect(stale).toMatchObject({ expected: 0, actual: 1 });
        const c3 = newCommandId();
        const missing = await store.append([part(stream('ghost'), 0, c3, ['C'])], c3).catch((e: unknown) => e);
        expect(missing).toBeInstanceOf(ConcurrencyError);
        expect(missing).toMatchObject({ expected: 0, actual: 'no_stream' });
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('lets exactly one of two racing appends at the same expected revision win', async () => {
        const s = stream('race');
        const c0 = newCommandId();
        await store.append([part(s, 'no_stream', c0, ['Created'])], c0);
        const [ca, cb] = [newCommandId(), newCommandId()];
        const outcomes = await Promise.allSettled([
          store.append([part(s, 0, ca, ['Reserved'])], ca),
          store.append([part(s, 0, cb, ['Reserved'])], cb),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0]!.reason).toBeInstanceOf(ConcurrencyError);
        expect(await store.streamRevision(s)).toBe(1);
      });

      it('rejects an event whose revision is not the next one of its stream, writing nothing', async () => {
        const s = stream('gap');
        const c = newCommandId();
        await expect(store.append([part(s, 'no_stream', c, ['A'], 1)], c)).rejects.toThrow();
        expect(await store.streamRevision(s)).toBe('no_stream');
        expect(await store.readByCommandId(c)).toBeNull();
      });
    });

    describe('multi-stream atomicity (decision 0001)', () => {
      it('writes every stream of a command, in append order', async () => {
        const [lot, transfer] = [stream('lot-m'), stream('transfer-m')];
        const c0 = newCommandId();
        await store.append([part(lot, 'no_stream', c0, ['LotCreated'])], c0);
        const c = newCommandId();
        const result = await store.append(
          [part(lot, 0, c, ['QuantityReserved']), part(transfer, 'no_stream', c, ['TransferInitiated', 'TransferNoted'])],
          c,
        );
        expect(result.events.map((e) => [e.streamId, e.type])).toEqual([
          [lot, 'QuantityReserved'],
          [transfer, 'TransferInitiated'],
          [transfer, 'TransferNoted'],
        ]);
        expect(isStrictlyIncreasing(result.events.map((e) => e.position))).toBe(true);
        expect(await store.streamRevision(lot)).toBe(1);
        expect(await store.streamRevision(transfer)).toBe(1);
      });

      it.each([
        ['no_stream on an existing stream', 'no_stream' as const],
        ['a stale revision', 5],
        ['stream_exists on a missing stream', 'stream_exists' as const],
      ])('writes nothing from the whole command when one part has %s', async (_label, badExpected) => {
        const [lot, transfer, other] = [stream('lot-x'), stream('transfer-x'), stream('other-x')];
        const c0 = newCommandId();
        await store.append([part(lot, 'no_stream', c0, ['LotCreated'])], c0);
        const headBefore = await store.headPosition();
        const c = newCommandId();
        const badStream = badExpected === 'stream_exists' ? other : lot;
        const badFirst = badExpected === 'no_stream' ? 1 : badExpected === 'stream_exists' ? 0 : 6;
        const appends =
          badStream === lot
            ? [part(transfer, 'no_stream', c, ['TransferInitiated']), part(lot, badExpected, c, ['QuantityReserved'], badFirst)]
            : [part(transfer, 'no_stream', c, ['TransferInitiated']), part(lot, 0, c, ['QuantityReserved']), part(other, badExpected, c, ['Y'], 0)];

        await expect(store.append(appends, c)).rejects.toBeInstanceOf(ConcurrencyError);

        expect(await store.streamRevision(transfer)).toBe('no_stream');
        expect(await store.streamRevision(lot)).toBe(0);
        expect(await store.readByCommandId(c)).toBeNull();
        const after = await store.readAll({ afterPosition: headBefore, maxCount: 100, filter: { streamPrefixes: [`${run}-`] } });
        expect(after).toEqual([]);

        // The command id was not consumed: the corrected command goes through.
        const fixed = [part(transfer, 'no_stream', c, ['TransferInitiated']), part(lot, 0, c, ['QuantityReserved'])];
        const ok = await store.append(fixed, c);
        expect(ok.duplicate).toBe(false);
        expect(ok.events).toHaveLength(2);
      });
    });

    describe('idempotency by commandId', () => {
      it('returns the original events with duplicate=true and writes nothing, without re-checking revisions', async () => {
        const [a, b] = [stream('idem-a'), stream('idem-b')];
        const c = newCommandId();
        const first = await store.append([part(a, 'no_stream', c, ['A1', 'A2']), part(b, 'no_stream', c, ['B1'])], c);
        const headAfterFirst = await store.headPosition();

        // Same command id, now-stale expected revisions and fresh event ids: the retry of a timed-out request.
        const again = await store.append([part(a, 'no_stream', c, ['A1', 'A2']), part(b, 'no_stream', c, ['B1'])], c);

        expect(again.duplicate).toBe(true);
        expect(again.events).toEqual(first.events);
        expect(await store.streamRevision(a)).toBe(1);
        expect(await store.streamRevision(b)).toBe(0);
        const mine = await store.readAll({ afterPosition: 0, maxCount: 1000, filter: { streamPrefixes: [`${run}-`] } });
        expect(mine).toHaveLength(3);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(headAfterFirst);
      });

      it('readByCommandId returns the events of that command in append order', async () => {
        const [a, b] = [stream('cmd-a'), stream('cmd-b')];
        const c1 = newCommandId();
        await store.append([part(a, 'no_stream', c1, ['A1'])], c1);
        const c2 = newCommandId();
        const second = await store.append([part(a, 0, c2, ['A2', 'A3']), part(b, 'no_stream', c2, ['B1'])], c2);
        const read = await store.readByCommandId(c2);
        expect(read).toEqual(second.events);
        expect(read!.map((e) => e.type)).toEqual(['A2', 'A3', 'B1']);
      });

      // Decision 0010: the request fingerprint is kept with the command, atomically, outside the events.
      it('readCommand gives the events and the fingerprint stored with them (null when none was given)', async () => {
        const withPrint = newCommandId();
        const written = await store.append([part(stream('fp-a'), 'no_stream', withPrint, ['A1'])], withPrint, 'fp-1');
        expect(await store.readCommand(withPrint)).toEqual({ events: written.events, fingerprint: 'fp-1' });
        const without = newCommandId();
        const plain = await store.append([part(stream('fp-b'), 'no_stream', without, ['B1'])], without);
        expect(await store.readCommand(without)).toEqual({ events: plain.events, fingerprint: null });
        expect(await store.readCommand(newCommandId())).toBeNull();
      });

      it('a duplicate append reports the ORIGINAL fingerprint and keeps it', async () => {
        const c = newCommandId();
        const s = stream('fp-dup');
        const first = await store.append([part(s, 'no_stream', c, ['A1'])], c, 'fp-original');
        const again = await store.append([part(s, 'no_stream', c, ['A1'])], c, 'fp-other');
        expect(again).toEqual({ duplicate: true, events: first.events, fingerprint: 'fp-original' });
        expect((await store.readCommand(c))!.fingerprint).toBe('fp-original');
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('a command that fails its revision check stores no fingerprint either', async () => {
        const s = stream('fp-fail');
        await appendOne(s, 'no_stream', ['A1']);
        const c = newCommandId();
        await expect(store.append([part(s, 'no_stream', c, ['A2'])], c, 'fp-x')).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await store.readCommand(c)).toBeNull();
      });
    });

    describe('the global log', () => {
      async function seed() {
        const start = await store.headPosition();
        const written: RecordedEvent[] = [];
        for (const [name, types] of [
          ['lot-1', ['LotCreated', 'QuantityReserved']],
          ['transfer-1', ['TransferInitiated']],
          ['lot-2', ['LotCreated']],
          ['sample-1', ['SampleTaken', 'ResultRecorded']],
        ] as const) {
          const c = newCommandId();
          written.push(...(await store.append([part(stream(name), 'no_stream', c, [...types])], c)).events);
        }
        return { start, written };
      }
      const mineOnly = () => ({ streamPrefixes: [`${run}-`] });

      it('reads in position order after an exclusive position, in pages of maxCount', async () => {
        const { start, written } = await seed();
        const all = await store.readAll({ afterPosition: start, maxCount: 100, filter: mineOnly() });
        expect(all.map((e) => e.eventId)).toEqual(written.map((e) => e.eventId));
        expect(isStrictlyIncreasing(all.map((e) => e.position))).toBe(true);

        const paged: RecordedEvent[] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({ afterPosition: after, maxCount: 2, filter: mineOnly() });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(2);
          paged.push(...page);
          after = page[page.length - 1]!.position;
        }
        expect(paged).toEqual(all);
        const fromThird = await store.readAll({ afterPosition: all[2]!.position, maxCount: 100, filter: mineOnly() });
        expect(fromThird.map((e) => e.eventId)).toEqual(written.slice(3).map((e) => e.eventId));
      });

      it('filters by event types and by stream prefixes, together', async () => {
        const { start } = await seed();
        const created = await store.readAll({
          afterPosition: start,
          maxCount: 100,
          filter: { eventTypes: ['LotCreated', 'SampleTaken'], streamPrefixes: [`${run}-`] },
        });
        expect(created.map((e) => [e.streamId, e.type])).toEqual([
          [stream('lot-1'), 'LotCreated'],
          [stream('lot-2'), 'LotCreated'],
          [stream('sample-1'), 'SampleTaken'],
        ]);
        const lotsAndSamples = await store.readAll({
          afterPosition: start,
          maxCount: 100,
          filter: { streamPrefixes: [stream('lot-'), stream('sample-')] },
        });
        expect(lotsAndSamples.map((e) => e.type)).toEqual(['LotCreated', 'QuantityReserved', 'LotCreated', 'SampleTaken', 'ResultRecorded']);
        const onlyReservedInLots = await store.readAll({
          afterPosition: start,
          maxCount: 100,
          filter: { eventTypes: ['QuantityReserved'], streamPrefixes: [stream('lot-')] },
        });
        expect(onlyReservedInLots.map((e) => e.streamId)).toEqual([stream('lot-1')]);
        expect(await store.readAll({ afterPosition: start, maxCount: 100, filter: { eventTypes: [`${run}-NoSuchType`] } })).toEqual([]);
      });

      it('pages a filter of several event types in position order, across types', async () => {
        const start = await store.headPosition();
        const wanted: RecordedEvent[] = [];
        for (let i = 0; i < 5; i++) {
          const c = newCommandId();
          const r = await store.append([part(stream(`mix-${i}`), 'no_stream', c, [`${run}-A`, `${run}-Skip`, `${run}-B`])], c);
          wanted.push(...r.events.filter((e) => e.type !== `${run}-Skip`));
        }
        const filter = { eventTypes: [`${run}-B`, `${run}-A`] };
        const paged: RecordedEvent[] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({ afterPosition: after, maxCount: 3, filter });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          paged.push(...page);
          after = page[page.length - 1]!.position;
        }
        expect(paged.map((e) => e.eventId)).toEqual(wanted.map((e) => e.eventId));
        expect(isStrictlyIncreasing(paged.map((e) => e.position))).toBe(true);
      });

      it('headPosition is at least the position of the last append', async () => {
        const { written } = await seed();
        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(written[written.length - 1]!.position);
      });

      it('lists streams by prefix, in lexical order, paged by an exclusive `after`', async () => {
        await seed();
        expect(await store.listStreams(stream('lot-'), null, 10)).toEqual([stream('lot-1'), stream('lot-2')]);
        const all = await store.listStreams(`${run}-`, null, 10);
        expect(all).toEqual([stream('lot-1'), stream('lot-2'), stream('sample-1'), stream('transfer-1')]);
        expect(await store.listStreams(`${run}-`, null, 2)).toEqual(all.slice(0, 2));
        expect(await store.listStreams(`${run}-`, all[1]!, 2)).toEqual(all.slice(2, 4));
        expect(await store.listStreams(`${run}-`, all[3]!, 2)).toEqual([]);
      });
    });

    describe('catch-up subscription', () => {
      it('delivers history, then live appends, in order and each event once', async () => {
        const start = await store.headPosition();
        const expected: string[] = [];
        for (let i = 0; i < 5; i++) {
          const c = newCommandId();
          const r = await store.append([part(stream(`hist-${i}`), 'no_stream', c, ['H1', 'H2'])], c);
          expected.push(...r.events.map((e) => e.eventId));
        }
        const received: RecordedEvent[] = [];
        const sub = store.subscribe({
          afterPosition: start,
          filter: { streamPrefixes: [`${run}-`] },
          batchSize: 3,
          onEvents: async (events) => {
            received.push(...events);
          },
        });
        try {
          await waitFor('history delivered', () => received.length >= 10);
          for (let i = 0; i < 4; i++) {
            const c = newCommandId();
            const r = await store.append([part(stream(`live-${i}`), 'no_stream', c, ['L1'])], c);
            expected.push(...r.events.map((e) => e.eventId));
          }
          await waitFor('live events delivered', () => received.length >= 14);
          // A sentinel appended last is delivered after anything delivered twice would have been.
          const sentinel = newCommandId();
          expected.push(...(await store.append([part(stream('live-sentinel'), 'no_stream', sentinel, ['L1'])], sentinel)).events.map((e) => e.eventId));
          await waitFor('sentinel delivered', () => received.some((e) => e.streamId === stream('live-sentinel')));
          expect(received.map((e) => e.eventId)).toEqual(expected);
          expect(isStrictlyIncreasing(received.map((e) => e.position))).toBe(true);
        } finally {
          await sub.close();
        }
      });

      it('waits for each batch before delivering the next, and honours the filter', async () => {
        const start = await store.headPosition();
        let inFlight = 0;
        let overlapped = false;
        const received: RecordedEvent[] = [];
        const sub = store.subscribe({
          afterPosition: start,
          filter: { eventTypes: ['Wanted'], streamPrefixes: [`${run}-`] },
          batchSize: 2,
          onEvents: async (events) => {
            inFlight++;
            if (inFlight > 1) overlapped = true;
            await sleep(20);
            received.push(...events);
            inFlight--;
          },
        });
        try {
          for (let i = 0; i < 6; i++) {
            const c = newCommandId();
            await store.append([part(stream(`f-${i}`), 'no_stream', c, ['Wanted', 'Unwanted'])], c);
          }
          await waitFor('filtered events delivered', () => received.length >= 6);
          // A sentinel appended last: once it is delivered, anything unwanted or repeated would have been too.
          const sentinel = newCommandId();
          await store.append([part(stream('f-sentinel'), 'no_stream', sentinel, ['Unwanted', 'Wanted'])], sentinel);
          await waitFor('sentinel delivered', () => received.some((e) => e.streamId === stream('f-sentinel')));
          expect(overlapped).toBe(false);
          expect(received.map((e) => e.type)).toEqual(Array(7).fill('Wanted'));
          expect(received.map((e) => e.streamId)).toEqual([0, 1, 2, 3, 4, 5].map((i) => stream(`f-${i}`)).concat(stream('f-sentinel')));
        } finally {
          await sub.close();
        }
      });

      it('reports progress past events the filter skips, so a subscriber knows it caught up', async () => {
        const start = await store.headPosition();
        const received: RecordedEvent[] = [];
        const progress: number[] = [];
        const sub = store.subscribe({
          afterPosition: start,
          filter: { eventTypes: [`${run}-Rare`] },
          onEvents: async (events) => {
            received.push(...events);
          },
          onProgress: (position) => progress.push(position),
        });
        try {
          const c1 = newCommandId();
          const rare = (await store.append([part(stream('rare'), 'no_stream', c1, [`${run}-Rare`])], c1)).events[0]!;
          const c2 = newCommandId();
          const skipped = (await store.append([part(stream('common'), 'no_stream', c2, [`${run}-Common`, `${run}-Common`])], c2)).events;
          const last = skipped[skipped.length - 1]!.position;
          await waitFor('progress past the skipped events', () => progress.some((p) => p >= last));
          expect(received.map((e) => e.eventId)).toEqual([rare.eventId]);
          expect(isStrictlyIncreasing(progress)).toBe(true);
          expect(progress[0]!).toBeGreaterThan(start);
        } finally {
          await sub.close();
        }
      });

      it('delivers nothing after close() resolves', async () => {
        const start = await store.headPosition();
        const received: RecordedEvent[] = [];
        const sub = store.subscribe({
          afterPosition: start,
          filter: { streamPrefixes: [`${run}-`] },
          onEvents: async (events) => {
            received.push(...events);
          },
        });
        const c1 = newCommandId();
        await store.append([part(stream('before-close'), 'no_stream', c1, ['A'])], c1);
        await waitFor('first event delivered', () => received.length === 1);
        await sub.close();
        const c2 = newCommandId();
        await store.append([part(stream('after-close'), 'no_stream', c2, ['B'])], c2);
        // A second, open subscription from the same place: once it has the event, the closed one would have too.
        const witness: RecordedEvent[] = [];
        const open = store.subscribe({ afterPosition: start, filter: { streamPrefixes: [`${run}-`] }, onEvents: async (events) => void witness.push(...events) });
        try {
          await waitFor('the open subscription got the later event', () => witness.some((e) => e.streamId === stream('after-close')));
        } finally {
          await open.close();
        }
        expect(received.map((e) => e.streamId)).toEqual([stream('before-close')]);
      });

      it('reports a failing handler through onError', async () => {
        const start = await store.headPosition();
        const errors: Error[] = [];
        const sub = store.subscribe({
          afterPosition: start,
          filter: { streamPrefixes: [`${run}-`] },
          onEvents: async () => {
            throw new Error('projection exploded');
          },
          onError: (err) => errors.push(err),
        });
        try {
          const c = newCommandId();
          await store.append([part(stream('boom'), 'no_stream', c, ['A'])], c);
          await waitFor('error reported', () => errors.length > 0);
          expect(errors[0]!.message).toContain('projection exploded');
        } finally {
          await sub.close();
        }
      });
    });
  });
}

function stripPosition(e: RecordedEvent) {
  const { position: _position, ...rest } = e;
  return rest;
}

function isStrictlyIncreasing(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v > values[i - 1]!);
}
