import { createHmac } from 'node:crypto';
import { crockfordFromLeadingBits, decodeCrockford, encodeCrockford, isCrockford, normalizeCrockford } from '../shared/codes';
import { ValidationError } from '../shared/errors';
import { isIsoDate } from '../shared/validate';

/**
 * # Trace code format (追溯码)
 *
 * 25 characters, printed on the label and encoded in its QR code as `{PUBLIC_URL}/t/{traceCode}`:
 *
 * | part      | length | content                                                                 |
 * |-----------|--------|-------------------------------------------------------------------------|
 * | region    | 6      | GB/T 2260 code of the lot's origin (digits)                             |
 * | date      | 6      | production date YYMMDD (years 2000–2099)                                |
 * | entity    | 5      | the 5 Crockford base32 characters of the holder's e-ID                  |
 * | sequence  | 4      | Crockford base32 counter per entity and production date, from `0001`    |
 * | check     | 4      | Crockford base32 of the first 20 bits of HMAC-SHA256(secret, first 21)  |
 *
 * Displayed in groups: `110101-261123-7K3QX-0001-ABCD`. Input is forgiving: spaces and hyphens are
 * ignored, lower case is accepted, and the Crockford aliases O→0 and I/L→1 are applied.
 *
 * The check segment is a keyed MAC: without the ledger's secret nobody can mint a code that
 * passes, and a mistyped or forged code is rejected offline, before any lookup. Being 20 bits, a
 * random guess passes with probability 2⁻²⁰ (about one in a million); that is the design margin.
 * A new code is issued at each confirmed hand-over, so one lot has exactly one code.
 */
export const TRACE_CODE_LENGTH = 25;
export const MAX_SEQUENCE = 32 ** 4 - 1; // 1,048,575 lots per entity per production date

export interface TraceCodeParts {
  /** Six-digit GB/T 2260 origin region code. */
  regionCode: string;
  /** Production date YYYY-MM-DD (encoded as YYMMDD). */
  productionDate: string;
  /** The 5 base32 characters of the e-ID. */
  entitySegment: string;
  /** 1 … MAX_SEQUENCE. */
  sequence: number;
}

export type ParsedTraceCode =
  | { ok: true; code: string; parts: TraceCodeParts }
  | { ok: false; reason: 'format' | 'checksum' };

/** Strips spaces and hyphens, uppercases, maps O→0 and I/L→1. Does not validate. */
export function normalizeTraceCode(input: string): string {
  return normalizeCrockford(String(input ?? '').replace(/[\s\-_.]/g, ''));
}

function checkSegment(body: string, secret: string | Uint8Array): string {
  return crockfordFromLeadingBits(createHmac('sha256', secret).update(body, 'ascii').digest(), 4);
}

/** Builds the 25-character code. Throws ValidationError naming the bad part. */
export function formatTraceCode(parts: TraceCodeParts, secret: string | Uint8Array): string {
  if (!/^\d{6}$/.test(parts.regionCode)) throw new ValidationError('regionCode', 'regionCode must be 6 digits');
  if (!isIsoDate(parts.productionDate) || !parts.productionDate.startsWith('20')) {
    throw new ValidationError('productionDate', 'productionDate must be YYYY-MM-DD between 2000 and 2099');
  }
  const entity = normalizeCrockford(parts.entitySegment ?? '');
  if (entity.length !== 5 || !isCrockford(entity)) throw new ValidationError('entitySegment', 'entitySegment must be 5 base32 characters');
  if (!Number.isInteger(parts.sequence) || parts.sequence < 1 || parts.sequence > MAX_SEQUENCE) {
    throw new ValidationError('sequence', `sequence must be 1…${MAX_SEQUENCE}`);
  }
  assertSecret(secret);
  const body = parts.regionCode + dateSegment(parts.productionDate) + entity + encodeCrockford(parts.sequence, 4);
  return body + checkSegment(body, secret);
}

function assertSecret(secret: string | Uint8Array): void {
  if (secret === undefined || secret === null || secret.length === 0) throw new ValidationError('secret', 'trace-code secret is empty');
}

/** 'YYYY-MM-DD' → 'YYMMDD'. */
export function dateSegment(isoDate: string): string {
  return isoDate.slice(2, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10);
}

/**
 * Structure only (no checksum): the parts of a normalized code, or undefined if it is not shaped
 * like a trace code. Deciders use this (they do not hold the secret); anything facing users uses
 * parseTraceCode.
 */
export function traceCodeParts(code: string): TraceCodeParts | undefined {
  if (typeof code !== 'string' || code.length !== TRACE_CODE_LENGTH) return undefined;
  const region = code.slice(0, 6);
  const date = code.slice(6, 12);
  const entity = code.slice(12, 17);
  const seq = code.slice(17, 21);
  const check = code.slice(21);
  if (!/^\d{6}$/.test(region) || !/^\d{6}$/.test(date)) return undefined;
  if (!isCrockford(entity) || !isCrockford(check)) return undefined;
  const productionDate = `20${date.slice(0, 2)}-${date.slice(2, 4)}-${date.slice(4, 6)}`;
  if (!isIsoDate(productionDate)) return undefined;
  const sequence = decodeCrockford(seq);
  if (sequence === undefined || sequence < 1) return undefined;
  return { regionCode: region, productionDate, entitySegment: entity, sequence };
}

/** Whether a string is a canonical (already normalized) trace code by structure; no checksum. */
export function isWellFormedTraceCode(code: string): boolean {
  return traceCodeParts(code) !== undefined;
}

/** Normalizes, checks the structure, then the MAC. No database needed. */
export function parseTraceCode(input: string, secret: string | Uint8Array): ParsedTraceCode {
  assertSecret(secret);
  const code = normalizeTraceCode(input);
  const parts = traceCodeParts(code);
  if (!parts) return { ok: false, reason: 'format' };
  const expected = checkSegment(code.slice(0, 21), secret);
  if (expected !== code.slice(21)) return { ok: false, reason: 'checksum' };
  return { ok: true, code, parts };
}

/** Grouped for people: 110101-261123-7K3QX-0001-ABCD. Input that is not 25 characters is returned normalized. */
export function displayTraceCode(code: string): string {
  const c = normalizeTraceCode(code);
  if (c.length !== TRACE_CODE_LENGTH) return c;
  return [c.slice(0, 6), c.slice(6, 12), c.slice(12, 17), c.slice(17, 21), c.slice(21)].join('-');
}

export function lotStreamId(traceCode: string): string {
  return `lot-${traceCode}`;
}
