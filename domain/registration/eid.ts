import { CROCKFORD_ALPHABET, isCrockford, isValidMod3736, mod3736CheckChar, normalizeCrockford } from '../shared/codes';
import { ValidationError } from '../shared/errors';
import { isValidRegionCode } from '../shared/region-codes';

/**
 * Electronic identity (电子身份标识) of an approved entity, 12 characters:
 *   {regionCode: 6 digits}{5 random Crockford base32 chars}{1 ISO 7064 MOD 37,36 check char}
 * e.g. 110101 7K3QX ?  The 5 random characters are also the entity segment of its trace codes.
 * The check character comes from 0-9A-Z (it may be I, L, O or U), so it is never alias-mapped.
 * The random part is drawn by the application (IdGenerator.randomBase32(5)); uniqueness within a
 * region is the application's to ensure (32^5 ≈ 33.5 million per county).
 */
export const EID_LENGTH = 12;

export function generateEid(regionCode: string, random5Chars: string): string {
  if (!isValidRegionCode(regionCode)) throw new ValidationError('regionCode', 'regionCode must be a GB/T 2260 code', { regionCode });
  const random = normalizeCrockford(random5Chars ?? '');
  if (random.length !== 5 || !isCrockford(random)) {
    throw new ValidationError('random5Chars', `need exactly 5 Crockford base32 characters (${CROCKFORD_ALPHABET})`);
  }
  const body = regionCode + random;
  return body + mod3736CheckChar(body);
}

/** Strips spaces and hyphens, uppercases, maps Crockford aliases in the random part only. */
export function normalizeEid(input: string): string {
  const compact = String(input).replace(/[\s-]/g, '').toUpperCase();
  if (compact.length !== EID_LENGTH) return compact;
  return compact.slice(0, 6) + normalizeCrockford(compact.slice(6, 11)) + compact.slice(11);
}

/** Well-formed, known region, and the check character matches. Expects the canonical form. */
export function isValidEid(eid: string): boolean {
  if (typeof eid !== 'string' || eid.length !== EID_LENGTH) return false;
  const region = eid.slice(0, 6);
  const random = eid.slice(6, 11);
  return /^\d{6}$/.test(region) && isCrockford(random) && isValidMod3736(eid) && isValidRegionCode(region);
}

/** The region an e-ID was issued in. */
export function regionOfEid(eid: string): string {
  return eid.slice(0, 6);
}

/** The 5 Crockford characters that identify the entity inside its trace codes. */
export function entitySegmentOfEid(eid: string): string {
  return eid.slice(6, 11);
}

/** Grouped for labels: 110101-7K3QX-P. */
export function displayEid(eid: string): string {
  const e = normalizeEid(eid);
  return e.length === EID_LENGTH ? `${e.slice(0, 6)}-${e.slice(6, 11)}-${e.slice(11)}` : e;
}
