/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015), 18 characters:
 * registration authority (1) + type (1) + region code (6) + organisation code (9) + check (1).
 * Alphabet: digits and uppercase letters without I, O, S, V, Z.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters; undefined if they use characters outside the alphabet. */
export function creditCodeCheckChar(first17: string): string | undefined {
  if (typeof first17 !== 'string' || first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) return undefined;
    sum += v * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(code: string): boolean {
  return typeof code === 'string' && code.length === 18 && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
