import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import type { DomainEvent } from '../shared/event';
import { ValidationError } from '../shared/errors';
import { compareDecimal, decimalPlaces, isDecimal, normalizeDecimal } from './decimal';
import type { ThresholdKey } from './products';
import { NATIONAL_THRESHOLDS, type ScopeRules, type ThresholdTable } from './scope-rules';
import type { OriginActorRef } from './types';

/**
 * A province's own 规模以上 thresholds (seed 003 §三: "各地根据实际可制定本地区、本行业制定执行标准"), as data: one small
 * stream per province, `originscope-{province}`, each change the whole override table after it. A threshold keeps
 * the national unit (亩, 头, 只); only the amount moves. Records are classified with the rules in force when they
 * are collected or changed (the verdict is in the event); an override does not re-classify records already kept.
 */
export type OriginScopeRulesSet = DomainEvent<
  'OriginScopeRulesSet',
  { provinceCode: string; thresholds: Partial<ThresholdTable>; setBy: OriginActorRef; setAt: string }
>;
export type OriginScopeRulesEvent = OriginScopeRulesSet;
export const ORIGIN_SCOPE_RULES_EVENT_TYPES: OriginScopeRulesEvent['type'][] = ['OriginScopeRulesSet'];

export type SetOriginScopeRules = { type: 'SetOriginScopeRules'; data: { provinceCode: string; thresholds: Record<string, unknown> } };

export interface OriginScopeRulesState {
  provinceCode: string;
  thresholds: Partial<ThresholdTable>;
}

export const originScopeRulesStreamId = (provinceCode: string): string => `originscope-${provinceCode}`;

/** `{ planting: "1", "live-pig": "50" }` (amounts in the national unit) → the table, keys in the national order. */
export function validateThresholds(thresholds: Record<string, unknown>): Partial<ThresholdTable> {
  if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) throw new ValidationError('thresholds', 'thresholds must be an object of threshold → amount');
  const out: Partial<ThresholdTable> = {};
  for (const key of Object.keys(thresholds)) {
    if (!(key in NATIONAL_THRESHOLDS)) throw new ValidationError(`thresholds.${key}`, `${key} is not a threshold (${Object.keys(NATIONAL_THRESHOLDS).join(', ')})`, { allowed: Object.keys(NATIONAL_THRESHOLDS) });
  }
  for (const key of Object.keys(NATIONAL_THRESHOLDS) as ThresholdKey[]) {
    if (!(key in thresholds)) continue;
    const raw = thresholds[key];
    const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
    if (typeof text !== 'string' || !isDecimal(text.trim()) || compareDecimal(text.trim(), '0') <= 0 || decimalPlaces(text.trim()) > 4) {
      throw new ValidationError(`thresholds.${key}`, `thresholds.${key} must be an amount greater than 0 with at most 4 decimals, in ${NATIONAL_THRESHOLDS[key].unit}`, { value: raw ?? null });
    }
    out[key] = { amount: normalizeDecimal(text.trim()), unit: NATIONAL_THRESHOLDS[key].unit };
  }
  return out;
}

export function decideScopeRules(command: SetOriginScopeRules, state: OriginScopeRulesState, ctx: DecisionContext): OriginScopeRulesEvent[] {
  const { provinceCode } = command.data;
  if (typeof provinceCode !== 'string' || !/^\d{2}$/.test(provinceCode)) throw new ValidationError('provinceCode', 'thresholds are set per province (a 2-digit code)', { value: provinceCode ?? null });
  const thresholds = validateThresholds(command.data.thresholds);
  if (JSON.stringify(thresholds) === JSON.stringify(state.thresholds)) return [];
  const a = ctx.actor;
  return [{ type: 'OriginScopeRulesSet', data: { provinceCode, thresholds, setBy: { userId: a.userId, orgId: a.orgId, role: a.role, regionCode: a.regionCode ?? '' }, setAt: ctx.now.toISOString() } }];
}

export const scopeRulesDecider: Decider<SetOriginScopeRules, OriginScopeRulesEvent, OriginScopeRulesState, DecisionContext> = {
  decide: decideScopeRules,
  evolve: (_state, event) => ({ provinceCode: event.data.provinceCode, thresholds: event.data.thresholds }),
  initialState: () => ({ provinceCode: '', thresholds: {} }),
};

/** The rules in force for records of these provinces: the national table and each one's override. */
export function scopeRulesWith(base: ScopeRules, overrides: OriginScopeRulesState[]): ScopeRules {
  const provinces = { ...base.provinces };
  for (const o of overrides) if (o.provinceCode !== '') provinces[o.provinceCode] = o.thresholds;
  return { national: base.national, provinces };
}
