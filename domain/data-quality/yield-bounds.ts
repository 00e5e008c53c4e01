/**
 * Generous upper bounds per product for the implausible-quantity rule (批次数量与基地规模不符): what one lot
 * may at most weigh (or count) per unit of the base's scale. They are ceilings, several times a good harvest,
 * so that only impossible lots are flagged (50,000 t of live pigs from a 2.5-亩 chive plot), never a good year.
 * Figures: roughly 3–5 × typical yields (vegetables 3,000–6,000 kg/亩 a cycle; a pig ≈ 120 kg, a head of
 * cattle ≈ 600 kg live weight; ponds ≈ 1,000–2,000 kg/亩). They are data: a rule may override any entry.
 */
export interface YieldBound {
  /** Most kilograms per 亩 of the base (planting, aquaculture, and livestock housing when only an area is known). */
  kgPerMu?: number;
  /** Most head per 亩 when the base gives only an area (livestock). */
  headPerMu?: number;
  /** Most kilograms per head of the herd or flock (livestock with a head count). */
  kgPerHead?: number;
  /** Most head in a lot per head of the stock (a lot cannot exceed the herd). */
  headPerHead?: number;
}

export const DEFAULT_YIELD_BOUNDS: Readonly<Record<string, YieldBound>> = {
  豇豆: { kgPerMu: 15_000 },
  韭菜: { kgPerMu: 20_000 },
  芹菜: { kgPerMu: 25_000 },
  番茄: { kgPerMu: 40_000 },
  黄瓜: { kgPerMu: 40_000 },
  白菜: { kgPerMu: 30_000 },
  辣椒: { kgPerMu: 15_000 },
  茄子: { kgPerMu: 25_000 },
  水稻: { kgPerMu: 2_000 },
  大米: { kgPerMu: 2_000 },
  小麦: { kgPerMu: 2_000 },
  玉米: { kgPerMu: 2_500 },
  苹果: { kgPerMu: 15_000 },
  柑橘: { kgPerMu: 15_000 },
  茶叶: { kgPerMu: 1_000 },
  鸡蛋: { kgPerMu: 50_000, kgPerHead: 40 },
  乌鸡: { kgPerMu: 20_000, headPerMu: 10_000, kgPerHead: 5, headPerHead: 1 },
  肉牛: { kgPerMu: 100_000, headPerMu: 150, kgPerHead: 1_200, headPerHead: 1 },
  肉羊: { kgPerMu: 40_000, headPerMu: 500, kgPerHead: 150, headPerHead: 1 },
  生猪: { kgPerMu: 60_000, headPerMu: 300, kgPerHead: 250, headPerHead: 1 },
  大口黑鲈: { kgPerMu: 10_000 },
  乌鳢: { kgPerMu: 15_000 },
  鳊鱼: { kgPerMu: 8_000 },
  大黄鱼: { kgPerMu: 10_000 },
};

/** For a product the table does not name: a ceiling no farm reaches per 亩 (the rule still catches the absurd). */
export const FALLBACK_YIELD_BOUND: YieldBound = { kgPerMu: 100_000, headPerMu: 1_000, kgPerHead: 1_500, headPerHead: 1 };

/**
 * The bound for a product name: exact entry, else the longest table name the product contains ("有机豇豆" →
 * 豇豆), else the fallback.
 */
export function boundFor(product: string, table: Readonly<Record<string, YieldBound>> = DEFAULT_YIELD_BOUNDS): YieldBound {
  if (table[product]) return table[product]!;
  const hit = Object.keys(table)
    .filter((name) => product.includes(name))
    .sort((a, b) => b.length - a.length)[0];
  return hit ? table[hit]! : FALLBACK_YIELD_BOUND;
}
