import type { Decider } from '../shared/decider';
import type { DomainEvent } from '../shared/event';
import type { Actor } from '../shared/actor';
import { ValidationError } from '../shared/errors';

/**
 * 运行监测评价 criteria (seed 004 §六(八)): which indicators count, with what weight, what target (达标线), and
 * the composite's grade cut-offs — as data in the ledger, like the risk rules. The ministry sets the national
 * defaults ('' region) and may set a province's or a county's own; a region is judged by the most specific
 * criteria that contain it, each field falling back to the level above.
 */
export const EVALUATION_INDICATORS = ['reviewOnTime', 'confirmationRate', 'dataQuality', 'passRate', 'originTimeliness'] as const;
export type EvaluationIndicator = (typeof EVALUATION_INDICATORS)[number];

export interface IndicatorCriterion {
  /** Relative weight in the composite; 0 leaves the indicator out. */
  weight: number;
  /** 达标线: the share (0–1) an indicator must reach to count as met. */
  target: number;
}

export interface EvaluationCriteria {
  indicators: Record<EvaluationIndicator, IndicatorCriterion>;
  /** Composite score (0–100) cut-offs: ≥ excellent 优秀, ≥ good 良好, ≥ pass 达标, else 不达标. */
  grades: { excellent: number; good: number; pass: number };
}

export type CriteriaChange = {
  indicators?: Partial<Record<EvaluationIndicator, Partial<IndicatorCriterion>>>;
  grades?: Partial<EvaluationCriteria['grades']>;
};

export const DEFAULT_CRITERIA: EvaluationCriteria = {
  indicators: {
    reviewOnTime: { weight: 25, target: 0.9 },
    confirmationRate: { weight: 25, target: 0.85 },
    dataQuality: { weight: 20, target: 0.8 },
    passRate: { weight: 20, target: 0.97 },
    originTimeliness: { weight: 10, target: 0.8 },
  },
  grades: { excellent: 90, good: 80, pass: 60 },
};

export const EVALUATION_CRITERIA_STREAM = 'evaluation-criteria';
export type CriteriaSet = DomainEvent<'EvaluationCriteriaSet', { regionCode: string; change: CriteriaChange; setAt: string; setBy: string }>;
export type CriteriaEvent = CriteriaSet;
export const CRITERIA_EVENT_TYPES: CriteriaEvent['type'][] = ['EvaluationCriteriaSet'];
export type CriteriaCommand = { type: 'SetEvaluationCriteria'; data: { regionCode: string; change: CriteriaChange } };
export interface CriteriaState {
  /** Region prefix ('' national) → the changes set for it, merged. */
  byRegion: Record<string, CriteriaChange>;
}

function validate(change: CriteriaChange): CriteriaChange {
  const out: CriteriaChange = {};
  if (change.indicators) {
    out.indicators = {};
    for (const [key, c] of Object.entries(change.indicators)) {
      if (!(EVALUATION_INDICATORS as readonly string[]).includes(key)) throw new ValidationError(`indicators.${key}`, `unknown indicator ${key}`);
      if (c?.weight !== undefined && !(Number.isFinite(c.weight) && c.weight >= 0 && c.weight <= 100)) throw new ValidationError(`indicators.${key}.weight`, 'weight is 0–100');
      if (c?.target !== undefined && !(Number.isFinite(c.target) && c.target >= 0 && c.target <= 1)) throw new ValidationError(`indicators.${key}.target`, 'target is a share 0–1');
      out.indicators[key as EvaluationIndicator] = { ...(c?.weight !== undefined ? { weight: c.weight } : {}), ...(c?.target !== undefined ? { target: c.target } : {}) };
    }
  }
  if (change.grades) {
    const g = change.grades;
    for (const [k, v] of Object.entries(g)) if (!['excellent', 'good', 'pass'].includes(k) || !(Number.isFinite(v) && v >= 0 && v <= 100)) throw new ValidationError(`grades.${k}`, 'grade cut-offs are excellent, good, pass, each 0–100');
    out.grades = { ...g };
  }
  return out;
}

function merge(a: CriteriaChange, b: CriteriaChange): CriteriaChange {
  const indicators: CriteriaChange['indicators'] = { ...(a.indicators ?? {}) };
  for (const [k, v] of Object.entries(b.indicators ?? {})) indicators[k as EvaluationIndicator] = { ...(indicators[k as EvaluationIndicator] ?? {}), ...v };
  return { indicators, grades: { ...(a.grades ?? {}), ...(b.grades ?? {}) } };
}

export const criteriaDecider: Decider<CriteriaCommand, CriteriaEvent, CriteriaState, { now: Date; actor: Actor }> = {
  initialState: () => ({ byRegion: {} }),
  decide(command, _state, ctx) {
    const { regionCode, change } = command.data;
    if (!/^(\d{2}(\d{2}(\d{2}(\d{3})?)?)?)?$/.test(regionCode)) throw new ValidationError('regionCode', 'a GB/T 2260 prefix, or empty for the national defaults');
    return [{ type: 'EvaluationCriteriaSet', data: { regionCode, change: validate(change), setAt: ctx.now.toISOString(), setBy: ctx.actor.userId } }];
  },
  evolve(state, event) {
    const { regionCode, change } = event.data;
    return { byRegion: { ...state.byRegion, [regionCode]: merge(state.byRegion[regionCode] ?? {}, change) } };
  },
};

/** The criteria a region is judged by: the defaults, then the national, province, city, county (…) settings over them. */
export function effectiveCriteria(state: CriteriaState, region: string): EvaluationCriteria {
  const chain = [''];
  for (const n of [2, 4, 6, 9]) if (region.length >= n) chain.push(region.slice(0, n));
  let c: EvaluationCriteria = structuredClone(DEFAULT_CRITERIA);
  for (const r of chain) {
    const change = state.byRegion[r];
    if (!change) continue;
    for (const [k, v] of Object.entries(change.indicators ?? {})) c.indicators[k as EvaluationIndicator] = { ...c.indicators[k as EvaluationIndicator], ...v };
    c = { ...c, grades: { ...c.grades, ...(change.grades ?? {}) } };
  }
  return c;
}

export type Grade = 'excellent' | 'good' | 'pass' | 'fail';
export const GRADE_LABELS_ZH: Record<Grade, string> = { excellent: '优秀', good: '良好', pass: '达标', fail: '不达标' };

export function gradeOf(score: number | null, grades: EvaluationCriteria['grades']): Grade | null {
  if (score === null) return null;
  return score >= grades.excellent ? 'excellent' : score >= grades.good ? 'good' : score >= grades.pass ? 'pass' : 'fail';
}

/**
 * The composite (0–100): the weighted mean of the available indicators' shares × 100. An indicator with no
 * data in the period (no reviews, no samples) or no source yet is left out and the weights of the rest
 * renormalised — a county is not failed for what it had nothing to do with.
 */
export function compositeScore(values: Partial<Record<EvaluationIndicator, number | null>>, criteria: EvaluationCriteria): number | null {
  let sum = 0;
  let weights = 0;
  for (const k of EVALUATION_INDICATORS) {
    const v = values[k];
    const w = criteria.indicators[k].weight;
    if (v === null || v === undefined || w <= 0) continue;
    sum += v * 100 * w;
    weights += w;
  }
  return weights > 0 ? Math.round((sum / weights) * 10) / 10 : null;
}
