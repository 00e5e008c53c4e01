/**
 * Exact decimal strings for coordinates and scales. Seed 003 asks that 点位经纬度 keep at least 6 decimals and that
 * ㎡ be converted to 亩; floats would round both, so values stay strings and arithmetic is on scaled BigInts.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

export function decimalPlaces(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** Strips a leading '+', leading zeros of the integer part and trailing zeros of the fraction: '007.50' → '7.5'. */
export function normalizeDecimal(value: string): string {
  const negative = value.startsWith('-');
  const body = negative ? value.slice(1) : value;
  let [int = '0', frac = ''] = body.split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return negative && out !== '0' ? `-${out}` : out;
}

function scaled(value: string, places: number): bigint {
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  const n = BigInt(int + frac.padEnd(places, '0').slice(0, places));
  return negative ? -n : n;
}

/**
 * a < b → -1, equal → 0, a > b → 1, exactly. Decimals of at most 15 significant digits (any string of at most 15
 * characters) convert to distinct doubles in the same order, so those compare as numbers (the import's
 * coordinates and scales); longer ones on scaled BigInts.
 */
export function compareDecimal(a: string, b: string): number {
  if (a.length <= 15 && b.length <= 15) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareDecimalExact(a, b);
}

/** compareDecimal on scaled BigInts, for any length. */
export function compareDecimalExact(a: string, b: string): number {
  const places = Math.max(decimalPlaces(a), decimalPlaces(b));
  const x = scaled(a, places);
  const y = scaled(b, places);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a × b, exactly (the product of two finite decimals is a finite decimal). */
export function multiplyDecimal(a: string, b: string): string {
  const pa = decimalPlaces(a);
  const pb = decimalPlaces(b);
  const product = scaled(a, pa) * scaled(b, pb);
  const places = pa + pb;
  const negative = product < 0n;
  const digits = (negative ? -product : product).toString().padStart(places + 1, '0');
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return normalizeDecimal(`${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`);
}

/** 1 亩 = 10000 / 15 ㎡, so ㎡ × 0.0015 = 亩 exactly (200 ㎡ = 0.3 亩, seed 003 §三). */
export const MU_PER_SQUARE_METRE = '0.0015';

export function squareMetresToMu(squareMetres: string): string {
  return multiplyDecimal(squareMetres, MU_PER_SQUARE_METRE);
}
