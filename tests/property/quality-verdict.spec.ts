import fc from 'fast-check';
import { compareConcentrations, type ConcentrationUnit } from '../../domain/sampling/concentration';
import { judgeAnalyte, VERDICT_RANK, type AnalyteEntry } from '../../domain/sampling/verdict';
import type { AnalyteSpec } from '../../domain/monitoring/model';

/**
 * Invariants of the verdict rules (domain/sampling/verdict.ts):
 *  - a verdict never improves when the measured value rises (whatever the units, LOD and limit kind);
 *  - "not detected" is never judged worse than any measured value;
 *  - the same amount in another unit gets the same verdict (exact decimal scaling, no float drift).
 */
const FRACTION_UNITS: ConcentrationUnit[] = ['g/kg', 'mg/kg', 'μg/kg'];
const SCALE: Record<string, number> = { 'g/kg': 1e-6, 'mg/kg': 1e-3, 'μg/kg': 1 }; // factor from μg/kg

/** A decimal amount with few digits, so boundaries (value = limit, value = LOD) come up often. */
const amount = fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 4 })).map(([n, k]) => n / 10 ** k);
const concentration = fc.record({ value: amount, unit: fc.constantFrom(...FRACTION_UNITS) });
const positive = fc.record({ value: amount.filter((v) => v > 0), unit: fc.constantFrom(...FRACTION_UNITS) });

const spec: fc.Arbitrary<AnalyteSpec> = fc.oneof(
  fc.record({ limit: positive, lod: fc.option(positive, { nil: undefined }) }).map(({ limit, lod }) => ({
    code: 'x',
    name: 'x',
    limit: { kind: 'max' as const, value: limit.value, unit: limit.unit },
    ...(lod ? { lod } : {}),
  })),
  positive.map((lod) => ({ code: 'x', name: 'x', limit: { kind: 'notDetected' as const }, lod })),
);

const valueEntry = (c: { value: number; unit: ConcentrationUnit }, lod?: { value: number; unit: ConcentrationUnit }): AnalyteEntry => ({
  code: 'x',
  measurement: { kind: 'value', value: c.value, unit: c.unit },
  ...(lod ? { lod } : {}),
});

describe('verdict properties (fast-check)', () => {
  it('a higher value never gets a better verdict', () => {
    fc.assert(
      fc.property(spec, concentration, concentration, fc.option(positive, { nil: undefined }), (s, a, b, labLod) => {
        const [low, high] = compareConcentrations(a, b) <= 0 ? [a, b] : [b, a];
        const vLow = judgeAnalyte(s, valueEntry(low, labLod)).verdict;
        const vHigh = judgeAnalyte(s, valueEntry(high, labLod)).verdict;
        expect(VERDICT_RANK[vHigh]).toBeGreaterThanOrEqual(VERDICT_RANK[vLow]);
      }),
      { numRuns: 2000 },
    );
  });

  it('"not detected" is never worse than a measured value (with an LOD known)', () => {
    fc.assert(
      fc.property(spec, concentration, positive, (s, c, lod) => {
        const nd = judgeAnalyte(s, { code: 'x', measurement: { kind: 'notDetected' }, lod }).verdict;
        const measured = judgeAnalyte(s, valueEntry(c, lod)).verdict;
        expect(VERDICT_RANK[nd]).toBeLessThanOrEqual(VERDICT_RANK[measured]);
      }),
      { numRuns: 1000 },
    );
  });

  it('the same amount in another unit gets the same verdict', () => {
    fc.assert(
      fc.property(spec, fc.integer({ min: 0, max: 500_000 }), fc.constantFrom(...FRACTION_UNITS), (s, micrograms, unit) => {
        const inMicro = judgeAnalyte(s, valueEntry({ value: micrograms, unit: 'μg/kg' })).verdict;
        const other = judgeAnalyte(s, valueEntry({ value: Number((micrograms * SCALE[unit]!).toPrecision(12)), unit })).verdict;
        expect(other).toBe(inMicro);
      }),
      { numRuns: 1000 },
    );
  });
});
