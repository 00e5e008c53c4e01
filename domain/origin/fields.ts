import { createHash } from 'node:crypto';
import { ValidationError } from '../shared/errors';
import { lookupRegion } from '../shared/region-codes';
import { CHINA_BOUNDS } from '../shared/validate';
import { compareDecimal, decimalPlaces, isDecimal, normalizeDecimal, squareMetresToMu } from './decimal';
import type { PlaceDirectory } from './places';
import { findKeyProduct } from './products';
import {
  AQUACULTURE_MODES,
  CERTIFICATIONS,
  INDUSTRIES,
  PRODUCER_TYPES,
  PRODUCTION_METHODS,
  TRACE_METHODS,
  type BaseAddress,
  type EnteredScaleUnit,
  type NamedPerson,
  type OriginRecordFields,
} from './types';

/**
 * The rules of 附件1, each refusing with a ValidationError naming the field (the `field` is the record's path,
 * e.g. `point.lat`; the import maps it back to the spreadsheet column). What the form sends: the fields as kept,
 * except the address (a village code; names come from the directory), and the scale (㎡ allowed for aquatic).
 */
export interface OriginRecordInput {
  producerName: unknown;
  producerType: unknown;
  industry: unknown;
  product: unknown; // a key product's code or name
  alias?: unknown;
  certification?: unknown;
  address: { villageCode: unknown; detail?: unknown };
  point: { lat: unknown; lon: unknown };
  contact: { name: unknown; mobile: unknown };
  scale: { amount: unknown; unit: unknown };
  aquacultureMode?: unknown;
  marketing?: { from: unknown; to: unknown } | null;
  productionMethods?: unknown;
  traceMethods: unknown;
  creditRating?: unknown;
  gridWorker: { name: unknown; mobile: unknown };
  collector: { name: unknown; mobile: unknown };
  entityId?: unknown;
}

/** 点位经纬度: at least 6 decimals (附件1 备注 6). */
export const MIN_COORDINATE_DECIMALS = 6;

const text = (value: unknown, field: string, max = 200): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(field, `${field} is required`);
  const v = value.trim();
  if (v.length > max) throw new ValidationError(field, `${field} is longer than ${max} characters`);
  // Control characters and bidirectional overrides (a spoofed name reads differently than it sorts).
  if (/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/.test(v)) throw new ValidationError(field, `${field} contains control characters`);
  return v;
};
const optional = (value: unknown, field: string, max = 200): string | null =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? null : text(value, field, max);

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ValidationError(field, `${field} must be one of ${allowed.join(', ')}`, { value: value ?? null, allowed });
  }
  return value as T;
}

function manyOf<T extends string>(value: unknown, allowed: readonly T[], field: string, required: boolean): T[] {
  if (value === undefined || value === null) value = [];
  if (!Array.isArray(value)) throw new ValidationError(field, `${field} must be a list`);
  if (required && value.length === 0) throw new ValidationError(field, `${field} needs at least one entry`, { allowed });
  const out: T[] = [];
  value.forEach((v, i) => {
    const item = oneOf(v, allowed, `${field}[${i}]`);
    if (!out.includes(item)) out.push(item);
  });
  return out;
}

/** Mainland mobile: 1[3-9] and 9 more digits, optionally +86 / 86 and spaces or dashes; kept as the 11 digits. */
export function normalizeMobile(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(field, `${field} is required`);
  const compact = value.replace(/[\s-]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  if (!/^1[3-9]\d{9}$/.test(compact)) throw new ValidationError(field, `${field} must be a mainland mobile number (11 digits, 1[3-9]…)`, { value });
  return compact;
}

function person(value: { name: unknown; mobile: unknown } | undefined, field: string): NamedPerson {
  return { name: text(value?.name, `${field}.name`, 50), mobile: normalizeMobile(value?.mobile, `${field}.mobile`) };
}

function coordinate(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'string') throw new ValidationError(field, `${field} is required as a decimal string (kept exactly, ≥ ${MIN_COORDINATE_DECIMALS} decimals)`, { value: value ?? null });
  const v = value.trim();
  if (!isDecimal(v)) throw new ValidationError(field, `${field} must be a decimal number`, { value });
  if (decimalPlaces(v) < MIN_COORDINATE_DECIMALS) {
    throw new ValidationError(field, `${field} needs at least ${MIN_COORDINATE_DECIMALS} decimals (seed 003 附件1 备注 6)`, { value, decimals: decimalPlaces(v) });
  }
  if (compareDecimal(v, String(min)) < 0 || compareDecimal(v, String(max)) > 0) {
    throw new ValidationError(field, `${field} must be within China (${min}–${max})`, { value });
  }
  return v;
}

/** `YYYY-MM` or `YYYY-MM-DD`, a real month / date. */
function period(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$/.test(value.trim())) {
    throw new ValidationError(field, `${field} must be YYYY-MM or YYYY-MM-DD`, { value: value ?? null });
  }
  const v = value.trim();
  if (v.length === 10) {
    const t = Date.parse(`${v}T00:00:00Z`);
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) throw new ValidationError(field, `${field} is not a calendar date`, { value });
  }
  return v;
}

/** A village's address without the free-text detail, per directory: an import names the same few thousand villages again and again. */
type VillageAddress = Omit<BaseAddress, 'detail'>;
const villageAddresses = new WeakMap<PlaceDirectory, Map<string, VillageAddress>>();
/** Bounded like the directory's own cache: a nationwide import may name every village once. */
const MAX_CACHED_ADDRESSES = 50_000;

function address(value: OriginRecordInput['address'] | undefined, places: PlaceDirectory): BaseAddress {
  const code = value?.villageCode;
  if (typeof code !== 'string' || code.trim() === '') throw new ValidationError('address.villageCode', 'address.villageCode is required (基地地址 to the village)');
  let cache = villageAddresses.get(places);
  if (!cache) villageAddresses.set(places, (cache = new Map()));
  let known = cache.get(code);
  if (!known) {
    known = villageAddress(code, places);
    if (cache.size >= MAX_CACHED_ADDRESSES) cache.delete(cache.keys().next().value!);
    cache.set(code, known);
  }
  return { ...known, detail: optional(value?.detail, 'address.detail', 200) };
}

/** The address a village code names (refused, naming the field, when the code is malformed or unknown; refusals are not cached). */
function villageAddress(code: string, places: PlaceDirectory): VillageAddress {
  if (!/^\d{12}$/.test(code)) throw new ValidationError('address.villageCode', 'address.villageCode must be a 12-digit village code', { value: code });
  const village = places.village(code);
  if (!village) throw new ValidationError('address.villageCode', `address.villageCode ${code} is no known village`, { value: code });
  const township = places.township(village.townshipCode);
  const county = lookupRegion(code.slice(0, 6));
  const city = lookupRegion(`${code.slice(0, 4)}00`);
  const province = lookupRegion(`${code.slice(0, 2)}0000`);
  if (!township || !county || county.level !== 'county' || !province) {
    throw new ValidationError('address.villageCode', `address.villageCode ${code} is not under a known township and county`, { value: code });
  }
  return {
    provinceCode: code.slice(0, 2),
    provinceName: province.name,
    cityCode: code.slice(0, 4),
    // Municipalities' city level is a placeholder (市辖区); the name stays as the table has it.
    cityName: city?.name ?? '',
    countyCode: code.slice(0, 6),
    countyName: county.name,
    townshipCode: township.code,
    townshipName: township.name,
    villageCode: village.code,
    villageName: village.name,
  };
}

/**
 * Fields this module validated: validating them again gives them back unchanged, so a caller that validated a
 * row first (the import, to name its record id) does not pay for it twice in the decider. They are frozen, so they
 * cannot have changed since; a WeakSet holds nothing alive. (Valid for the same place directory, the only one a
 * process has.) Their keys are in canonical order at every level, so their JSON text is their canonical JSON.
 */
const validated = new WeakSet<object>();

/** A frozen copy with every object's keys in canonicalJson's order (undefined members left out, as it does). */
function canonicalCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(canonicalCopy)) as T;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(record).sort()) if (record[k] !== undefined) out[k] = canonicalCopy(record[k]);
    return Object.freeze(out) as T;
  }
  return value;
}

export function validateFields(input: OriginRecordInput, places: PlaceDirectory): OriginRecordFields {
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as unknown as OriginRecordFields;
  const fields = canonicalCopy(validateFieldsOnce(input, places));
  validated.add(fields);
  return fields;
}

/** Fingerprints computed where the fields were validated (another thread): fingerprintOf answers them without hashing again. */
const knownFingerprints = new WeakMap<object, string>();

/**
 * Fields that validateFields produced on another thread of this process (the import's row worker, row-worker.ts)
 * and that arrived by structured clone, which keeps their key order but drops the frozen state and this module's
 * mark: frozen and marked again, with the fingerprint computed there, so the decider neither validates nor hashes
 * them twice. Only for a value validateFields returned with the same place directory; anything else must go
 * through validateFields.
 */
export function trustValidatedFields(fields: OriginRecordFields, fingerprint: string): OriginRecordFields {
  deepFreeze(fields);
  validated.add(fields);
  knownFingerprints.set(fields, fingerprint);
  return fields;
}

function deepFreeze(value: unknown): void {
  if (!value || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

function validateFieldsOnce(input: OriginRecordInput, places: PlaceDirectory): OriginRecordFields {
  if (typeof input !== 'object' || input === null) throw new ValidationError('fields', 'the record fields are required');
  const producerName = text(input.producerName, 'producerName', 200);
  const producerType = oneOf(input.producerType, PRODUCER_TYPES, 'producerType');
  const industry = oneOf(input.industry, INDUSTRIES, 'industry');
  if (typeof input.product !== 'string' || input.product.trim() === '') throw new ValidationError('product', 'product is required (产品名称)');
  const key = findKeyProduct(input.product);
  if (!key) throw new ValidationError('product', `product ${input.product} is not one of the 12 key products`, { value: input.product });
  if (key.industry !== industry) {
    throw new ValidationError('industry', `${key.name} belongs to industry ${key.industry}, not ${industry}`, { product: key.code, expected: key.industry });
  }
  const alias = optional(input.alias, 'alias', 100);
  const certification = input.certification === undefined || input.certification === null || input.certification === '' ? null : oneOf(input.certification, CERTIFICATIONS, 'certification');
  const addr = address(input.address, places);
  const point = {
    lat: coordinate(input.point?.lat, 'point.lat', CHINA_BOUNDS.minLat, CHINA_BOUNDS.maxLat),
    lon: coordinate(input.point?.lon, 'point.lon', CHINA_BOUNDS.minLon, CHINA_BOUNDS.maxLon),
  };
  const contact = person(input.contact, 'contact');

  const aquacultureMode = industry === 'fishery' ? (input.aquacultureMode === undefined || input.aquacultureMode === null || input.aquacultureMode === '' ? 'pond' : oneOf(input.aquacultureMode, AQUACULTURE_MODES, 'aquacultureMode')) : null;
  const scale = scaleOf(input.scale, key.unit, industry === 'fishery');

  let marketing = null;
  let productionMethods: OriginRecordFields['productionMethods'] = [];
  if (industry === 'planting') {
    // 上市/下市时间 and 生产方式 are required for planting only (附件1 备注 8, 9).
    const from = period(input.marketing?.from, 'marketing.from');
    const to = period(input.marketing?.to, 'marketing.to');
    if (from.slice(0, 7) > to.slice(0, 7) || (from.length === 10 && to.length === 10 && from > to)) {
      throw new ValidationError('marketing.to', 'marketing.to (下市时间) is before marketing.from (上市时间)', { from, to });
    }
    marketing = { from, to };
    productionMethods = manyOf(input.productionMethods, PRODUCTION_METHODS, 'productionMethods', true);
  }
  const traceMethods = manyOf(input.traceMethods, TRACE_METHODS, 'traceMethods', true);
  return {
    producerName,
    producerType,
    industry,
    product: { code: key.code, name: key.name },
    alias,
    certification,
    address: addr,
    point,
    contact,
    scale,
    aquacultureMode,
    marketing,
    productionMethods,
    traceMethods,
    creditRating: optional(input.creditRating, 'creditRating', 50),
    gridWorker: person(input.gridWorker, 'gridWorker'),
    collector: person(input.collector, 'collector'),
    entityId: optional(input.entityId, 'entityId', 100),
  };
}

/** 种养规模 in the product's unit; an aquatic base (only) may give ㎡, converted exactly to 亩 (附件1 备注 7). */
function scaleOf(value: OriginRecordInput['scale'] | undefined, unit: OriginRecordFields['scale']['unit'], squareMetresAllowed: boolean): OriginRecordFields['scale'] {
  const raw = typeof value?.amount === 'number' && Number.isFinite(value.amount) ? String(value.amount) : value?.amount;
  if (typeof raw !== 'string' || !isDecimal(raw.trim())) throw new ValidationError('scale.amount', 'scale.amount must be a number (种养规模)', { value: value?.amount ?? null });
  const amount = normalizeDecimal(raw.trim());
  if (compareDecimal(amount, '0') <= 0) throw new ValidationError('scale.amount', 'scale.amount must be greater than 0', { value: raw });
  if (decimalPlaces(amount) > 4) throw new ValidationError('scale.amount', 'scale.amount has at most 4 decimals', { value: raw });
  const given = value?.unit as EnteredScaleUnit | undefined;
  if (given === unit) return { amount, unit, entered: null };
  if (given === '㎡' && squareMetresAllowed) return { amount: squareMetresToMu(amount), unit, entered: { amount, unit: '㎡' } };
  const allowed = squareMetresAllowed ? ['亩', '㎡'] : [unit];
  throw new ValidationError('scale.unit', `scale.unit for this product must be ${allowed.join(' or ')}`, { value: given ?? null, allowed });
}

/**
 * Key order fixed, so the same content always hashes the same (the import's "same row → no event"). Stored
 * fingerprints depend on this exact text: keys sorted by UTF-16 code units, undefined members left out, an
 * undefined array element as nothing between its commas. Written as loops (the import runs it per row).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item = canonicalJson(value[i]);
      if (item !== undefined) out += item;
    }
    return `${out}]`;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = '{';
    let first = true;
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

export function fingerprintOf(fields: OriginRecordFields): string {
  // Validated fields are in canonical key order with no undefined inside (canonicalCopy): JSON.stringify writes
  // the same text as canonicalJson, five times faster (the import fingerprints every row).
  const known = knownFingerprints.get(fields);
  if (known !== undefined) return known;
  const text = validated.has(fields) ? JSON.stringify(fields) : canonicalJson(fields);
  return createHash('sha256').update(text).digest('hex');
}

/** The paths whose values differ (one level into objects: `point.lat`, `scale.amount`, …) for 信息变更. */
export function changedFields(before: OriginRecordFields, after: OriginRecordFields): { field: string; before: unknown; after: unknown }[] {
  const out: { field: string; before: unknown; after: unknown }[] = [];
  for (const key of Object.keys(after) as (keyof OriginRecordFields)[]) {
    const a = before[key];
    const b = after[key];
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
      for (const sub of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const x = (a as unknown as Record<string, unknown>)[sub];
        const y = (b as unknown as Record<string, unknown>)[sub];
        if (canonicalJson(x) !== canonicalJson(y)) out.push({ field: `${key}.${sub}`, before: x ?? null, after: y ?? null });
      }
    } else if (canonicalJson(a) !== canonicalJson(b)) out.push({ field: key, before: a ?? null, after: b ?? null });
  }
  return out;
}
