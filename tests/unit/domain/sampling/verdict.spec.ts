import { compareConcentrations, convertConcentration, normalizeConcentrationUnit } from '../../../../domain/sampling/concentration';
import { judgeAnalyte, judgeResults, parseEntry } from '../../../../domain/sampling/verdict';
import type { AnalyteSpec } from '../../../../domain/monitoring/model';
import { ValidationError } from '../../../../domain/shared/errors';
import { FAILING, MODEL, PASSING } from './quality-fixtures';

const clothianidin = MODEL.analytes[0]!; // ≤ 0.01 mg/kg, LOD 0.002 mg/kg
const prohibited = MODEL.analytes[3]!; // 不得检出, LOD 5 μg/kg
const judge = (spec: AnalyteSpec, raw: object) => judgeAnalyte(spec, parseEntry(raw, 'a'), 'a');

describe('concentration units', () => {
  it('compares across units exactly: 10 μg/kg is exactly 0.01 mg/kg (no float drift)', () => {
    expect(compareConcentrations({ value: 10, unit: 'μg/kg' }, { value: 0.01, unit: 'mg/kg' })).toBe(0);
    expect(compareConcentrations({ value: 10.000001, unit: 'μg/kg' }, { value: 0.01, unit: 'mg/kg' })).toBe(1);
    expect(compareConcentrations({ value: 0.1, unit: 'g/kg' }, { value: 100, unit: 'mg/kg' })).toBe(0);
    expect(convertConcentration({ value: 35, unit: 'μg/kg' }, 'mg/kg').value).toBe(0.035);
    expect(convertConcentration({ value: 0.046, unit: 'mg/kg' }, 'μg/kg').value).toBe(46);
  });

  it('accepts ug/kg, the micro sign and ppm/ppb as spellings', () => {
    expect(normalizeConcentrationUnit('ug/kg')).toBe('μg/kg');
    expect(normalizeConcentrationUnit('\u00b5g/kg')).toBe('μg/kg');
    expect(normalizeConcentrationUnit('ppm')).toBe('mg/kg');
    expect(normalizeConcentrationUnit('ppb')).toBe('μg/kg');
    expect(normalizeConcentrationUnit('mg')).toBeUndefined();
  });

  it('refuses to compare per-kilogram with per-litre', () => {
    expect(() => compareConcentrations({ value: 1, unit: 'mg/L' }, { value: 1, unit: 'mg/kg' })).toThrow(ValidationError);
  });
});

describe('verdict against a maximum limit', () => {
  it('passes at the limit (不超过) and fails just above it', () => {
    expect(judge(clothianidin, { code: 'clothianidin', value: 0.01, unit: 'mg/kg' })).toMatchObject({ verdict: 'pass', basis: 'within-limit', detected: true });
    expect(judge(clothianidin, { code: 'clothianidin', value: 10, unit: 'ug/kg' })).toMatchObject({ verdict: 'pass', valueInLimitUnit: 0.01 });
    expect(judge(clothianidin, { code: 'clothianidin', value: 35, unit: 'μg/kg' })).toMatchObject({ verdict: 'fail', basis: 'exceeds-limit', valueInLimitUnit: 0.035 });
  });

  it('treats a value below the limit of detection as not detected', () => {
    expect(judge(clothianidin, { code: 'clothianidin', value: 1, unit: 'μg/kg' })).toMatchObject({ verdict: 'pass', basis: 'below-lod', detected: false, valueInLimitUnit: null });
  });

  it('not detected passes when the LOD is at most the limit, is inconclusive when the lab’s LOD is above it', () => {
    expect(judge(clothianidin, { code: 'clothianidin', notDetected: true })).toMatchObject({ verdict: 'pass', basis: 'not-detected', lod: { value: 0.002, unit: 'mg/kg' } });
    expect(judge(clothianidin, { code: 'clothianidin', notDetected: true, lod: { value: 0.05, unit: 'mg/kg' } })).toMatchObject({ verdict: 'inconclusive', basis: 'lod-above-limit' });
  });

  it('needs a limit of detection for "not detected" (in the entry or the model)', () => {
    const noLod = MODEL.analytes[2]!; // 灭蝇胺 has no LOD in the model
    expect(() => judge(noLod, { code: 'cyromazine', notDetected: true })).toThrow(expect.objectContaining({ field: 'a.lod' }));
    expect(judge(noLod, { code: 'cyromazine', notDetected: true, lod: { value: 0.01, unit: 'mg/kg' } }).verdict).toBe('pass');
  });
});

describe('verdict against 不得检出 (must not be detected)', () => {
  it('passes when not detected or below the LOD, fails on any detection', () => {
    expect(judge(prohibited, { code: 'chlordimeform', notDetected: true }).verdict).toBe('pass');
    expect(judge(prohibited, { code: 'chlordimeform', value: 0.004, unit: 'mg/kg' })).toMatchObject({ verdict: 'pass', basis: 'below-lod' });
    expect(judge(prohibited, { code: 'chlordimeform', value: 0.005, unit: 'mg/kg' })).toMatchObject({ verdict: 'fail', basis: 'detected-prohibited' });
  });
});

describe('judging a whole result', () => {
  it('overall verdict: fail if any fails, listing the outcome of each analyte', () => {
    const { outcomes, verdict } = judgeResults(MODEL.analytes, FAILING);
    expect(verdict).toBe('fail');
    expect(outcomes.filter((o) => o.verdict === 'fail').map((o) => o.name)).toEqual(['噻虫胺', '克百威']);
    expect(judgeResults(MODEL.analytes, PASSING).verdict).toBe('pass');
  });

  it('inconclusive beats pass but not fail', () => {
    const entries = PASSING.map((e) => (e.code === 'clothianidin' ? { code: 'clothianidin', notDetected: true, lod: { value: 0.02, unit: 'mg/kg' } } : e));
    expect(judgeResults(MODEL.analytes, entries).verdict).toBe('inconclusive');
  });

  it.each([
    ['analytes', []],
    ['analytes', PASSING.slice(1)],
    ['analytes[4].code', [...PASSING, { code: 'dichlorvos', value: 1, unit: 'mg/kg' }]],
    ['analytes[1].code', [PASSING[0], PASSING[0], ...PASSING.slice(2)]],
    ['analytes[0].value', [{ code: 'clothianidin' }, ...PASSING.slice(1)]],
    ['analytes[0].value', [{ code: 'clothianidin', value: -1, unit: 'mg/kg' }, ...PASSING.slice(1)]],
    ['analytes[0].unit', [{ code: 'clothianidin', value: 1, unit: 'mg' }, ...PASSING.slice(1)]],
    ['analytes[0].unit', [{ code: 'clothianidin', value: 1, unit: 'mg/L' }, ...PASSING.slice(1)]],
    ['analytes[0].value', [{ code: 'clothianidin', value: 1, unit: 'mg/kg', notDetected: true }, ...PASSING.slice(1)]],
  ])('bad entries name the field %s', (field, entries) => {
    expect(() => judgeResults(MODEL.analytes, entries)).toThrow(expect.objectContaining({ field }));
  });
});
