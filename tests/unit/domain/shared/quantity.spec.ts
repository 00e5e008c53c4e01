import fc from 'fast-check';
import { ValidationError } from '../../../../domain/shared/errors';
import {
  add,
  compare,
  convert,
  COUNT_UNITS,
  isPositive,
  MASS_UNITS,
  qty,
  subtract,
  toBaseUnit,
  type MassUnit,
  type Quantity,
} from '../../../../domain/shared/quantity';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  return undefined;
}

describe('quantity', () => {
  it('reduces mass to integer milligrams and counts to items', () => {
    expect(toBaseUnit({ amount: 1.5, unit: 'kg' })).toEqual({ amount: 1_500_000, unit: 'mg' });
    expect(toBaseUnit({ amount: 1, unit: 'jin' })).toEqual({ amount: 500_000, unit: 'mg' });
    expect(toBaseUnit({ amount: 0.001, unit: 't' })).toEqual({ amount: 1_000_000, unit: 'mg' });
    expect(toBaseUnit({ amount: 0.001, unit: 'g' })).toEqual({ amount: 1, unit: 'mg' });
    expect(toBaseUnit({ amount: 12, unit: 'head' })).toEqual({ amount: 12, unit: 'head' });
  });

  it('converts among mass units exactly (斤 = 0.5 kg)', () => {
    expect(convert({ amount: 3, unit: 'jin' }, 'kg')).toEqual({ amount: 1.5, unit: 'kg' });
    expect(convert({ amount: 1.234, unit: 't' }, 'kg')).toEqual({ amount: 1234, unit: 'kg' });
    expect(convert({ amount: 250, unit: 'g' }, 'jin')).toEqual({ amount: 0.5, unit: 'jin' });
  });

  it('adds without float drift', () => {
    expect(add({ amount: 0.1, unit: 'kg' }, { amount: 0.2, unit: 'kg' })).toEqual({ amount: 0.3, unit: 'kg' });
    expect(subtract({ amount: 0.3, unit: 'kg' }, { amount: 0.1, unit: 'kg' })).toEqual({ amount: 0.2, unit: 'kg' });
    expect(add({ amount: 1, unit: 'kg' }, { amount: 1, unit: 'jin' })).toEqual({ amount: 1.5, unit: 'kg' });
  });

  it('compares across compatible units and checks positivity', () => {
    expect(compare({ amount: 2, unit: 'jin' }, { amount: 1, unit: 'kg' })).toBe(0);
    expect(compare({ amount: 999, unit: 'g' }, { amount: 1, unit: 'kg' })).toBe(-1);
    expect(compare({ amount: 1, unit: 't' }, { amount: 1999, unit: 'jin' })).toBe(1);
    expect(isPositive({ amount: 0.001, unit: 'g' })).toBe(true);
    expect(isPositive({ amount: 0, unit: 'kg' })).toBe(false);
    expect(isPositive({ amount: -1, unit: 'box' })).toBe(false);
  });

  it("rejects converting between mass and count, or between count units, naming 'unit'", () => {
    expect(fieldOf(() => convert({ amount: 1, unit: 'kg' }, 'piece'))).toBe('unit');
    expect(fieldOf(() => convert({ amount: 1, unit: 'box' }, 'piece'))).toBe('unit');
    expect(fieldOf(() => add({ amount: 1, unit: 'head' }, { amount: 1, unit: 'kg' }))).toBe('unit');
    expect(fieldOf(() => compare({ amount: 1, unit: 'crate' }, { amount: 1, unit: 'box' }))).toBe('unit');
  });

  it('rejects more than 3 decimals, fractional counts, unknown units and non-numbers', () => {
    expect(fieldOf(() => qty(1.0005, 'kg'))).toBe('quantity.amount');
    expect(fieldOf(() => qty(1.5, 'piece'))).toBe('quantity.amount');
    expect(fieldOf(() => qty(Number.NaN, 'kg'))).toBe('quantity.amount');
    expect(fieldOf(() => toBaseUnit({ amount: 1, unit: 'lb' as never }))).toBe('quantity.unit');
    expect(fieldOf(() => qty(1e13, 't'))).toBe('quantity.amount');
  });

  it('rejects a conversion that would need more than 3 decimals in the target unit', () => {
    expect(fieldOf(() => convert({ amount: 1, unit: 'g' }, 't'))).toBe('quantity.amount');
  });
});

const massUnit = fc.constantFrom<MassUnit>(...MASS_UNITS);
/** Any valid mass quantity: an integer number of thousandths. */
const massQuantity = fc
  .tuple(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), massUnit)
  .map(([milli, unit]): Quantity => ({ amount: milli / 1000, unit }));

describe('quantity properties', () => {
  it('a conversion that succeeds converts back to exactly the original', () => {
    fc.assert(
      fc.property(massQuantity, massUnit, (q, target) => {
        let there: Quantity;
        try {
          there = convert(q, target);
        } catch (e) {
          // Only allowed failure: the target unit cannot hold the precision (e.g. 1 g in t).
          expect(e).toBeInstanceOf(ValidationError);
          expect(toBaseUnit(q).amount % { g: 1, kg: 1_000, t: 1_000_000, jin: 500 }[target]).not.toBe(0);
          return;
        }
        expect(convert(there, q.unit)).toEqual(q);
        expect(compare(there, q)).toBe(0);
      }),
    );
  });

  it('converting to a finer unit always succeeds (kg → g, t → kg, jin → g, kg → jin)', () => {
    const pairs: [MassUnit, MassUnit][] = [['kg', 'g'], ['t', 'kg'], ['jin', 'g'], ['kg', 'jin'], ['t', 'jin']];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.constantFrom(...pairs), (milli, [from, to]) => {
        const q = { amount: milli / 1000, unit: from };
        expect(convert(convert(q, to), from)).toEqual(q);
      }),
    );
  });

  it('add then subtract returns the original, in any compatible unit', () => {
    fc.assert(
      fc.property(massQuantity, massQuantity, (a, b) => {
        let sum: Quantity;
        try {
          sum = add(a, b);
        } catch {
          return; // b not representable in a's unit
        }
        expect(subtract(sum, b)).toEqual(a);
      }),
    );
  });

  it('count quantities only combine with the same unit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COUNT_UNITS), fc.constantFrom(...COUNT_UNITS), fc.nat(10_000), (u1, u2, n) => {
        if (u1 === u2) expect(convert({ amount: n, unit: u1 }, u2)).toEqual({ amount: n, unit: u2 });
        else expect(fieldOf(() => convert({ amount: n, unit: u1 }, u2))).toBe('unit');
      }),
    );
  });
});
