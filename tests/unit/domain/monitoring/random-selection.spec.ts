import fc from 'fast-check';
import { drawSample, seededRandom } from '../../../../domain/monitoring/random-selection';

describe('seeded random selection', () => {
  it('is reproducible from the seed and independent of the candidates’ order', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 40 }), fc.nat(50), (seed, candidates, count) => {
        const a = drawSample(seed, candidates, count);
        const b = drawSample(seed, [...candidates].reverse(), count);
        expect(a).toEqual(b);
        expect(a).toHaveLength(Math.min(count, candidates.length));
        expect(new Set(a).size).toBe(a.length);
        for (const x of a) expect(candidates).toContain(x);
      }),
    );
  });

  it('different seeds draw differently (the draw depends on the seed)', () => {
    const pool = Array.from({ length: 200 }, (_, i) => `e-${String(i).padStart(3, '0')}`);
    const draws = new Set(['a', 'b', 'c', 'd', 'e'].map((s) => drawSample(s, pool, 10).join(',')));
    expect(draws.size).toBe(5);
  });

  it('is roughly uniform: each candidate is drawn about count/n of the time', () => {
    const pool = ['a', 'b', 'c', 'd', 'e'];
    const hits = new Map(pool.map((p) => [p, 0]));
    for (let i = 0; i < 5000; i++) for (const x of drawSample(`seed-${i}`, pool, 1)) hits.set(x, hits.get(x)! + 1);
    for (const n of hits.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('the generator stays in [0, 1)', () => {
    const next = seededRandom('x');
    for (let i = 0; i < 1000; i++) {
      const v = next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
