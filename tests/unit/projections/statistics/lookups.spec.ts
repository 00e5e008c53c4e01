import { LookupCounter } from '../../../../application/statistics/lookup-counter';
import { bucketId } from '../../../../projections/statistics';
import { counters, fold } from './fold';

/** 查询行为分析: the in-memory counter and the projection's counting of the recorded intervals. */
describe('public lookups', () => {
  it('counts by day, product and the lot’s region; an interval is taken once, a failed one is taken again under its id', () => {
    let now = Date.parse('2026-05-03T15:50:00Z'); // 23:50 CST
    const counter = new LookupCounter({ now: () => new Date(now) });
    let n = 0;
    const ids = { uuid: () => `i${++n}` } as never;
    counter.count('豇豆', '469027');
    counter.count('豇豆', '469027');
    now += 20 * 60_000; // past midnight CST: the next lookups are the next day's
    counter.count('豇豆', '469027');
    counter.count('芒果', '460202');
    const first = counter.take(ids)!;
    expect(first.counts).toEqual([
      { day: '2026-05-03', product: '豇豆', regionCode: '469027', lookups: 2 },
      { day: '2026-05-04', product: '豇豆', regionCode: '469027', lookups: 1 },
      { day: '2026-05-04', product: '芒果', regionCode: '460202', lookups: 1 },
    ]);
    counter.count('芒果', '460202');
    // Not recorded yet (the append failed): the retry gets the same interval, the new lookup waits.
    expect(counter.take(ids)).toBe(first);
    expect(counter.unrecorded()).toBe(5);
    counter.recorded(first.id);
    const second = counter.take(ids)!;
    expect(second.id).not.toBe(first.id);
    expect(second.counts).toEqual([{ day: '2026-05-04', product: '芒果', regionCode: '460202', lookups: 1 }]);
    expect(second.from).toBe(first.to);
    counter.recorded(second.id);
    expect(counter.take(ids)).toBeNull();
  });

  it('the projection counts each row on its own day, at the lot’s region and above, by product', async () => {
    const docs = await fold([
      {
        type: 'PublicLookupsCounted',
        occurredAt: '2026-05-04T00:10:00Z',
        data: {
          from: '2026-05-03T15:50:00Z',
          to: '2026-05-04T00:10:00Z',
          counts: [
            { day: '2026-05-03', product: '豇豆', regionCode: '469027', lookups: 2 },
            { day: '2026-05-04', product: '豇豆', regionCode: '469027', lookups: 1 },
            { day: '2026-05-04', product: '芒果', regionCode: '460202', lookups: 4 },
          ],
        },
      },
    ]);
    expect(counters(docs, bucketId('day', '2026-05-03', '469027', '豇豆'))).toEqual({ lookups: 2 });
    expect(counters(docs, bucketId('day', '2026-05-04', '46', '*'))).toEqual({ lookups: 5 });
    expect(counters(docs, bucketId('month', '2026-05', '', '*'))).toEqual({ lookups: 7 });
    expect(counters(docs, bucketId('month', '2026-05', '4602', '芒果'))).toEqual({ lookups: 4 });
  });
});
