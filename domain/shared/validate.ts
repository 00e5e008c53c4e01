import { ValidationError } from './errors';
import { isValidRegionCode } from './region-codes';

/**
 * Small guards the deciders use on command fields. Each throws ValidationError naming the field,
 * because a decider may be called from anywhere (HTTP, CLI import, process manager), not only
 * behind the zod schemas at the HTTP boundary.
 */
export function requireText(value: unknown, field: string, maxLength = 500): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(field, `${field} is required`);
  if (value.length > maxLength) throw new ValidationError(field, `${field} is longer than ${maxLength} characters`);
  return value;
}

export function optionalText(value: unknown, field: string, maxLength = 500): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requireText(value, field, maxLength);
}

/** A non-empty list of non-empty strings. */
export function requireTextList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError(field, `${field} needs at least one entry`);
  value.forEach((item, i) => requireText(item, `${field}[${i}]`));
  return value as string[];
}

export function requireRegionCode(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isValidRegionCode(value)) {
    throw new ValidationError(field, `${field} must be a 6-digit GB/T 2260 region code`, { value });
  }
  return value;
}

/** China's rough bounding box: any point outside is a typo (swapped lat/lon, missing digits). */
export const CHINA_BOUNDS = { minLat: 3, maxLat: 54, minLon: 73, maxLon: 136 } as const;

/** Coordinates are kept exactly as given (seed 003 asks for at least 6 decimals; nothing here rounds). */
export function requireLatLon(lat: unknown, lon: unknown, fieldPrefix: string): void {
  const latField = fieldPrefix ? `${fieldPrefix}.lat` : 'lat';
  const lonField = fieldPrefix ? `${fieldPrefix}.lon` : 'lon';
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < CHINA_BOUNDS.minLat || lat > CHINA_BOUNDS.maxLat) {
    throw new ValidationError(latField, `${latField} must be a latitude within China (${CHINA_BOUNDS.minLat}–${CHINA_BOUNDS.maxLat})`, { value: lat });
  }
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < CHINA_BOUNDS.minLon || lon > CHINA_BOUNDS.maxLon) {
    throw new ValidationError(lonField, `${lonField} must be a longitude within China (${CHINA_BOUNDS.minLon}–${CHINA_BOUNDS.maxLon})`, { value: lon });
  }
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** Mainland mobile (1[3-9]xxxxxxxxx, optional +86) or landline with area code (0xx-xxxxxxxx). */
export function isChinesePhone(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const compact = value.replace(/[\s-]/g, '');
  return /^(\+?86)?1[3-9]\d{9}$/.test(compact) || /^0\d{2,3}\d{7,8}$/.test(compact);
}
