import { ValidationError } from '../shared/errors';

/**
 * Residue concentrations as labs report them (GB 2763 limits are in mg/kg). Two dimensions that never
 * convert into each other without a density: mass fraction (per kg of sample) and mass concentration
 * (per litre, e.g. water or milk).
 *
 * Comparisons are exact: a number is read as the decimal the lab typed (its shortest round-trip form,
 * e.g. 0.01 → 1×10⁻²) and scaled by powers of ten, so 10 μg/kg equals 0.01 mg/kg exactly — a float
 * multiplication would make 0.01 mg/kg = 10.000000000000002 μg/kg and turn a pass into a fail.
 */
export const CONCENTRATION_UNITS = ['g/kg', 'mg/kg', 'μg/kg', 'mg/L', 'μg/L'] as const;
export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

/** Spellings accepted on input: ASCII "u", the micro sign (U+00B5) and ppm/ppb for mass fractions. */
const ALIASES: Record<string, ConcentrationUnit> = {
  'ug/kg': 'μg/kg',
  'µg/kg': 'μg/kg',
  ppb: 'μg/kg',
  ppm: 'mg/kg',
  'ug/L': 'μg/L',
  'µg/L': 'μg/L',
  'mg/l': 'mg/L',
  'ug/l': 'μg/L',
  'μg/l': 'μg/L',
};

/** Power of ten from the unit to the base of its dimension (ng/kg or ng/L). */
const EXPONENT: Record<ConcentrationUnit, { dimension: 'fraction' | 'concentration'; exp: number }> = {
  'g/kg': { dimension: 'fraction', exp: 9 },
  'mg/kg': { dimension: 'fraction', exp: 6 },
  'μg/kg': { dimension: 'fraction', exp: 3 },
  'mg/L': { dimension: 'concentration', exp: 6 },
  'μg/L': { dimension: 'concentration', exp: 3 },
};

export interface Concentration {
  value: number;
  unit: ConcentrationUnit;
}

/** The canonical unit for a spelling, or undefined. */
export function normalizeConcentrationUnit(unit: unknown): ConcentrationUnit | undefined {
  if (typeof unit !== 'string') return undefined;
  if ((CONCENTRATION_UNITS as readonly string[]).includes(unit)) return unit as ConcentrationUnit;
  return ALIASES[unit];
}

export function requireConcentrationUnit(unit: unknown, field: string): ConcentrationUnit {
  const u = normalizeConcentrationUnit(unit);
  if (!u) throw new ValidationError(field, `${field} must be one of ${CONCENTRATION_UNITS.join(', ')}`, { value: unit });
  return u;
}

/** A non-negative finite value with a known unit (normalized). `positive` refuses 0 (limits, LODs). */
export function requireConcentration(c: unknown, field: string, positive = false): Concentration {
  if (typeof c !== 'object' || c === null) throw new ValidationError(field, `${field} must be an object {value, unit}`);
  const { value, unit } = c as Record<string, unknown>;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new ValidationError(`${field}.value`, `${field}.value must be a ${positive ? 'positive' : 'non-negative'} finite number`, { value });
  }
  return { value, unit: requireConcentrationUnit(unit, `${field}.unit`) };
}

export function dimensionOf(unit: ConcentrationUnit): 'fraction' | 'concentration' {
  return EXPONENT[unit].dimension;
}

export function areComparable(a: ConcentrationUnit, b: ConcentrationUnit): boolean {
  return dimensionOf(a) === dimensionOf(b);
}

/** value = int × 10^exp, exactly. */
interface Decimal {
  int: bigint;
  exp: number;
}

function toDecimal(n: number): Decimal {
  // toExponential() without digits gives the shortest digits that round-trip: the decimal the lab typed.
  const [mantissa, e] = n.toExponential().split('e') as [string, string];
  const fraction = mantissa.split('.')[1] ?? '';
  return { int: BigInt(mantissa.replace('.', '')), exp: Number(e) - fraction.length };
}

function inBase(c: Concentration): Decimal {
  const d = toDecimal(c.value);
  return { int: d.int, exp: d.exp + EXPONENT[c.unit].exp };
}

function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const exp = Math.min(a.exp, b.exp);
  const x = a.int * 10n ** BigInt(a.exp - exp);
  const y = b.int * 10n ** BigInt(b.exp - exp);
  return x < y ? -1 : x > y ? 1 : 0;
}

function incompatible(a: ConcentrationUnit, b: ConcentrationUnit, field: string): ValidationError {
  return new ValidationError(field, `cannot compare ${a} with ${b} (per kg vs per litre)`, { from: a, to: b });
}

/** Exact comparison across units of one dimension; ValidationError(field) across dimensions. */
export function compareConcentrations(a: Concentration, b: Concentration, field = 'unit'): -1 | 0 | 1 {
  if (!areComparable(a.unit, b.unit)) throw incompatible(a.unit, b.unit, field);
  return compareDecimals(inBase(a), inBase(b));
}

/** The same amount in another unit of the same dimension (the nearest double to the exact decimal). */
export function convertConcentration(c: Concentration, unit: ConcentrationUnit, field = 'unit'): Concentration {
  if (!areComparable(c.unit, unit)) throw incompatible(c.unit, unit, field);
  if (c.unit === unit) return { value: c.value, unit };
  const d = toDecimal(c.value);
  return { value: Number(`${d.int}e${d.exp + EXPONENT[c.unit].exp - EXPONENT[unit].exp}`), unit };
}

export function formatConcentration(c: Concentration): string {
  return `${c.value} ${c.unit}`;
}
