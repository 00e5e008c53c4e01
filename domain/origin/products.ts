import type { Industry, ScaleUnit } from './types';

/**
 * The 12 key products of seed 003 §二 (三棵菜、一枚蛋、一只鸡、肉牛、肉羊、四条鱼 and 生猪), bundled as data.
 *
 * `nytClass` is the NY/T 3177-2018 (农产品分类与代码) class the product falls in, as far as it could be derived
 * from the standard's published table of contents (01 种植业产品 → 0104 蔬菜 → 010406 豆类(蔬菜) / 010408 葱蒜类 /
 * 010409 叶菜类). The standard's item-level codes and its livestock / aquatic tables were not available here, so
 * those stay null rather than guessed; `code` is this platform's stable key and what the events keep.
 * `thresholdKey` names the scope rule (scope-rules.ts) the product is measured against.
 */
export interface KeyProduct {
  code: string;
  name: string;
  /** Other names a spreadsheet may use (别名 column or 产品名称 variants). */
  aliases: string[];
  industry: Industry;
  unit: ScaleUnit;
  thresholdKey: ThresholdKey;
  nytClass: string | null;
}

export type ThresholdKey = 'planting' | 'live-pig' | 'beef-cattle' | 'meat-sheep' | 'black-bone-chicken' | 'laying-hen' | 'aquatic-pond' | 'aquatic-factory';

export const KEY_PRODUCTS: readonly KeyProduct[] = [
  { code: 'cowpea', name: '豇豆', aliases: ['豆角', '长豇豆'], industry: 'planting', unit: '亩', thresholdKey: 'planting', nytClass: '010406' },
  { code: 'chinese-chive', name: '韭菜', aliases: ['韭黄'], industry: 'planting', unit: '亩', thresholdKey: 'planting', nytClass: '010408' },
  { code: 'celery', name: '芹菜', aliases: ['西芹', '香芹'], industry: 'planting', unit: '亩', thresholdKey: 'planting', nytClass: '010409' },
  { code: 'hen-egg', name: '鸡蛋', aliases: ['蛋鸡'], industry: 'livestock', unit: '只', thresholdKey: 'laying-hen', nytClass: null },
  { code: 'black-bone-chicken', name: '乌鸡', aliases: ['乌骨鸡'], industry: 'livestock', unit: '只', thresholdKey: 'black-bone-chicken', nytClass: null },
  { code: 'beef-cattle', name: '肉牛', aliases: ['牛'], industry: 'livestock', unit: '头', thresholdKey: 'beef-cattle', nytClass: null },
  { code: 'meat-sheep', name: '肉羊', aliases: ['羊', '山羊', '绵羊'], industry: 'livestock', unit: '头', thresholdKey: 'meat-sheep', nytClass: null },
  { code: 'live-pig', name: '生猪', aliases: ['猪'], industry: 'livestock', unit: '头', thresholdKey: 'live-pig', nytClass: null },
  { code: 'largemouth-bass', name: '大口黑鲈', aliases: ['加州鲈', '鲈鱼'], industry: 'fishery', unit: '亩', thresholdKey: 'aquatic-pond', nytClass: null },
  { code: 'snakehead', name: '乌鳢', aliases: ['黑鱼', '生鱼'], industry: 'fishery', unit: '亩', thresholdKey: 'aquatic-pond', nytClass: null },
  { code: 'bream', name: '鳊鱼', aliases: ['武昌鱼', '团头鲂'], industry: 'fishery', unit: '亩', thresholdKey: 'aquatic-pond', nytClass: null },
  { code: 'large-yellow-croaker', name: '大黄鱼', aliases: ['黄鱼'], industry: 'fishery', unit: '亩', thresholdKey: 'aquatic-pond', nytClass: null },
];

const byCode = new Map(KEY_PRODUCTS.map((p) => [p.code, p]));
const byName = new Map<string, KeyProduct>();
for (const p of KEY_PRODUCTS) {
  byName.set(p.name, p);
  for (const a of p.aliases) if (!byName.has(a)) byName.set(a, p);
}

/** A key product by its code, its name or one of its aliases. */
export function findKeyProduct(codeOrName: string): KeyProduct | undefined {
  return byCode.get(codeOrName) ?? byName.get(codeOrName.trim());
}
