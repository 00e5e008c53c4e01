import { ValidationError } from './errors';

/**
 * Quantities with units. Mass units convert among themselves; each count unit stands alone
 * (a box holds an unknown number of pieces, so `box` and `piece` never convert).
 *
 * Arithmetic never happens on floats: every amount is turned into an integer number of
 * milligrams (mass) or of items (count) first, so 0.1 kg + 0.2 kg is exactly 0.3 kg.
 * That is why an amount may carry at most 3 decimals in its own unit, and count amounts must be whole.
 */
export const MASS_UNITS = ['g', 'kg', 't', 'jin'] as const;
export const COUNT_UNITS = ['piece', 'head', 'box', 'crate'] as const;
export const UNITS = [...MASS_UNITS, ...COUNT_UNITS] as const;

export type MassUnit = (typeof MASS_UNITS)[number];
export type CountUnit = (typeof COUNT_UNITS)[number];
export type Unit = MassUnit | CountUnit;

export interface Quantity {
  amount: number;
  unit: Unit;
}

/** Chinese labels for printing (labels, certificates). 斤 is the market jin of 500 g. */
export const UNIT_LABELS_ZH: Record<Unit, string> = {
  g: '克',
  kg: '千克',
  t: '吨',
  jin: '斤',
  piece: '件',
  head: '头',
  box: '箱',
  crate: '筐',
};

/** Milligrams per 0.001 of the unit (one "milli-unit"), so milli-units × factor = integer mg. */
const MG_PER_MILLI_UNIT: Record<MassUnit, number> = { g: 1, kg: 1_000, t: 1_000_000, jin: 500 };

/** The integer base a quantity is reduced to: milligrams for mass, items for a count unit. */
export interface BaseAmount {
  amount: number;
  unit: 'mg' | CountUnit;
}

export function isUnit(value: unknown): value is Unit {
  return typeof value === 'string' && (UNITS as readonly string[]).includes(value);
}

export function isMassUnit(unit: Unit): unit is MassUnit {
  return (MASS_UNITS as readonly string[]).includes(unit);
}

export function isCountUnit(unit: Unit): unit is CountUnit {
  return (COUNT_UNITS as readonly string[]).includes(unit);
}

/** Whether two units measure the same thing (so `convert` can go from one to the other). */
export function areCompatible(a: Unit, b: Unit): boolean {
  return a === b || (isMassUnit(a) && isMassUnit(b));
}

/** Builds a quantity, validating it. `field` names the input in the ValidationError. */
export function qty(amount: number, unit: Unit, field = 'quantity'): Quantity {
  const q = { amount, unit };
  assertValidQuantity(q, field);
  return q;
}

/** Throws ValidationError(field…) unless the quantity has a known unit and a representable amount. */
export function assertValidQuantity(q: unknown, field = 'quantity'): asserts q is Quantity {
  if (typeof q !== 'object' || q === null) throw new ValidationError(field, `${field} must be an object {amount, unit}`);
  const { amount, unit } = q as Record<string, unknown>;
  if (!isUnit(unit)) {
    throw new ValidationError(`${field}.unit`, `unknown unit ${JSON.stringify(unit)}; expected one of ${UNITS.join(', ')}`);
  }
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    throw new ValidationError(`${field}.amount`, `${field}.amount must be a finite number`);
  }
  toMilliUnits(amount, unit, field);
}

/** amount → integer thousandths of the unit (whole items for count units), rejecting excess precision. */
function toMilliUnits(amount: number, unit: Unit, field: string): number {
  if (isCountUnit(unit)) {
    if (!Number.isSafeInteger(amount)) {
      throw new ValidationError(`${field}.amount`, `${field}.amount must be a whole number of ${unit}`, { amount, unit });
    }
    return amount;
  }
  const milli = Math.round(amount * 1000);
  // Division by 1000 is correctly rounded, so this is an exact test of "at most 3 decimals".
  if (milli / 1000 !== amount) {
    throw new ValidationError(`${field}.amount`, `${field}.amount allows at most 3 decimals in ${unit}`, { amount, unit });
  }
  if (!Number.isSafeInteger(milli * MG_PER_MILLI_UNIT[unit])) {
    throw new ValidationError(`${field}.amount`, `${field}.amount is too large`, { amount, unit });
  }
  return milli;
}

/** The integer milligrams (mass) or items (count) of a quantity. */
export function toBaseUnit(q: Quantity, field = 'quantity'): BaseAmount {
  assertValidQuantity(q, field);
  if (isCountUnit(q.unit)) return { amount: q.amount, unit: q.unit };
  return { amount: toMilliUnits(q.amount, q.unit, field) * MG_PER_MILLI_UNIT[q.unit], unit: 'mg' };
}

/** Back from the integer base to `unit`; ValidationError if the result would need more than 3 decimals. */
export function fromBaseUnit(base: BaseAmount, unit: Unit, field = 'quantity'): Quantity {
  if (isCountUnit(unit)) {
    if (base.unit !== unit) throw incompatible(base.unit, unit);
    return { amount: base.amount, unit };
  }
  if (base.unit !== 'mg') throw incompatible(base.unit, unit);
  const factor = MG_PER_MILLI_UNIT[unit];
  if (base.amount % factor !== 0) {
    throw new ValidationError(`${field}.amount`, `${field} cannot be expressed in ${unit} with at most 3 decimals`, {
      milligrams: base.amount,
      unit,
    });
  }
  return { amount: base.amount / factor / 1000 + 0, unit }; // `+ 0` turns -0 into 0
}

function incompatible(from: string, to: string): ValidationError {
  return new ValidationError('unit', `cannot convert ${from} to ${to}`, { from, to });
}

/** Converts to another unit. ValidationError('unit') when the units measure different things. */
export function convert(q: Quantity, unit: Unit, field = 'quantity'): Quantity {
  assertValidQuantity(q, field);
  if (!isUnit(unit)) throw new ValidationError('unit', `unknown unit ${JSON.stringify(unit)}`);
  if (!areCompatible(q.unit, unit)) throw incompatible(q.unit, unit);
  if (q.unit === unit) return { amount: q.amount, unit };
  return fromBaseUnit(toBaseUnit(q, field), unit, field);
}

function baseOfBoth(a: Quantity, b: Quantity): [number, number] {
  if (!areCompatible(a.unit, b.unit)) throw incompatible(b.unit, a.unit);
  return [toBaseUnit(a).amount, toBaseUnit(b).amount];
}

/** a + b, in a's unit. */
export function add(a: Quantity, b: Quantity): Quantity {
  const [x, y] = baseOfBoth(a, b);
  return fromBaseUnit({ amount: x + y, unit: toBaseUnit(a).unit }, a.unit);
}

/** a − b, in a's unit (may be negative; use isPositive / compare to check). */
export function subtract(a: Quantity, b: Quantity): Quantity {
  const [x, y] = baseOfBoth(a, b);
  return fromBaseUnit({ amount: x - y, unit: toBaseUnit(a).unit }, a.unit);
}

/** -1, 0 or 1. ValidationError('unit') when incompatible. */
export function compare(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const [x, y] = baseOfBoth(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isPositive(q: Quantity): boolean {
  return toBaseUnit(q).amount > 0;
}

export function isZero(q: Quantity): boolean {
  return toBaseUnit(q).amount === 0;
}

export function zero(unit: Unit): Quantity {
  return { amount: 0, unit };
}

/** e.g. "12.5 kg" — for messages and logs. */
export function formatQuantity(q: Quantity): string {
  return `${q.amount} ${q.unit}`;
}
