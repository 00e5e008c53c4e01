/**
 * Check-character and alphabet helpers for the platform's identifiers.
 *
 * Crockford base32 (https://www.crockford.com/base32.html): 0-9 and A-Z without I, L, O, U, so
 * codes read aloud or typed from a label survive the usual confusions (O/0, I/L/1).
 *
 * ISO/IEC 7064 MOD 37,36: the "hybrid" system for alphanumeric strings with one alphanumeric
 * check character; it detects every single-character substitution and almost every adjacent
 * transposition (about 1 in 1,000 slips through — measured, see tests).
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CROCKFORD_RE = /^[0-9A-HJKMNP-TV-Z]*$/;

export function isCrockford(text: string): boolean {
  return typeof text === 'string' && CROCKFORD_RE.test(text);
}

/** Uppercases and maps the Crockford aliases (O→0, I and L→1). Does not strip separators. */
export function normalizeCrockford(text: string): string {
  return text.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** A non-negative integer as exactly `length` Crockford characters (left-padded with 0). */
export function encodeCrockford(value: number, length: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value}`);
  if (value >= 32 ** length) throw new RangeError(`${value} does not fit in ${length} base32 characters`);
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD_ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** Crockford characters → integer; undefined if any character is outside the alphabet. */
export function decodeCrockford(text: string): number | undefined {
  if (!isCrockford(text) || text.length === 0) return undefined;
  let value = 0;
  for (const ch of text) value = value * 32 + CROCKFORD_ALPHABET.indexOf(ch);
  return value;
}

/** The first `chars × 5` bits of a byte buffer as Crockford characters (e.g. a MAC truncated to 20 bits). */
export function crockfordFromLeadingBits(bytes: Uint8Array, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    let v = 0;
    for (let b = i * 5; b < i * 5 + 5; b++) {
      const byte = bytes[b >> 3];
      if (byte === undefined) throw new RangeError('not enough bytes');
      v = (v << 1) | ((byte >> (7 - (b & 7))) & 1);
    }
    out += CROCKFORD_ALPHABET[v];
  }
  return out;
}

const ISO7064_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The ISO 7064 MOD 37,36 check character of `text` (digits and uppercase A–Z only). */
export function mod3736CheckChar(text: string): string {
  const m = 36;
  let p = m;
  for (const ch of text) {
    const v = ISO7064_ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`character ${JSON.stringify(ch)} is not 0-9 or A-Z`);
    let s = (p + v) % m;
    if (s === 0) s = m;
    p = (s * 2) % (m + 1);
  }
  return ISO7064_ALPHABET[(m + 1 - p) % m]!;
}

/** Whether the last character of `textWithCheck` is the MOD 37,36 check character of the rest. */
export function isValidMod3736(textWithCheck: string): boolean {
  if (typeof textWithCheck !== 'string' || !/^[0-9A-Z]{2,}$/.test(textWithCheck)) return false;
  return mod3736CheckChar(textWithCheck.slice(0, -1)) === textWithCheck.slice(-1);
}
