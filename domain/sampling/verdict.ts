import { ValidationError } from '../shared/errors';
import type { AnalyteSpec, Limit } from '../monitoring/model';
import {
  areComparable,
  compareConcentrations,
  convertConcentration,
  requireConcentration,
  requireConcentrationUnit,
  type Concentration,
} from './concentration';

/**
 * Judging lab results against the monitoring model's limits. The rules (documented in
 * docs/decisions/0005-quality-and-safety.md):
 *
 *  1. An analyte is reported either as a value with a unit, or as "not detected" (未检出, ND).
 *  2. The limit of detection (LOD) is the one the lab gives with the entry, else the model's.
 *     An ND entry needs an LOD: "not detected" only means something relative to the method.
 *  3. A numeric value strictly below the LOD is treated as ND (reported as "<LOD").
 *  4. Against a maximum limit: a detected value passes when value ≤ limit (at the limit is compliant,
 *     GB 2763 "不超过"), fails when value > limit. ND passes when LOD ≤ limit; when the method's LOD is
 *     above the limit, ND cannot show compliance and the verdict is "inconclusive".
 *  5. Against "must not be detected" (不得检出): ND passes, any detection fails.
 *  6. Overall: fail if any analyte fails; else inconclusive if any is inconclusive; else pass.
 *
 * So for a fixed analyte and method, a higher value never gives a better verdict (property-tested).
 */
export type Verdict = 'pass' | 'inconclusive' | 'fail';
export const VERDICT_RANK: Record<Verdict, number> = { pass: 0, inconclusive: 1, fail: 2 };
export const VERDICT_LABELS_ZH: Record<Verdict, string> = { pass: '合格', inconclusive: '无法判定', fail: '不合格' };

export type Measurement = { kind: 'value'; value: number; unit: Concentration['unit'] } | { kind: 'notDetected' };

/** One analyte as the lab enters it. */
export interface AnalyteEntry {
  code: string;
  measurement: Measurement;
  lod?: Concentration;
}

export type VerdictBasis = 'within-limit' | 'exceeds-limit' | 'not-detected' | 'below-lod' | 'lod-above-limit' | 'detected-prohibited';

export interface AnalyteOutcome {
  code: string;
  name: string;
  measurement: Measurement;
  lod: Concentration | null;
  detected: boolean;
  /** The measured value in the limit's unit (max limits, detected values); null otherwise. */
  valueInLimitUnit: number | null;
  limit: Limit;
  verdict: Verdict;
  basis: VerdictBasis;
}

export function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (VERDICT_RANK[v] > VERDICT_RANK[w] ? v : w), 'pass');
}

/** Parses one raw entry `{code, value?, unit?, notDetected?, lod?}` (field names for errors: `${field}.value` …). */
export function parseEntry(raw: unknown, field: string): AnalyteEntry {
  if (typeof raw !== 'object' || raw === null) throw new ValidationError(field, `${field} is required`);
  const x = raw as Record<string, unknown>;
  if (typeof x.code !== 'string' || x.code.trim() === '') throw new ValidationError(`${field}.code`, `${field}.code is required`);
  const nd = x.notDetected === true;
  const hasValue = x.value !== undefined && x.value !== null;
  if (nd && hasValue) throw new ValidationError(`${field}.value`, `${field}: give either a value or notDetected, not both`);
  if (!nd && !hasValue) throw new ValidationError(`${field}.value`, `${field}.value is required (or notDetected: true)`);
  const lod = x.lod === undefined || x.lod === null ? undefined : requireConcentration(x.lod, `${field}.lod`, true);
  if (nd) return { code: x.code, measurement: { kind: 'notDetected' }, ...(lod ? { lod } : {}) };
  if (typeof x.value !== 'number' || !Number.isFinite(x.value) || x.value < 0) {
    throw new ValidationError(`${field}.value`, `${field}.value must be a non-negative finite number`, { value: x.value });
  }
  const unit = requireConcentrationUnit(x.unit, `${field}.unit`);
  return { code: x.code, measurement: { kind: 'value', value: x.value, unit }, ...(lod ? { lod } : {}) };
}

/** The verdict of one entry against its analyte's spec. `field` names the entry in errors. */
export function judgeAnalyte(spec: AnalyteSpec, entry: AnalyteEntry, field = 'analyte'): AnalyteOutcome {
  const lod = entry.lod ?? spec.lod ?? null;
  const m = entry.measurement;
  const base = { code: spec.code, name: spec.name, measurement: m, lod, limit: spec.limit };
  if (spec.limit.kind === 'max' && lod && !areComparable(lod.unit, spec.limit.unit)) {
    throw new ValidationError(`${field}.lod.unit`, `${field}.lod is per ${lod.unit} but the limit of ${spec.name} is per ${spec.limit.unit}`);
  }
  if (m.kind === 'value' && lod && !areComparable(m.unit, lod.unit)) {
    throw new ValidationError(`${field}.unit`, `${field}.unit ${m.unit} does not match the limit of detection's ${lod.unit}`);
  }
  let detected: boolean;
  let belowLod = false;
  if (m.kind === 'notDetected') {
    if (!lod) throw new ValidationError(`${field}.lod`, `${field}: "not detected" needs the method's limit of detection (in the entry or the model)`);
    detected = false;
  } else {
    belowLod = lod !== null && compareConcentrations(m, lod, `${field}.unit`) < 0;
    detected = !belowLod;
  }
  const ndBasis: VerdictBasis = belowLod ? 'below-lod' : 'not-detected';

  if (spec.limit.kind === 'notDetected') {
    return detected
      ? { ...base, detected, valueInLimitUnit: null, verdict: 'fail', basis: 'detected-prohibited' }
      : { ...base, detected, valueInLimitUnit: null, verdict: 'pass', basis: ndBasis };
  }
  const limit = { value: spec.limit.value, unit: spec.limit.unit };
  if (!detected) {
    // lod is known here: ND always has one, and "below LOD" needed one to be decided.
    const lodAboveLimit = compareConcentrations(lod!, limit, `${field}.lod.unit`) > 0;
    return { ...base, detected, valueInLimitUnit: null, verdict: lodAboveLimit ? 'inconclusive' : 'pass', basis: lodAboveLimit ? 'lod-above-limit' : ndBasis };
  }
  const value = m as Extract<Measurement, { kind: 'value' }>;
  const cmp = compareConcentrations({ value: value.value, unit: value.unit }, limit, `${field}.unit`);
  return {
    ...base,
    detected,
    valueInLimitUnit: convertConcentration({ value: value.value, unit: value.unit }, limit.unit, `${field}.unit`).value,
    verdict: cmp > 0 ? 'fail' : 'pass',
    basis: cmp > 0 ? 'exceeds-limit' : 'within-limit',
  };
}

/**
 * Judges every analyte of the model. Each model analyte must be reported exactly once; an unknown code is
 * refused (results for analytes the task did not ask for would have no limit to be judged against).
 */
export function judgeResults(analytes: AnalyteSpec[], rawEntries: unknown, field = 'analytes'): { outcomes: AnalyteOutcome[]; verdict: Verdict } {
  if (!Array.isArray(rawEntries) || rawEntries.length === 0) throw new ValidationError(field, `${field} needs one entry per analyte of the model`);
  const specs = new Map(analytes.map((a) => [a.code, a]));
  const byCode = new Map<string, { entry: AnalyteEntry; field: string }>();
  rawEntries.forEach((raw, i) => {
    const f = `${field}[${i}]`;
    const entry = parseEntry(raw, f);
    if (!specs.has(entry.code)) throw new ValidationError(`${f}.code`, `${f}.code ${entry.code} is not an analyte of the task's monitoring model`, { known: [...specs.keys()] });
    if (byCode.has(entry.code)) throw new ValidationError(`${f}.code`, `${f}.code ${entry.code} is reported twice`);
    byCode.set(entry.code, { entry, field: f });
  });
  const missing = analytes.filter((a) => !byCode.has(a.code)).map((a) => a.code);
  if (missing.length > 0) throw new ValidationError(field, `${field} is missing ${missing.join(', ')}`, { missing });
  const outcomes = analytes.map((spec) => {
    const { entry, field: f } = byCode.get(spec.code)!;
    return judgeAnalyte(spec, entry, f);
  });
  return { outcomes, verdict: worst(outcomes.map((o) => o.verdict)) };
}
