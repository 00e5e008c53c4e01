import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../../application/ledger/ledger';
import type { ReadStore } from '../../../application/ports/read-store';
import { SqliteEventStore } from '../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../../../infrastructure/sqlite/sqlite-search-index';
import { systemClock, systemIds } from '../../../infrastructure/system/system-clock';
import type { Projection } from '../../../projections/runner/projection';
import { ProjectionRunner } from '../../../projections/runner/projection-runner';
import { appendEvents } from './support/append-events';

/** A counting projection: one document per stream with the number of events seen; 'Poison' events throw. */
const counter: Projection = {
  name: 'counter',
  version: 1,
  handles: ['Counted', 'Poison'],
  collections: ['counts'],
  async apply(event, ctx) {
    if (event.type === 'Poison') throw new Error('cannot fold this');
    const doc = await ctx.get('counts', event.streamId);
    ctx.put('counts', { _id: event.streamId, n: ((doc?.n as number) ?? 0) + 1 });
  },
};

describe('ProjectionRunner', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let search: SqliteSearchIndex;
  let ledger: Ledger;
  const errors: string[] = [];
  const log = { info: () => undefined, error: (m: string) => void errors.push(m) };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-runner-'));
    events = new SqliteEventStore(path.join(dir, 'e.sqlite'));
    reads = new SqliteReadStore(path.join(dir, 'r.sqlite'));
    search = new SqliteSearchIndex(path.join(dir, 's.sqlite'));
    ledger = new Ledger(events, systemClock, systemIds);
    errors.length = 0;
  });
  afterEach(async () => {
    await events.close();
    await reads.close();
    await search.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const append = (streamId: string, type: string, n: number) => appendEvents(ledger, streamId, type, n);

  it('given events, when started, then it folds them and keeps up with new ones', async () => {
    await append('s-a', 'Counted', 3);
    const runner = new ProjectionRunner(events, reads, search, [counter], log);
    await runner.start();
    await append('s-a', 'Counted', 2);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect((await reads.get(runner.collection('counts'), 's-a'))?.n).toBe(5);
    await runner.stop();
  });

  it('reads only the types it handles, and still catches up to a head of events it never sees', async () => {
    await append('s-c', 'Counted', 2);
    await append('s-other', 'Ignored', 5);
    const runner = new ProjectionRunner(events, reads, search, [counter], log);
    const readAll = jest.spyOn(events, 'readAll');
    const seeded = await events.headPosition();
    await runner.start(); // first start: builds the generation from the log
    expect(readAll.mock.calls.every(([o]) => o.filter?.eventTypes?.join() === 'Counted,Poison')).toBe(true);
    // Built up to the head, not just to its last Counted event: the tail does not go back over the rest.
    expect(await reads.getCheckpoint('counter@g1')).toBe(seeded);
    await append('s-other', 'Ignored', 3); // live: nothing for this projection
    const head = await events.headPosition();
    expect(await runner.waitFor(head, 5000)).toBe(true);
    expect((await runner.status())[0]!.lag).toBe(0);
    expect((await reads.get(runner.collection('counts'), 's-c'))?.n).toBe(2);
    expect(await reads.get(runner.collection('counts'), 's-other')).toBeNull();
    await runner.stop();
  });

  it('feeds every live projection from one reader and commits their batch together, each from its own checkpoint', async () => {
    const second: Projection = { ...counter, name: 'second', collections: ['seconds'], async apply(event, ctx) {
      const doc = await ctx.get('seconds', event.streamId);
      ctx.put('seconds', { _id: event.streamId, n: ((doc?.n as number) ?? 0) + 1 });
    } };
    await append('s-d', 'Counted', 3);
    const first = new ProjectionRunner(events, reads, search, [counter], log);
    await first.start();
    expect(await first.waitFor(await events.headPosition(), 5000)).toBe(true);
    await first.stop();
    await append('s-d', 'Counted', 2); // `counter` is 2 events behind; `second` does not exist yet

    const subscribe = jest.spyOn(events, 'subscribe');
    const many = jest.spyOn(reads, 'applyChangesMany');
    const runner = new ProjectionRunner(events, reads, search, [counter, second], log);
    await runner.start(); // builds `second` from the log, then one tail catches `counter` up
    await append('s-d', 'Counted', 1);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect((await reads.get(runner.collection('counts'), 's-d'))?.n).toBe(6);
    expect((await reads.get(runner.collection('seconds'), 's-d'))?.n).toBe(6);
    expect(subscribe).toHaveBeenCalledTimes(1);
    const together = many.mock.calls.find(([groups]) => groups.length === 2);
    expect(together?.[0].map((g) => g.checkpointName).sort()).toEqual(['counter@g1', 'second@g1']);

    await runner.rebuild('counter'); // blue/green while the other keeps its place
    await append('s-d', 'Counted', 1);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect(runner.collection('counts')).toBe('counts__g2');
    expect((await reads.get(runner.collection('counts'), 's-d'))?.n).toBe(7);
    expect((await reads.get(runner.collection('seconds'), 's-d'))?.n).toBe(7);

    const readAll = jest.spyOn(events, 'readAll');
    await runner.rebuild(); // all of them: one read of the log feeds both shadows
    expect(readAll).toHaveBeenCalledTimes(2); // one batch, then the empty read at the head
    expect([runner.collection('counts'), runner.collection('seconds')]).toEqual(['counts__g3', 'seconds__g2']);
    await append('s-d', 'Counted', 1);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect((await reads.get(runner.collection('counts'), 's-d'))?.n).toBe(8);
    expect((await reads.get(runner.collection('seconds'), 's-d'))?.n).toBe(8);
    await runner.stop();
  });

  it('stores a search projection\'s checkpoint only up to what a search flush made durable', async () => {
    const indexer: Projection = { name: 'indexer', version: 1, handles: ['Counted'], collections: [], search: true, async apply(event, ctx) {
      ctx.index({ id: `${event.streamId}:${event.revision}`, kind: 'entity', title: 'x', text: '', regionCode: '460105', payload: {} });
    } };
    const deferred = new SqliteSearchIndex(path.join(dir, 's-normal.sqlite'), { synchronous: 'NORMAL' });
    const flushes = jest.spyOn(deferred, 'flush');
    let now = Date.now();
    const runner = new ProjectionRunner(events, reads, deferred, [indexer], log, {}, 500, () => now);
    try {
      await runner.start();
      await append('s-e', 'Counted', 1); // first live batch: a flush is due (none yet) → stored = folded
      const first = await events.headPosition();
      expect(await runner.waitFor(first, 5000)).toBe(true);
      expect(await reads.getCheckpoint('indexer@g1')).toBe(first);
      const flushed = flushes.mock.calls.length;

      await append('s-e', 'Counted', 1); // within the second: folded and searchable, not yet durable
      const second = await events.headPosition();
      expect(await runner.waitFor(second, 5000)).toBe(true);
      expect((await deferred.search('search', { q: undefined })).total).toBe(2);
      expect(flushes.mock.calls.length).toBe(flushed);
      expect(await reads.getCheckpoint('indexer@g1')).toBe(first);

      now += 1100; // the flush interval has passed on the runner's clock
      await append('s-e', 'Counted', 1); // a second later: flushed, and the stored checkpoint catches up
      const third = await events.headPosition();
      expect(await runner.waitFor(third, 5000)).toBe(true);
      expect(flushes.mock.calls.length).toBe(flushed + 1);
      expect(await reads.getCheckpoint('indexer@g1')).toBe(third);
    } finally {
      await runner.stop();
      await deferred.close();
    }
  });

  it('rebuilds a search projection whose live generation has no index in the search store (lost or replaced)', async () => {
    const indexer: Projection = { name: 'indexer', version: 1, handles: ['Counted'], collections: [], search: true, async apply(event, ctx) {
      ctx.index({ id: `${event.streamId}:${event.revision}`, kind: 'entity', title: 'x', text: '', regionCode: '460105', payload: {} });
    } };
    await append('s-f', 'Counted', 2);
    const first = new ProjectionRunner(events, reads, search, [indexer], log);
    await first.start();
    await first.stop();
    const replaced = new SqliteSearchIndex(path.join(dir, 's-new.sqlite')); // the read store still says generation 1
    const runner = new ProjectionRunner(events, reads, replaced, [indexer], log);
    try {
      await runner.start();
      expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
      expect((await replaced.search('search', {})).total).toBe(2);
      expect(await replaced.resolveAlias('search')).toBe('search__g2');
    } finally {
      await runner.stop();
      await replaced.close();
    }
  });

  it('parks a poison event in the dead-letter list, alerts, and goes on', async () => {
    await append('s-b', 'Counted', 1);
    await append('s-b', 'Poison', 1);
    await append('s-b', 'Counted', 1);
    const runner = new ProjectionRunner(events, reads, search, [counter], log);
    await runner.start();
    expect((await reads.get(runner.collection('counts'), 's-b'))?.n).toBe(2);
    const [status] = await runner.status();
    expect(status!.deadLetters).toBe(1);
    expect(errors.some((e) => e.includes('dead-lettered'))).toBe(true);
    await runner.stop();
  });

  it('when the read store fails, it resubscribes from its checkpoint and catches up without double counting', async () => {
    let failuresLeft = 0;
    const flaky: ReadStore = new Proxy(reads, {
      get(target, prop, receiver) {
        if (prop === 'applyChanges' || prop === 'applyChangesMany')
          return async (...args: unknown[]) => {
            if (failuresLeft > 0) {
              failuresLeft--;
              throw new Error('read store unavailable');
            }
            return (target[prop] as (...a: unknown[]) => Promise<void>)(...args);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const runner = new ProjectionRunner(events, flaky, search, [counter], log);
    await runner.start();
    failuresLeft = 2;
    await append('s-c', 'Counted', 4);
    expect(await runner.waitFor(await events.headPosition(), 10_000)).toBe(true);
    expect((await reads.get(runner.collection('counts'), 's-c'))?.n).toBe(4);
    expect(errors.filter((e) => e.includes('resubscribing')).length).toBeGreaterThanOrEqual(1);
    await runner.stop();
  });

  it('at start, serves the old generation while a changed projection version rebuilds beside it, then swaps', async () => {
    await append('s-g', 'Counted', 3);
    const v1 = new ProjectionRunner(events, reads, search, [counter], log);
    await v1.start();
    await v1.stop();
    // v2 of the projection counts double; the old generation (counting once) must keep serving meanwhile.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const doubling: Projection = { ...counter, version: 2, async apply(event, ctx) {
      await gate; // holds the rebuild so the test can look at the served generation while it runs
      const doc = await ctx.get('counts', event.streamId);
      ctx.put('counts', { _id: event.streamId, n: ((doc?.n as number) ?? 0) + 2 });
    } };
    const v2 = new ProjectionRunner(events, reads, search, [doubling], log);
    await v2.start(); // returns without waiting for the rebuild
    try {
      expect(v2.rebuildingNames()).toEqual(['counter']);
      expect(v2.collection('counts')).toBe('counts__g1');
      expect((await reads.get(v2.collection('counts'), 's-g'))?.n).toBe(3);
      // Read-your-writes does not wait for the frozen generation: the platform answers commands meanwhile.
      expect(await v2.waitFor(await events.headPosition(), 1000)).toBe(true);
      const [status] = await v2.status();
      expect(status).toMatchObject({ rebuilding: true, generation: 1 });
      release();
      await v2.settled();
      expect(v2.rebuildingNames()).toEqual([]);
      expect(v2.collection('counts')).toBe('counts__g2');
      expect((await reads.get(v2.collection('counts'), 's-g'))?.n).toBe(6);
      await append('s-g', 'Counted', 1);
      expect(await v2.waitFor(await events.headPosition(), 5000)).toBe(true);
      expect((await reads.get(v2.collection('counts'), 's-g'))?.n).toBe(8);
      expect(await reads.listCollections()).not.toContain('counts__g1');
    } finally {
      release();
      await v2.stop();
    }
  });

  it('merges several writes to one document within an event: the last one is stored', async () => {
    const twice: Projection = { name: 'twice', version: 1, handles: ['Counted'], collections: ['pairs'], async apply(event, ctx) {
      const doc = await ctx.get('pairs', event.streamId);
      const n = (doc?.n as number) ?? 0;
      ctx.put('pairs', { _id: event.streamId, n: n + 1 });
      const again = await ctx.get('pairs', event.streamId);
      ctx.put('pairs', { _id: event.streamId, n: (again!.n as number) + 1 });
    } };
    await append('s-h', 'Counted', 2);
    const runner = new ProjectionRunner(events, reads, search, [twice], log);
    await runner.start();
    try {
      expect((await reads.get(runner.collection('pairs'), 's-h'))?.n).toBe(4);
    } finally {
      await runner.stop();
    }
  });
  /** The counter again, folding a whole batch at once: one read and one write per stream and batch. */
  const batchCounter = (calls: { batches: number }): Projection => ({
    ...counter,
    name: 'batch-counter',
    async applyBatch(batch, ctx) {
      calls.batches++;
      const seen = new Map<string, { n: number; v: number }>();
      for (const event of batch) {
        if (event.type === 'Poison') throw new Error('cannot fold this');
        let entry = seen.get(event.streamId);
        if (!entry) {
          const doc = await ctx.get('counts', event.streamId);
          seen.set(event.streamId, (entry = { n: (doc?.n as number) ?? 0, v: (doc?._v as number) ?? 0 }));
        }
        if (event.position > entry.v) entry.n++; // replays: the stored document already counts this event
      }
      for (const [id, { n }] of seen) ctx.put('counts', { _id: id, n });
    },
  });

  it('folds a batch with applyBatch when the projection has one, and its documents equal the per-event fold', async () => {
    await append('s-p', 'Counted', 4);
    await append('s-q', 'Counted', 3);
    const calls = { batches: 0 };
    const runner = new ProjectionRunner(events, reads, search, [batchCounter(calls)], log);
    await runner.start();
    try {
      expect(calls.batches).toBeGreaterThan(0);
      expect(calls.batches).toBeLessThan(7); // not once per event
      expect((await reads.get(runner.collection('counts'), 's-p'))?.n).toBe(4);
      expect((await reads.get(runner.collection('counts'), 's-q'))?.n).toBe(3);
      await append('s-p', 'Counted', 2); // live tail: applyBatch too
      expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
      expect((await reads.get(runner.collection('counts'), 's-p'))?.n).toBe(6);
    } finally {
      await runner.stop();
    }
  });

  it('when applyBatch throws, folds that batch event by event: only the poison event is dead-lettered', async () => {
    await append('s-r', 'Counted', 1);
    await append('s-r', 'Poison', 1);
    await append('s-r', 'Counted', 1);
    const runner = new ProjectionRunner(events, reads, search, [batchCounter({ batches: 0 })], log);
    await runner.start();
    try {
      expect((await reads.get(runner.collection('counts'), 's-r'))?.n).toBe(2);
      const [status] = await runner.status();
      expect(status!.deadLetters).toBe(1);
    } finally {
      await runner.stop();
    }
  });
});
