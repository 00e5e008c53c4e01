import fc from 'fast-check';
import { LruMap } from '../../../../application/ledger/lru-map';

describe('LruMap', () => {
  it('given three keys set in order, when the oldest are evicted, then they go in insertion order', () => {
    const lru = new LruMap<string, number>();
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.evictOldest()).toEqual(['a', 1]);
    expect(lru.evictOldest()).toEqual(['b', 2]);
    expect(lru.size).toBe(1);
  });

  it('given a key read with get, then it is the newest; read with peek, then its place is kept', () => {
    const lru = new LruMap<string, number>();
    for (const k of ['a', 'b', 'c']) lru.set(k, 0);
    lru.get('a');
    lru.peek('b');
    expect(lru.evictOldest()?.[0]).toBe('b');
    expect(lru.evictOldest()?.[0]).toBe('c');
    expect(lru.evictOldest()?.[0]).toBe('a');
    expect(lru.evictOldest()).toBeUndefined();
  });

  it('given the cache was emptied by evictions, when keys are added again, then they are evicted too (a finished iterator is replaced)', () => {
    const lru = new LruMap<string, number>();
    lru.set('a', 1);
    expect(lru.evictOldest()).toEqual(['a', 1]);
    expect(lru.evictOldest()).toBeUndefined();
    lru.set('b', 2);
    expect(lru.evictOldest()).toEqual(['b', 2]);
  });

  it('given cleared, then nothing is left to evict and later keys evict in order', () => {
    const lru = new LruMap<string, number>();
    lru.set('a', 1);
    lru.set('b', 2);
    lru.evictOldest();
    lru.clear();
    expect(lru.evictOldest()).toBeUndefined();
    lru.set('c', 3);
    lru.set('d', 4);
    expect(lru.evictOldest()).toEqual(['c', 3]);
  });

  it('given any sequence of set, get, peek, delete and evict, then it agrees with a list kept in use order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 7 }), value: fc.integer() }),
      fc.record({ kind: fc.constantFrom('get' as const, 'peek' as const, 'delete' as const), key: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('evict' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const lru = new LruMap<number, number>();
        let model: [number, number][] = []; // oldest first
        for (const o of ops) {
          if (o.kind === 'set') {
            lru.set(o.key, o.value);
            model = [...model.filter(([k]) => k !== o.key), [o.key, o.value]];
          } else if (o.kind === 'get') {
            const found = model.find(([k]) => k === o.key);
            expect(lru.get(o.key)).toBe(found?.[1]);
            if (found) model = [...model.filter(([k]) => k !== o.key), found];
          } else if (o.kind === 'peek') {
            expect(lru.peek(o.key)).toBe(model.find(([k]) => k === o.key)?.[1]);
          } else if (o.kind === 'delete') {
            expect(lru.delete(o.key)).toBe(model.some(([k]) => k === o.key));
            model = model.filter(([k]) => k !== o.key);
          } else {
            expect(lru.evictOldest()).toEqual(model.shift());
          }
          expect(lru.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
