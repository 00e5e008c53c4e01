import { compareDecimal } from './decimal';
import { findKeyProduct, type ThresholdKey } from './products';
import type { AquacultureMode, OriginRecordFields, ScaleUnit, ScopeVerdict } from './types';

/**
 * 采集范围 (seed 003 §三) as data: the national reference thresholds, which a province may override ("各地根据实际可
 * 制定本地区、本行业制定执行标准"). A record at or above its threshold is 规模以上 (in scope); below, it is kept and
 * marked 规模以下. Amounts are decimal strings in the record's unit.
 */
export type ThresholdTable = Record<ThresholdKey, { amount: string; unit: ScaleUnit }>;

export const NATIONAL_THRESHOLDS: ThresholdTable = {
  planting: { amount: '0.5', unit: '亩' },
  'live-pig': { amount: '30', unit: '头' },
  'beef-cattle': { amount: '5', unit: '头' },
  'meat-sheep': { amount: '50', unit: '头' },
  'black-bone-chicken': { amount: '1000', unit: '只' },
  'laying-hen': { amount: '500', unit: '只' },
  'aquatic-pond': { amount: '10', unit: '亩' },
  'aquatic-factory': { amount: '0.3', unit: '亩' },
};

/** The national table plus province overrides (2-digit province code → the thresholds it sets). */
export interface ScopeRules {
  national: ThresholdTable;
  provinces: Record<string, Partial<ThresholdTable>>;
}

export const DEFAULT_SCOPE_RULES: ScopeRules = { national: NATIONAL_THRESHOLDS, provinces: {} };

function thresholdKeyOf(productCode: string, mode: AquacultureMode | null): ThresholdKey | undefined {
  const product = findKeyProduct(productCode);
  if (!product) return undefined;
  if (product.industry === 'fishery' && mode === 'factory') return 'aquatic-factory';
  return product.thresholdKey;
}

export function classifyScope(fields: Pick<OriginRecordFields, 'product' | 'aquacultureMode' | 'scale' | 'address'>, rules: ScopeRules): ScopeVerdict {
  const key = thresholdKeyOf(fields.product.code, fields.aquacultureMode);
  if (!key) return { inScope: false, threshold: null, ruleSet: 'national', keyProduct: false };
  const override = rules.provinces[fields.address.provinceCode]?.[key];
  const threshold = override ?? rules.national[key];
  const ruleSet = override ? fields.address.provinceCode : 'national';
  const inScope = threshold.unit === fields.scale.unit && compareDecimal(fields.scale.amount, threshold.amount) >= 0;
  return { inScope, threshold: { ...threshold }, ruleSet, keyProduct: true };
}
