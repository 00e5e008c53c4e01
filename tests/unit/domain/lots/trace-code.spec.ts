import fc from 'fast-check';
import { CROCKFORD_ALPHABET } from '../../../../domain/shared/codes';
import { ValidationError } from '../../../../domain/shared/errors';
import {
  displayTraceCode,
  formatTraceCode,
  MAX_SEQUENCE,
  normalizeTraceCode,
  parseTraceCode,
  traceCodeParts,
  type TraceCodeParts,
} from '../../../../domain/lots/trace-code';
import { SECRET } from '../support/fixtures';

const parts: TraceCodeParts = { regionCode: '110101', productionDate: '2026-11-23', entitySegment: '7K3QX', sequence: 1 };

describe('trace code', () => {
  it('is 25 characters: region, YYMMDD, entity, sequence, check', () => {
    const code = formatTraceCode(parts, SECRET);
    expect(code).toHaveLength(25);
    expect(code.slice(0, 21)).toBe('110101' + '261123' + '7K3QX' + '0001');
    expect(displayTraceCode(code)).toMatch(/^110101-261123-7K3QX-0001-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('parses back to its parts', () => {
    const code = formatTraceCode({ ...parts, sequence: 12345 }, SECRET);
    expect(parseTraceCode(code, SECRET)).toEqual({ ok: true, code, parts: { ...parts, sequence: 12345 } });
  });

  it('accepts the displayed form, lower case, spaces and Crockford aliases', () => {
    const code = formatTraceCode({ ...parts, entitySegment: '1K0QX' }, SECRET);
    const typed = ` ${displayTraceCode(code).toLowerCase().replace(/1/g, 'l').replace(/0/g, 'o')} `;
    expect(normalizeTraceCode(typed)).toBe(code);
    expect(parseTraceCode(typed, SECRET)).toMatchObject({ ok: true, code });
  });

  it('rejects wrong shape as format and a wrong check segment as checksum', () => {
    const code = formatTraceCode(parts, SECRET);
    expect(parseTraceCode(code.slice(0, 24), SECRET)).toEqual({ ok: false, reason: 'format' });
    expect(parseTraceCode('110101261323' + code.slice(12), SECRET)).toEqual({ ok: false, reason: 'format' }); // month 13
    expect(parseTraceCode(code.slice(0, 17) + '0000' + code.slice(21), SECRET)).toEqual({ ok: false, reason: 'format' }); // sequence 0
    expect(parseTraceCode(code.slice(0, 12) + 'U' + code.slice(13), SECRET)).toEqual({ ok: false, reason: 'format' });
    expect(parseTraceCode(code, 'another-secret')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('refuses to format impossible parts, naming the part', () => {
    const field = (p: Partial<TraceCodeParts>) => {
      try {
        formatTraceCode({ ...parts, ...p }, SECRET);
      } catch (e) {
        return (e as ValidationError).field;
      }
      return undefined;
    };
    expect(field({ regionCode: '11010' })).toBe('regionCode');
    expect(field({ productionDate: '2026-02-30' })).toBe('productionDate');
    expect(field({ entitySegment: 'UUUUU' })).toBe('entitySegment');
    expect(field({ sequence: 0 })).toBe('sequence');
    expect(field({ sequence: MAX_SEQUENCE + 1 })).toBe('sequence');
    expect(() => formatTraceCode(parts, '')).toThrow(ValidationError);
  });

  it('traceCodeParts checks structure only (no secret)', () => {
    const code = formatTraceCode(parts, SECRET);
    expect(traceCodeParts(code.slice(0, 21) + '0000')).toEqual(parts);
    expect(traceCodeParts(code.toLowerCase())).toBeUndefined();
  });
});

/** Every character a mutation may put in: anything typeable that does not normalize to the original. */
const MUTATION_CHARS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

function mutations(code: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < code.length; i++) {
    for (const ch of MUTATION_CHARS) {
      const mutated = code.slice(0, i) + ch + code.slice(i + 1);
      if (normalizeTraceCode(mutated) !== code) out.push(mutated);
    }
  }
  return out;
}

const arbitraryParts = fc.record({
  regionCode: fc.constantFrom('110101', '510104', '440305', '370102', '441900'),
  productionDate: fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  entitySegment: fc.string({ unit: fc.constantFrom(...CROCKFORD_ALPHABET), minLength: 5, maxLength: 5 }),
  sequence: fc.integer({ min: 1, max: MAX_SEQUENCE }),
});

describe('trace code properties', () => {
  it('every valid code parses back to its parts', () => {
    fc.assert(
      fc.property(arbitraryParts, fc.string({ minLength: 1 }), (p, secret) => {
        const code = formatTraceCode(p, secret);
        expect(parseTraceCode(code, secret)).toEqual({ ok: true, code, parts: p });
        expect(parseTraceCode(displayTraceCode(code), secret)).toEqual({ ok: true, code, parts: p });
      }),
    );
  });

  /*
   * The check segment is a 20-bit MAC, so a mutated body collides with probability 2^-20 (about one
   * in a million). The random property therefore runs with a fixed seed: it is deterministic, yet
   * fails at once if parsing stopped checking anything. The exhaustive sweep below covers every
   * single-character change of a few codes.
   */
  it('rejects any single-character change of a valid code (random codes, random change)', () => {
    fc.assert(
      fc.property(arbitraryParts, fc.nat(24), fc.constantFrom(...MUTATION_CHARS), (p, position, ch) => {
        const code = formatTraceCode(p, SECRET);
        const mutated = code.slice(0, position) + ch + code.slice(position + 1);
        fc.pre(normalizeTraceCode(mutated) !== code);
        expect(parseTraceCode(mutated, SECRET).ok).toBe(false);
      }),
      { seed: 20261123, numRuns: 2000 },
    );
  });

  it('rejects every one of the 25 × 35 single-character changes of sample codes', () => {
    for (const p of [parts, { ...parts, sequence: MAX_SEQUENCE }, { ...parts, regionCode: '510104', entitySegment: 'ZZZZ0' }]) {
      const code = formatTraceCode(p, SECRET);
      const all = mutations(code);
      expect(all.length).toBeGreaterThan(25 * 30);
      const accepted = all.filter((m) => parseTraceCode(m, SECRET).ok);
      expect(accepted).toEqual([]);
    }
  });
});
