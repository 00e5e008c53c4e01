import { ThrottlerStorageService } from '@nestjs/throttler';
import fc from 'fast-check';
import { SlidingWindowStorage } from '../../../../infrastructure/http/rate-limit/sliding-window-storage';

/**
 * The O(1) rate-limit storage must answer exactly like the library's ThrottlerStorageService (the guard
 * turns these answers into 429s and X-RateLimit-* headers), for any sequence of requests in time.
 */
describe('SlidingWindowStorage', () => {
  afterEach(() => jest.useRealTimers());

  it('blocks the request past the limit until the block is over, then counts afresh', async () => {
    let now = 1_000_000;
    const s = new SlidingWindowStorage(() => now, 0);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await s.increment('k', 60_000, 3, 60_000, 'login'));
    expect(answers.map((a) => a.isBlocked)).toEqual([false, false, false, true]);
    expect(answers.map((a) => a.totalHits)).toEqual([1, 2, 3, 4]);
    expect(answers[3]!.timeToBlockExpire).toBe(60);
    now += 30_000;
    expect((await s.increment('k', 60_000, 3, 60_000, 'login')).isBlocked).toBe(true);
    now += 30_001;
    const after = await s.increment('k', 60_000, 3, 60_000, 'login');
    expect(after).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('keeps clients, routes and throttlers apart', async () => {
    const s = new SlidingWindowStorage(() => 5_000, 0);
    await s.increment('a', 60_000, 1, 60_000, 'public');
    expect((await s.increment('a', 60_000, 1, 60_000, 'public')).isBlocked).toBe(true);
    expect((await s.increment('b', 60_000, 1, 60_000, 'public')).isBlocked).toBe(false);
    expect((await s.increment('a', 60_000, 1, 60_000, 'login')).isBlocked).toBe(false);
  });

  it('forgets idle clients', async () => {
    let now = 0;
    const s = new SlidingWindowStorage(() => now, 0);
    await s.increment('a', 1_000, 5, 1_000, 'public');
    now = 500;
    s.evictIdle();
    expect(s.size).toBe(1);
    now = 1_001;
    s.evictIdle();
    expect(s.size).toBe(0);
  });

  it('stays cheap with a large live window (many hits from one address)', async () => {
    let now = 0;
    const s = new SlidingWindowStorage(() => now, 0);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200_000; i++) {
      now = i; // one request per ms: 60,000 hits live in the 60 s window
      s.hit('nat', 60_000, 1e9, 60_000, 'public');
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // The hits of the last 60 s (i ≥ 140,000) plus this one.
    expect(s.hit('nat', 60_000, 1e9, 60_000, 'public').totalHits).toBe(60_001);
    // The sliding log of the library rescans all 60,000 hits per request (minutes for this loop).
    expect(ms).toBeLessThan(2_000);
  });

  it('answers like ThrottlerStorageService for any request sequence (differential)', async () => {
    const step = fc.record({
      advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_500 }), fc.integer({ min: 1_500, max: 8_000 })),
      key: fc.constantFrom('a', 'b'),
      throttler: fc.constantFrom('public', 'login'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(0, 2_000, 5_000),
        async (steps, limit, blockDuration) => {
          jest.useFakeTimers({ now: 1_700_000_000_000 });
          const reference = new ThrottlerStorageService();
          const ours = new SlidingWindowStorage(() => Date.now(), 0);
          try {
            for (const st of steps) {
              jest.setSystemTime(Date.now() + st.advanceMs);
              const key = `${st.throttler}-${st.key}`;
              const expected = await reference.increment(key, 3_000, limit, blockDuration, st.throttler);
              const actual = await ours.increment(key, 3_000, limit, blockDuration, st.throttler);
              expect(actual).toEqual(expected);
            }
          } finally {
            reference.onApplicationShutdown();
            ours.onApplicationShutdown();
            jest.useRealTimers();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
