import fc from 'fast-check';
import {
  CROCKFORD_ALPHABET,
  crockfordFromLeadingBits,
  decodeCrockford,
  encodeCrockford,
  isValidMod3736,
  mod3736CheckChar,
  normalizeCrockford,
} from '../../../../domain/shared/codes';

describe('Crockford base32', () => {
  it('normalizes the aliases', () => {
    expect(normalizeCrockford('oil-0')).toBe('011-0');
  });

  it('encodes and decodes fixed-width numbers', () => {
    expect(encodeCrockford(1, 4)).toBe('0001');
    expect(encodeCrockford(32 ** 4 - 1, 4)).toBe('ZZZZ');
    expect(() => encodeCrockford(32 ** 4, 4)).toThrow(RangeError);
    expect(decodeCrockford('0010')).toBe(32);
    expect(decodeCrockford('00U0')).toBeUndefined();
    fc.assert(fc.property(fc.integer({ min: 0, max: 32 ** 6 - 1 }), (n) => expect(decodeCrockford(encodeCrockford(n, 6))).toBe(n)));
  });

  it('takes leading bits of a buffer, 5 per character', () => {
    // 0xFF 0x00 0xFF → bits 11111 11100 00000 01111 ...
    expect(crockfordFromLeadingBits(Uint8Array.from([0xff, 0x00, 0xff]), 4)).toBe('ZW0F');
  });
});

describe('ISO 7064 MOD 37,36', () => {
  it('matches the published GRid example (A1-2425G-ABC1234002-M)', () => {
    expect(mod3736CheckChar('A12425GABC1234002')).toBe('M');
    expect(isValidMod3736('A12425GABC1234002M')).toBe(true);
  });

  it('detects every single-character substitution', () => {
    const alnum = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...CROCKFORD_ALPHABET), minLength: 5, maxLength: 15 }),
        fc.nat(),
        fc.constantFrom(...alnum),
        (body, pos, replacement) => {
          const code = body + mod3736CheckChar(body);
          const i = pos % code.length;
          fc.pre(code[i] !== replacement);
          expect(isValidMod3736(code.slice(0, i) + replacement + code.slice(i + 1))).toBe(false);
        },
      ),
    );
  });

  it('detects nearly all adjacent transpositions (hybrid systems miss a few; the doc comment says so)', () => {
    const body = '1101017K3QX';
    let swaps = 0;
    let missed = 0;
    for (const a of CROCKFORD_ALPHABET) {
      for (const b of CROCKFORD_ALPHABET) {
        if (a === b) continue;
        const text = body + a + b;
        const code = text + mod3736CheckChar(text);
        const swapped = body + b + a + code.slice(-1);
        swaps += 1;
        if (isValidMod3736(swapped)) missed += 1;
      }
    }
    expect(missed / swaps).toBeLessThan(0.01);
  });
});
