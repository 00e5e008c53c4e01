import type { Quantity } from '../shared/quantity';
import { haversineMetres, hasProvinceOutline, metresOutsideProvince, provinceAt } from './geo';
import type { QualityRule } from './rules';
import { boundFor, DEFAULT_YIELD_BOUNDS } from './yield-bounds';

/**
 * The rules' pure checks: each takes the rule (its parameters) and the facts of one record, and says whether the
 * record is flagged, with a message in Chinese (for the problem list and the feedback to the collector) and the
 * values that made it so. Nothing here reads a store or the clock: the projection passes what it knows.
 */
export interface Hit {
  message: string;
  detail: Record<string, unknown>;
}

/** A point as the record keeps it: numbers (registry) or exact decimal strings (origin records). */
export interface RecordedPoint {
  lat: number | string;
  lon: number | string;
}

/** Decimals as written: '110.123400' has 6; the number 110.1234 has 4 (a float keeps no trailing zeros). */
export function decimalsOf(value: number | string): number {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // 1e-7 and the like: write the digits out (toFixed keeps up to 100 digits; trim the padding zeros).
  return n.toFixed(20).replace(/0+$/, '');
}

const num = (v: number | string) => (typeof v === 'number' ? v : Number(v));

/** 经纬度不足 n 位小数 (seed 003: at least 6 decimals). */
export function coordinatePrecision(rule: QualityRule, point: RecordedPoint): Hit | null {
  const min = rule.params.minDecimals!;
  const lat = decimalsOf(point.lat);
  const lon = decimalsOf(point.lon);
  if (lat >= min && lon >= min) return null;
  return { message: `经纬度小数位不足${min}位（纬度${lat}位，经度${lon}位）`, detail: { lat: point.lat, lon: point.lon, latDecimals: lat, lonDecimals: lon, minDecimals: min } };
}

/**
 * 点位不在所报省份内: the point lies outside the declared province's outline by more than the tolerance. A
 * province without an outline in the bundled layer is not judged (null): no outline is not evidence.
 */
export function outsideDeclaredRegion(rule: QualityRule, point: RecordedPoint, regionCode: string): Hit | null {
  const province = regionCode.slice(0, 2);
  if (!hasProvinceOutline(province)) return null;
  const lat = num(point.lat);
  const lon = num(point.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  const outside = metresOutsideProvince(lat, lon, province)!;
  const tolerance = rule.params.toleranceMetres!;
  if (outside <= tolerance) return null;
  const found = provinceAt(lat, lon);
  return {
    message: `点位位于所报省份（${province}）界外约${Math.round(outside / 1000)}公里${found ? `，落在${found.name}` : ''}`,
    detail: { lat: point.lat, lon: point.lon, declaredProvince: province, foundProvince: found?.code ?? null, metresOutside: Math.round(outside), toleranceMetres: tolerance },
  };
}

/** The scale a base or record declares: area in 亩, or head of stock. */
export interface DeclaredScale {
  mu?: number | null;
  head?: number | null;
}

const KG_PER: Record<string, number> = { g: 0.001, kg: 1, t: 1000, jin: 0.5 };

/**
 * 批次数量不合理: one lot is more than the product's ceiling for the base's scale (yield per 亩, per head, or the
 * herd itself for head counts). Not judged without a scale, or for count units that say nothing about size
 * (piece, box, crate).
 */
export function implausibleQuantity(rule: QualityRule, lot: { product: string; quantity: Quantity }, scale: DeclaredScale): Hit | null {
  const bound = boundFor(lot.product, { ...DEFAULT_YIELD_BOUNDS, ...(rule.bounds ?? {}) });
  const margin = 1 + (rule.params.marginPercent ?? 0) / 100;
  const mu = scale.mu && scale.mu > 0 ? scale.mu : null;
  const head = scale.head && scale.head > 0 ? scale.head : null;
  const { amount, unit } = lot.quantity;
  let value: number;
  let limits: number[];
  let measure: 'kg' | 'head';
  if (unit in KG_PER) {
    measure = 'kg';
    value = amount * KG_PER[unit]!;
    limits = [mu && bound.kgPerMu ? bound.kgPerMu * mu : null, head && bound.kgPerHead ? bound.kgPerHead * head : null].filter((x): x is number => x !== null);
  } else if (unit === 'head') {
    measure = 'head';
    value = amount;
    limits = [mu && bound.headPerMu ? bound.headPerMu * mu : null, head && bound.headPerHead ? bound.headPerHead * head : null].filter((x): x is number => x !== null);
  } else return null;
  if (limits.length === 0) return null;
  const limit = Math.max(...limits) * margin;
  if (value <= limit) return null;
  const scaleText = [mu ? `${mu}亩` : null, head ? `${head}头（只）` : null].filter(Boolean).join('、');
  return {
    message: `${lot.product}批次${formatAmount(value)}${measure === 'kg' ? '千克' : '头（只）'}，超出基地规模（${scaleText}）的合理上限${formatAmount(limit)}`,
    detail: { product: lot.product, quantity: lot.quantity, measure, value, limit, scale: { mu, head } },
  };
}

const formatAmount = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** China Standard Time calendar day of an instant. */
export function cstDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}
const dayNumber = (day: string) => Math.floor(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / 86_400_000);

/** 生产日期晚于录入日期: a production date after the day it was recorded (CST), beyond the tolerance. */
export function productionDateFuture(rule: QualityRule, productionDate: string, recordedAt: string): Hit | null {
  const recorded = cstDay(recordedAt);
  const ahead = dayNumber(productionDate) - dayNumber(recorded);
  if (!(ahead > rule.params.toleranceDays!)) return null;
  return { message: `生产日期${productionDate}晚于录入日期${recorded}`, detail: { productionDate, recordedDay: recorded, daysAhead: ahead } };
}

/** 生产日期过早: more than maxAgeDays before the day it was recorded. */
export function productionDateTooOld(rule: QualityRule, productionDate: string, recordedAt: string): Hit | null {
  const recorded = cstDay(recordedAt);
  const age = dayNumber(recorded) - dayNumber(productionDate);
  if (!(age > rule.params.maxAgeDays!)) return null;
  return { message: `生产日期${productionDate}早于录入日期${recorded}达${age}天`, detail: { productionDate, recordedDay: recorded, ageDays: age, maxAgeDays: rule.params.maxAgeDays } };
}

/**
 * 未按期更新: the instant from which a record not refreshed is stale — its refresh due date (the origin record's
 * events carry `refreshDueAt`, decided by ORIGIN per collection period) plus the grace days.
 */
export function staleFrom(rule: QualityRule, refreshDueAt: string): string {
  return new Date(Date.parse(refreshDueAt) + rule.params.graceDays! * 86_400_000).toISOString();
}
export function staleRecordHit(refreshDueAt: string, staleAt: string): Hit {
  return { message: `产地信息应于${cstDay(refreshDueAt)}前更新，逾期未更新`, detail: { refreshDueAt, staleAt } };
}

/** Value at a dotted path. */
export function valueAt(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** 必填项缺失: the rule's fields that are absent, null, blank or an empty list. */
export function missingFields(rule: QualityRule, record: unknown): Hit | null {
  const missing = (rule.fields ?? []).filter((f) => isBlank(valueAt(record, f)));
  if (missing.length === 0) return null;
  return { message: `缺少必填项：${missing.join('、')}`, detail: { missing } };
}

export interface SubjectRef {
  kind: string;
  id: string;
  name?: string | null;
}

/** 统一社会信用代码重复: other records claim the same code (a newcomer is flagged against the first claimant). */
export function duplicateCreditCode(_rule: QualityRule, creditCode: string, others: readonly SubjectRef[]): Hit | null {
  if (others.length === 0) return null;
  return { message: `统一社会信用代码${creditCode}已被${others.map((o) => o.name ?? o.id).join('、')}使用`, detail: { creditCode, others } };
}

/** 基地重复: other bases or records within the radius of this point (haversine). */
export function duplicateBase(rule: QualityRule, point: { lat: number; lon: number }, candidates: readonly (SubjectRef & { lat: number; lon: number })[]): Hit | null {
  const radius = rule.params.radiusMetres!;
  const near = candidates
    .map((c) => ({ kind: c.kind, id: c.id, name: c.name ?? null, metres: haversineMetres(point, c) }))
    .filter((c) => c.metres <= radius)
    .sort((a, b) => a.metres - b.metres);
  if (near.length === 0) return null;
  return {
    message: `与${near.map((n) => n.name ?? n.id).join('、')}的点位相距不足${radius}米`,
    detail: { radiusMetres: radius, near: near.map((n) => ({ ...n, metres: Math.round(n.metres * 100) / 100 })) },
  };
}
