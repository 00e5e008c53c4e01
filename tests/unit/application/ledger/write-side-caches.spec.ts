import { CachedEventStore, withStreamCache } from '../../../../application/ledger/cached-event-store';
import { Ledger } from '../../../../application/ledger/ledger';
import { StreamEventCache } from '../../../../application/ledger/stream-event-cache';
import { StreamStateCache } from '../../../../application/ledger/stream-state-cache';
import { ConcurrencyError, type RecordedEvent } from '../../../../application/ports/event-store';
import type { Decider } from '../../../../domain/shared/decider';
import { SYSTEM_ACTOR } from '../../../../domain/shared/actor';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';

/** A counter aggregate: its state is the sum of the `n` of its events, and how many it folded. */
type Added = { type: 'Added'; data: { n: number } };
const counter: Decider<never, Added, { sum: number; folded: number }, unknown> = {
  decide: () => [],
  evolve: (s, e) => ({ sum: s.sum + e.data.n, folded: s.folded + 1 }),
  initialState: () => ({ sum: 0, folded: 0 }),
};

/**
 * Decision 0020: the write side's stream cache and folded-state cache. Both may only ever be unused,
 * never stale: whatever another writer appended, whatever failed, a decision sees the store's stream.
 */
describe('write-side caches', () => {
  let store: SqliteEventStore;
  let ledger: Ledger;
  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
    ledger = new Ledger(store, systemClock, systemIds);
  });
  afterEach(async () => store.close());

  const add = (streamId: string, n: number, stream?: Awaited<ReturnType<Ledger['head']>>) =>
    ledger.commit([{ stream: stream ?? ledger.fresh(streamId), events: [{ type: 'Added', data: { n } }] }], { commandId: systemIds.uuid(), actor: SYSTEM_ACTOR });

  it('given a stream appended through the ledger, the next load reads no event from the store', async () => {
    await add('counter-a', 1);
    const reads = jest.spyOn(store, 'readStream');
    const loaded = await ledger.load('counter-a', counter);
    expect(loaded.state.sum).toBe(1);
    expect(reads).not.toHaveBeenCalled();
  });

  it('given another writer appended to a cached stream behind the cache, a load sees its event (reads only the missing revisions)', async () => {
    await add('counter-b', 1);
    await ledger.load('counter-b', counter); // cached at revision 0
    const other = new Ledger(store, systemClock, systemIds, { cacheStreams: false });
    await other.commit([{ stream: await other.head('counter-b'), events: [{ type: 'Added', data: { n: 10 } }] }], { commandId: systemIds.uuid(), actor: SYSTEM_ACTOR });
    const reads = jest.spyOn(store, 'readStream');
    const loaded = await ledger.load('counter-b', counter);
    expect(loaded.state.sum).toBe(11);
    expect(loaded.revision).toBe(1);
    expect(reads).toHaveBeenCalledWith('counter-b', { fromRevision: 1 });
  });

  it('given a stale expected revision, the append fails with ConcurrencyError and the stream is read afresh next time', async () => {
    await add('counter-c', 1);
    const stale = await ledger.head('counter-c');
    await add('counter-c', 2, stale);
    await expect(add('counter-c', 3, stale)).rejects.toBeInstanceOf(ConcurrencyError);
    const reads = jest.spyOn(store, 'readStream');
    const loaded = await ledger.load('counter-c', counter);
    expect(loaded.state.sum).toBe(3);
    expect(reads).toHaveBeenCalledWith('counter-c');
  });

  it('partial reads of a stream it does not hold go to the store as they are; the cached view is shared per store', async () => {
    await store.append([], 'nothing'); // a no-op append, so the store is warm
    const cached = withStreamCache(store);
    expect(withStreamCache(store)).toBe(cached);
    expect(withStreamCache(cached)).toBe(cached);
    const reads = jest.spyOn(store, 'readStream');
    await cached.readStream('counter-d', { direction: 'backwards', maxCount: 1 });
    expect(reads).toHaveBeenCalledWith('counter-d', { direction: 'backwards', maxCount: 1 });
    expect(new CachedEventStore(store)).not.toBe(cached);
  });
});

describe('folded-state cache', () => {
  const event = (revision: number, hash: string, position: number, n = 1): RecordedEvent =>
    ({ streamId: 's', revision, hash, position, type: 'Added', data: { n } }) as unknown as RecordedEvent;
  let evolved = 0;
  const fold = (cache: StreamStateCache, events: RecordedEvent[]) => {
    evolved = 0;
    return cache.fold('s', counter, events, counter.initialState, (s, e) => (evolved++, counter.evolve(s, e as unknown as Added)));
  };

  it('continues from a stored state only when the event at its revision has the same hash', () => {
    const cache = new StreamStateCache();
    expect(fold(cache, [event(0, 'h0', 1), event(1, 'h1', 2)])).toEqual({ sum: 2, folded: 2 });
    // Same history plus one event: only the new event is folded.
    expect(fold(cache, [event(0, 'h0', 1), event(1, 'h1', 2), event(2, 'h2', 3, 5)])).toEqual({ sum: 7, folded: 3 });
    expect(evolved).toBe(1);
    // Another history at revision 2 (its hash differs): folded from the start, never the stored state.
    expect(fold(cache, [event(0, 'h0', 1), event(1, 'h1', 2), event(2, 'other', 3, 100)])).toEqual({ sum: 102, folded: 3 });
    expect(evolved).toBe(3);
  });

  it('never stores a state that includes a staged (uncommitted, negative position) event', () => {
    const cache = new StreamStateCache();
    fold(cache, [event(0, 'h0', 1), event(1, 'staged', -1, 50)]);
    // The staged event was never committed; the stream at revision 1 is another event.
    expect(fold(cache, [event(0, 'h0', 1), event(1, 'h1', 2, 2)])).toEqual({ sum: 3, folded: 2 });
  });

  it('stored states are frozen under jest: a fold that mutated one would throw', () => {
    const cache = new StreamStateCache();
    const mutating = (s: { sum: number; folded: number }) => {
      s.sum += 1;
      return s;
    };
    cache.fold('m', counter, [event(0, 'h0', 1)], counter.initialState, (s) => ({ ...s, sum: 1 }));
    expect(() => cache.fold('m', counter, [event(0, 'h0', 1), event(1, 'h1', 2)], counter.initialState, mutating)).toThrow(TypeError);
  });
});

describe('stream cache eviction (LruMap)', () => {
  const stream = (id: string, n: number): RecordedEvent[] =>
    Array.from({ length: n }, (_, revision) => ({ streamId: id, revision, hash: `${id}${revision}`, position: revision + 1 }) as unknown as RecordedEvent);

  it('given a budget of 16 events held by four 4-event streams, when the first is read and a fifth set, then the least recently used goes', () => {
    const cache = new StreamEventCache(4 * 4); // a stream may take a quarter of the budget: 4 events each
    cache.set('a', stream('a', 4));
    cache.set('b', stream('b', 4));
    cache.set('c', stream('c', 4));
    cache.set('d', stream('d', 4));
    cache.get('a');
    cache.set('e', stream('e', 4));
    expect(['a', 'b', 'c', 'd', 'e'].filter((id) => cache.has(id))).toEqual(['a', 'c', 'd', 'e']);
    // An append does not count as a use: c, now the oldest, grows past the budget and is the one evicted.
    cache.appended('c', stream('c', 5).slice(4));
    expect(['a', 'c', 'd', 'e'].filter((id) => cache.has(id))).toEqual(['a', 'd', 'e']);
  });

  it('given streams set, evicted and set again many times over, then the budget holds and the newest stay', () => {
    const cache = new StreamEventCache(400);
    for (let i = 0; i < 10_000; i++) cache.set(`s${i % 700}`, stream(`s${i % 700}`, 1 + (i % 3)));
    const held = Array.from({ length: 700 }, (_, k) => `s${k}`).filter((id) => cache.has(id));
    const events = held.reduce((sum, id) => sum + cache.get(id)!.length, 0);
    expect(events).toBeLessThanOrEqual(400);
    expect(events).toBeGreaterThan(390);
    expect(cache.has(`s${9_999 % 700}`)).toBe(true);
  });
});
