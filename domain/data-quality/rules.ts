import { ValidationError } from '../shared/errors';
import { requireText } from '../shared/validate';
import { MAX_DUPLICATE_RADIUS_METRES } from './geo';
import type { YieldBound } from './yield-bounds';

/**
 * Data-quality rules (数据清洗规则, seed 004 §六(三)): each is data — a check the platform knows how to run, its
 * parameters (阈值设置), a category (清洗分类设置) and a severity. DEFAULT_QUALITY_RULES apply until the ministry
 * changes one (stream `dqrules-national`, like the risk rules). Rules flag; they never refuse a command.
 */
export const CHECKS = [
  'duplicateCreditCode',
  'duplicateBase',
  'outsideDeclaredRegion',
  'coordinatePrecision',
  'implausibleQuantity',
  'productionDateFuture',
  'productionDateTooOld',
  'staleRecord',
  'missingFields',
] as const;
export type Check = (typeof CHECKS)[number];

/** 清洗分类. */
export const CATEGORIES = ['duplicate', 'location', 'precision', 'plausibility', 'timeliness', 'completeness'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS_ZH: Record<Category, string> = {
  duplicate: '重复数据',
  location: '位置异常',
  precision: '精度不足',
  plausibility: '数量不合理',
  timeliness: '时效异常',
  completeness: '信息不完整',
};

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS_ZH: Record<Severity, string> = { high: '严重', medium: '一般', low: '轻微' };
/** Weight of an open finding in the region score (docs/decisions/0017-data-quality.md). */
export const SEVERITY_WEIGHTS: Record<Severity, number> = { high: 1, medium: 0.5, low: 0.2 };

/** What a finding is about: a registration, one of its bases, a lot, a transfer, an origin record (产地溯源信息). */
export const SUBJECT_KINDS = ['entity', 'base', 'lot', 'transfer', 'origin'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Each check's numeric parameters: name → [min, max]. */
export const CHECK_PARAMS: Record<Check, Record<string, [number, number]>> = {
  duplicateCreditCode: {},
  duplicateBase: { radiusMetres: [1, MAX_DUPLICATE_RADIUS_METRES] },
  outsideDeclaredRegion: { toleranceMetres: [0, 50_000] },
  coordinatePrecision: { minDecimals: [1, 12] },
  implausibleQuantity: { marginPercent: [0, 100_000] },
  productionDateFuture: { toleranceDays: [0, 30] },
  productionDateTooOld: { maxAgeDays: [1, 36_500] },
  staleRecord: { graceDays: [0, 365] },
  missingFields: {},
};

export interface QualityRule {
  ruleId: string;
  check: Check;
  name: string;
  category: Category;
  severity: Severity;
  params: Record<string, number>;
  /** missingFields: the kind of record and its fields (dotted paths) that must be filled. */
  subjectKind?: SubjectKind;
  fields?: string[];
  /** implausibleQuantity: entries overriding the bundled yield table (yield-bounds.ts) by product name. */
  bounds?: Record<string, YieldBound>;
  enabled: boolean;
}

export type AppliedQualityRule = QualityRule & { source: 'default' | 'ledger' };

export const DEFAULT_QUALITY_RULES: readonly QualityRule[] = [
  { ruleId: 'duplicate-credit-code', check: 'duplicateCreditCode', name: '统一社会信用代码重复', category: 'duplicate', severity: 'high', params: {}, enabled: true },
  { ruleId: 'duplicate-base', check: 'duplicateBase', name: '基地点位重复（5米内）', category: 'duplicate', severity: 'medium', params: { radiusMetres: 5 }, enabled: true },
  { ruleId: 'outside-declared-region', check: 'outsideDeclaredRegion', name: '经纬度不在所报省份内', category: 'location', severity: 'high', params: { toleranceMetres: 5_000 }, enabled: true },
  { ruleId: 'coordinate-precision', check: 'coordinatePrecision', name: '经纬度不足6位小数', category: 'precision', severity: 'low', params: { minDecimals: 6 }, enabled: true },
  { ruleId: 'implausible-quantity', check: 'implausibleQuantity', name: '批次数量超出基地规模合理上限', category: 'plausibility', severity: 'high', params: { marginPercent: 0 }, enabled: true },
  { ruleId: 'production-date-future', check: 'productionDateFuture', name: '生产日期晚于录入日期', category: 'timeliness', severity: 'high', params: { toleranceDays: 0 }, enabled: true },
  { ruleId: 'production-date-too-old', check: 'productionDateTooOld', name: '生产日期早于录入日期一年以上', category: 'timeliness', severity: 'medium', params: { maxAgeDays: 365 }, enabled: true },
  { ruleId: 'stale-origin-record', check: 'staleRecord', name: '产地信息未按期更新', category: 'timeliness', severity: 'medium', params: { graceDays: 0 }, enabled: true },
  { ruleId: 'missing-entity-fields', check: 'missingFields', name: '主体信息缺项（乡镇）', category: 'completeness', severity: 'low', params: {}, subjectKind: 'entity', fields: ['townshipCode'], enabled: true },
  { ruleId: 'missing-base-fields', check: 'missingFields', name: '基地信息缺项（种养规模、乡镇）', category: 'completeness', severity: 'medium', params: {}, subjectKind: 'base', fields: ['areaMu', 'townshipCode'], enabled: true },
  { ruleId: 'missing-receiver-contact', check: 'missingFields', name: '场外交易缺少收货方联系方式', category: 'completeness', severity: 'medium', params: {}, subjectKind: 'transfer', fields: ['receiver.phone', 'receiver.address'], enabled: true },
  {
    ruleId: 'missing-origin-fields',
    check: 'missingFields',
    name: '产地信息缺少必填项',
    category: 'completeness',
    severity: 'high',
    params: {},
    subjectKind: 'origin',
    fields: ['producerName', 'producerType', 'industry', 'product.name', 'address.villageCode', 'point.lat', 'point.lon', 'contact.name', 'contact.mobile', 'scale.amount', 'scale.unit', 'traceMethods', 'gridWorker.name', 'gridWorker.mobile', 'collector.name', 'collector.mobile'],
    enabled: true,
  },
];

export function isCheck(value: unknown): value is Check {
  return typeof value === 'string' && (CHECKS as readonly string[]).includes(value);
}
export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
export function isSubjectKind(value: unknown): value is SubjectKind {
  return typeof value === 'string' && (SUBJECT_KINDS as readonly string[]).includes(value);
}

export function validateQualityParams(check: Check, params: unknown, field = 'params'): Record<string, number> {
  const spec = CHECK_PARAMS[check];
  const given = (params ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || Array.isArray(given)) throw new ValidationError(field, `${field} must be an object`);
  const unknown = Object.keys(given).filter((k) => !(k in spec));
  if (unknown.length > 0) throw new ValidationError(`${field}.${unknown[0]}`, `${check} takes no parameter ${unknown[0]}`, { allowed: Object.keys(spec) });
  const out: Record<string, number> = {};
  for (const [name, [min, max]] of Object.entries(spec)) {
    const v = given[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new ValidationError(`${field}.${name}`, `${field}.${name} must be a whole number from ${min} to ${max}`, { value: v });
    }
    out[name] = v;
  }
  return out;
}

export function validateFields(value: unknown, field = 'fields'): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError(field, `${field} needs at least one field path`);
  return value.map((f, i) => {
    const path = requireText(f, `${field}[${i}]`, 100);
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(path)) throw new ValidationError(`${field}[${i}]`, `${field}[${i}] must be a dotted field path`, { value: f });
    return path;
  });
}

const BOUND_KEYS = ['kgPerMu', 'headPerMu', 'kgPerHead', 'headPerHead'] as const;
export function validateBounds(value: unknown, field = 'bounds'): Record<string, YieldBound> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError(field, `${field} must be an object of product → bounds`);
  const out: Record<string, YieldBound> = {};
  for (const [product, raw] of Object.entries(value as Record<string, unknown>)) {
    requireText(product, `${field}`, 100);
    if (typeof raw !== 'object' || raw === null) throw new ValidationError(`${field}.${product}`, `${field}.${product} must be an object`);
    const bound: YieldBound = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (!(BOUND_KEYS as readonly string[]).includes(k)) throw new ValidationError(`${field}.${product}.${k}`, `bounds take ${BOUND_KEYS.join(', ')}`);
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValidationError(`${field}.${product}.${k}`, `${field}.${product}.${k} must be a positive number`, { value: v });
      bound[k as (typeof BOUND_KEYS)[number]] = v;
    }
    out[product] = bound;
  }
  return out;
}
