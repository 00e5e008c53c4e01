import {
  coordinatePrecision,
  decimalsOf,
  DEFAULT_QUALITY_RULES,
  duplicateBase,
  duplicateCreditCode,
  haversineMetres,
  implausibleQuantity,
  missingFields,
  outsideDeclaredRegion,
  productionDateFuture,
  productionDateTooOld,
  provinceAt,
  staleFrom,
  type QualityRule,
} from '../../../../domain/data-quality';

/** Every data-quality check as given (a rule and a record) / when (checked) / then (flagged or not, and why). */
const rule = (ruleId: string, overrides: Partial<QualityRule> = {}): QualityRule => ({ ...DEFAULT_QUALITY_RULES.find((r) => r.ruleId === ruleId)!, ...overrides });

describe('coordinate precision (经纬度不足6位小数)', () => {
  const r = rule('coordinate-precision');
  it('counts decimals as written: strings keep trailing zeros, numbers do not', () => {
    expect(decimalsOf('110.123400')).toBe(6);
    expect(decimalsOf(110.1234)).toBe(4);
    expect(decimalsOf(110)).toBe(0);
    expect(decimalsOf(1e-7)).toBe(7);
  });
  it('given 6 decimals on both, then nothing is flagged', () => {
    expect(coordinatePrecision(r, { lat: 18.748261, lon: 109.172345 })).toBeNull();
    expect(coordinatePrecision(r, { lat: '18.748260', lon: '109.172340' })).toBeNull();
  });
  it('given a 5-decimal latitude, then it is flagged naming both counts', () => {
    expect(coordinatePrecision(r, { lat: 18.74826, lon: 109.172345 })).toMatchObject({ detail: { latDecimals: 5, lonDecimals: 6, minDecimals: 6 } });
  });
  it('given the threshold lowered to 5, then the same point passes', () => {
    expect(coordinatePrecision(rule('coordinate-precision', { params: { minDecimals: 5 } }), { lat: 18.74826, lon: 109.17234 })).toBeNull();
  });
});

describe('outside the declared province (点位不在所报省份内)', () => {
  const r = rule('outside-declared-region');
  it('finds the province of points well inside it', () => {
    expect(provinceAt(19.2, 109.7)?.code).toBe('46'); // Hainan island
    expect(provinceAt(39.9042, 116.4074)?.code).toBe('11'); // Beijing
    expect(provinceAt(23.1291, 113.2644)?.code).toBe('44'); // Guangzhou
  });
  it('given a Ledong (469027) base in Hainan, then nothing is flagged', () => {
    expect(outsideDeclaredRegion(r, { lat: 18.748261, lon: 109.172345 }, '469027')).toBeNull();
  });
  it('given a point in Guangzhou declared in Hainan, then it is flagged with the province it falls in', () => {
    const hit = outsideDeclaredRegion(r, { lat: '23.129100', lon: '113.264400' }, '469027');
    expect(hit).toMatchObject({ detail: { declaredProvince: '46', foundProvince: '44' } });
    expect(hit!.detail.metresOutside as number).toBeGreaterThan(100_000);
  });
  it('given a point just across a border within the tolerance, then it is not flagged; with no tolerance it is', () => {
    // Beijing city centre declared as Hebei (13): Hebei surrounds Beijing, the nearest Hebei outline is tens of km away.
    const beijing = { lat: 39.9042, lon: 116.4074 };
    expect(outsideDeclaredRegion(rule('outside-declared-region', { params: { toleranceMetres: 50_000 } }), beijing, '130100')).toBeNull();
    expect(outsideDeclaredRegion(rule('outside-declared-region', { params: { toleranceMetres: 0 } }), beijing, '130100')).not.toBeNull();
  });
  it('given a province the layer has no outline for, then it is not judged', () => {
    expect(outsideDeclaredRegion(r, { lat: 23.1, lon: 113.2 }, '990000')).toBeNull();
  });
});

describe('implausible lot quantity (批次数量超出基地规模合理上限)', () => {
  const r = rule('implausible-quantity');
  it('given 50,000 t of live pigs from a 2.5-亩 plot, then it is flagged against 2.5 × 60,000 kg', () => {
    const hit = implausibleQuantity(r, { product: '生猪', quantity: { amount: 50_000, unit: 't' } }, { mu: 2.5 });
    expect(hit).toMatchObject({ detail: { measure: 'kg', value: 50_000_000, limit: 150_000 } });
  });
  it('given a good chive harvest (8 t from 2.5 亩), then nothing is flagged', () => {
    expect(implausibleQuantity(r, { product: '韭菜', quantity: { amount: 8_000, unit: 'kg' } }, { mu: 2.5 })).toBeNull();
  });
  it('given more head than the herd, then it is flagged; the herd itself passes', () => {
    expect(implausibleQuantity(r, { product: '肉牛', quantity: { amount: 31, unit: 'head' } }, { head: 30 })).not.toBeNull();
    expect(implausibleQuantity(r, { product: '肉牛', quantity: { amount: 30, unit: 'head' } }, { head: 30 })).toBeNull();
  });
  it('matches a product by the table name it contains, and a rule can override the table and add a margin', () => {
    expect(implausibleQuantity(r, { product: '有机豇豆', quantity: { amount: 16, unit: 't' } }, { mu: 1 })).not.toBeNull();
    expect(implausibleQuantity(rule('implausible-quantity', { bounds: { 豇豆: { kgPerMu: 20_000 } } }), { product: '有机豇豆', quantity: { amount: 16, unit: 't' } }, { mu: 1 })).toBeNull();
    expect(implausibleQuantity(rule('implausible-quantity', { params: { marginPercent: 10 } }), { product: '豇豆', quantity: { amount: 16, unit: 't' } }, { mu: 1 })).toBeNull();
  });
  it('given no declared scale or a unit that says nothing about size, then it is not judged', () => {
    expect(implausibleQuantity(r, { product: '生猪', quantity: { amount: 50_000, unit: 't' } }, {})).toBeNull();
    expect(implausibleQuantity(r, { product: '豇豆', quantity: { amount: 10_000_000, unit: 'box' } }, { mu: 1 })).toBeNull();
  });
});

describe('production dates (生产日期)', () => {
  it('given a date after the CST day it was recorded, then it is flagged as future', () => {
    // 2026-03-09T17:00Z is already 2026-03-10 in China
    expect(productionDateFuture(rule('production-date-future'), '2026-03-10', '2026-03-09T17:00:00.000Z')).toBeNull();
    expect(productionDateFuture(rule('production-date-future'), '2026-03-11', '2026-03-09T17:00:00.000Z')).toMatchObject({ detail: { daysAhead: 1 } });
    expect(productionDateFuture(rule('production-date-future', { params: { toleranceDays: 1 } }), '2026-03-11', '2026-03-09T17:00:00.000Z')).toBeNull();
  });
  it('given a date more than a year before it was recorded, then it is flagged as too old', () => {
    expect(productionDateTooOld(rule('production-date-too-old'), '2025-03-10', '2026-03-10T02:00:00.000Z')).toBeNull();
    expect(productionDateTooOld(rule('production-date-too-old'), '2025-03-09', '2026-03-10T02:00:00.000Z')).toMatchObject({ detail: { ageDays: 366 } });
  });
});

describe('stale records (产地信息未按期更新)', () => {
  it('is stale from the refresh due date plus the grace days', () => {
    expect(staleFrom(rule('stale-origin-record'), '2026-04-10T16:00:00.000Z')).toBe('2026-04-10T16:00:00.000Z');
    expect(staleFrom(rule('stale-origin-record', { params: { graceDays: 3 } }), '2026-04-10T16:00:00.000Z')).toBe('2026-04-13T16:00:00.000Z');
  });
});

describe('missing required fields (必填项缺失)', () => {
  it('given a base without area or township, then both are named', () => {
    expect(missingFields(rule('missing-base-fields'), { baseId: 'b', areaMu: undefined })).toMatchObject({ detail: { missing: ['areaMu', 'townshipCode'] } });
  });
  it('given an off-ledger receiver with a phone but a blank address, then the address is named', () => {
    expect(missingFields(rule('missing-receiver-contact'), { receiver: { name: '张三', phone: '13800138000', address: ' ' } })).toMatchObject({ detail: { missing: ['receiver.address'] } });
  });
  it('given an origin record with every required field, then nothing is flagged; an empty trace-method list is missing', () => {
    const record = {
      producerName: '乐东县豇豆合作社', producerType: 'cooperative', industry: 'planting', product: { name: '豇豆' },
      address: { villageCode: '469027100201' }, point: { lat: '18.748261', lon: '109.172345' }, contact: { name: '李四', mobile: '13800138000' },
      scale: { amount: '12.5', unit: '亩' }, traceMethods: ['trace-code'], gridWorker: { name: '王五', mobile: '13900139000' }, collector: { name: '赵六', mobile: '13700137000' },
    };
    expect(missingFields(rule('missing-origin-fields'), record)).toBeNull();
    expect(missingFields(rule('missing-origin-fields'), { ...record, traceMethods: [] })).toMatchObject({ detail: { missing: ['traceMethods'] } });
  });
});

describe('duplicates (重复数据)', () => {
  it('given another holder of the credit code, then the newcomer is flagged naming it', () => {
    expect(duplicateCreditCode(rule('duplicate-credit-code'), '91460000MA5TXXXX0X', [])).toBeNull();
    expect(duplicateCreditCode(rule('duplicate-credit-code'), '91460000MA5TXXXX0X', [{ kind: 'entity', id: 'e1', name: '乐东一号' }])!.message).toContain('乐东一号');
  });
  it('measures great-circle distance (1e-5° of latitude ≈ 1.11 m)', () => {
    expect(haversineMetres({ lat: 18.748261, lon: 109.172345 }, { lat: 18.748271, lon: 109.172345 })).toBeCloseTo(1.112, 2);
  });
  it('given a base 3 m from another, then it is flagged; 8 m away it is not (radius 5 m), unless the radius is 10 m', () => {
    const here = { lat: 18.748261, lon: 109.172345 };
    const near = { kind: 'base', id: 'a', lat: 18.748288, lon: 109.172345 }; // ≈ 3.0 m north
    const far = { kind: 'base', id: 'b', lat: 18.748333, lon: 109.172345 }; // ≈ 8.0 m north
    expect(duplicateBase(rule('duplicate-base'), here, [near, far])).toMatchObject({ detail: { near: [{ id: 'a' }] } });
    expect(duplicateBase(rule('duplicate-base'), here, [far])).toBeNull();
    expect(duplicateBase(rule('duplicate-base', { params: { radiusMetres: 10 } }), here, [far])).not.toBeNull();
  });
});
