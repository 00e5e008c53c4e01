import fc from 'fast-check';
import { CROCKFORD_ALPHABET } from '../../../../domain/shared/codes';
import { ValidationError } from '../../../../domain/shared/errors';
import {
  displayEid,
  entitySegmentOfEid,
  generateEid,
  isValidEid,
  normalizeEid,
  regionOfEid,
} from '../../../../domain/registration/eid';
import { creditCodeCheckChar, isValidCreditCode } from '../../../../domain/registration/credit-code';

describe('e-ID', () => {
  it('is region + 5 Crockford chars + a MOD 37,36 check char', () => {
    const eid = generateEid('110101', '7k3qx');
    expect(eid).toMatch(/^1101017K3QX[0-9A-Z]$/);
    expect(isValidEid(eid)).toBe(true);
    expect(regionOfEid(eid)).toBe('110101');
    expect(entitySegmentOfEid(eid)).toBe('7K3QX');
    expect(displayEid(eid)).toBe(`110101-7K3QX-${eid[11]}`);
    expect(normalizeEid(displayEid(eid).toLowerCase())).toBe(eid);
  });

  it('refuses an unknown region or a bad random part', () => {
    expect(() => generateEid('999999', '7K3QX')).toThrow(ValidationError);
    expect(() => generateEid('110101', '7K3Q')).toThrow(ValidationError);
    expect(() => generateEid('110101', '7K3QU')).toThrow(ValidationError);
  });

  it('detects any single-character change', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...CROCKFORD_ALPHABET), minLength: 5, maxLength: 5 }),
        fc.nat(11),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
        (random, pos, ch) => {
          const eid = generateEid('510104', random);
          fc.pre(eid[pos] !== ch);
          expect(isValidEid(eid.slice(0, pos) + ch + eid.slice(pos + 1))).toBe(false);
        },
      ),
    );
  });
});

describe('unified social credit code', () => {
  it('accepts a published valid code and rejects a changed check character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(creditCodeCheckChar('91350100M000100YI')).toBeUndefined(); // I is not in the alphabet
  });
});
