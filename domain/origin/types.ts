/**
 * 重点农产品产地溯源信息采集表 (seed 003 附件1): the vocabulary of one origin record (`originRecord`, one per base
 * or plot). `OriginRecordFields` is the whole form, exactly as it is kept in the events; every other layer
 * (import, export, read model, data-quality rules) reads this one type.
 */

/** 主体类型 (single choice): 农产品生产企业、农民专业合作社、家庭农场、农户 (附件1), 农村经纪人 (seed 003 §四). */
export const PRODUCER_TYPES = ['enterprise', 'cooperative', 'family-farm', 'household', 'broker'] as const;
export type ProducerType = (typeof PRODUCER_TYPES)[number];

/** 所属行业: 种植业 / 畜牧业 / 渔业. */
export const INDUSTRIES = ['planting', 'livestock', 'fishery'] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** 产品认证类型 (optional): 绿色 / 有机 / 地标 / 其他. */
export const CERTIFICATIONS = ['green', 'organic', 'geo-indication', 'other'] as const;
export type Certification = (typeof CERTIFICATIONS)[number];

/** 生产方式 (planting only, multiple): 露地 / 设施. */
export const PRODUCTION_METHODS = ['open-field', 'facility'] as const;
export type ProductionMethod = (typeof PRODUCTION_METHODS)[number];

/** 追溯方式 (multiple): 承诺达标合格证、追溯码、耳标、动物检疫合格证、包装标识、其他. */
export const TRACE_METHODS = ['compliance-certificate', 'trace-code', 'ear-tag', 'quarantine-certificate', 'package-label', 'other'] as const;
export type TraceMethod = (typeof TRACE_METHODS)[number];

/** 养殖方式 of an aquatic base: 池塘等 (≥ 10 亩) or 工厂化 (≥ 0.3 亩, 200 ㎡) — two thresholds in seed 003 §三. */
export const AQUACULTURE_MODES = ['pond', 'factory'] as const;
export type AquacultureMode = (typeof AQUACULTURE_MODES)[number];

/** 种养规模单位 as kept: 亩 (planting, aquatic), 头 / 只 (livestock). ㎡ is accepted on input and converted to 亩. */
export const SCALE_UNITS = ['亩', '头', '只'] as const;
export type ScaleUnit = (typeof SCALE_UNITS)[number];
export type EnteredScaleUnit = ScaleUnit | '㎡';

/** 审核状态: collected and waiting for the county, approved, or returned to the collector with a reason. */
export const REVIEW_STATES = ['pending', 'approved', 'returned'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** How a record came in: the form, a point placed on the map (直接标注), or a spreadsheet row (表格方式). */
export const COLLECTION_CHANNELS = ['form', 'map', 'import'] as const;
export type CollectionChannel = (typeof COLLECTION_CHANNELS)[number];

export interface NamedPerson {
  name: string;
  /** Mainland mobile, 11 digits, normalised (no +86, spaces or dashes). */
  mobile: string;
}

/** 基地地址 down to the village, with GB/T 2260 / NBS codes at each level (village: 12 digits). */
export interface BaseAddress {
  provinceCode: string; // 2 digits
  provinceName: string;
  cityCode: string; // 4 digits
  cityName: string;
  countyCode: string; // 6 digits
  countyName: string;
  townshipCode: string; // 9 digits
  townshipName: string;
  villageCode: string; // 12 digits
  villageName: string;
  /** 门牌 / 组 below the village, free text. */
  detail: string | null;
}

/** 点位经纬度: decimal strings exactly as collected (≥ 6 decimals), never parsed into floats in the events. */
export interface GeoPoint {
  lat: string;
  lon: string;
}

/** 种养规模: `amount` is an exact decimal string in `unit`; `entered` keeps what was typed when it was converted (㎡ → 亩). */
export interface Scale {
  amount: string;
  unit: ScaleUnit;
  entered: { amount: string; unit: EnteredScaleUnit } | null;
}

/** 上市 / 下市时间 (planting only): `YYYY-MM` or `YYYY-MM-DD`. */
export interface MarketingWindow {
  from: string;
  to: string;
}

/** A product of NY/T 3177-2018 (农产品分类和代码) — see products.ts for the bundled list and where the codes come from. */
export interface ProductRef {
  code: string;
  name: string;
}

/** Every field of 附件1 (the 序号 column is the row number, not a field). Optional ones are null when absent. */
export interface OriginRecordFields {
  producerName: string; // 种养殖主体名称*
  producerType: ProducerType; // 主体类型*
  industry: Industry; // 所属行业*
  product: ProductRef; // 产品名称*
  alias: string | null; // 别名
  certification: Certification | null; // 产品认证类型
  address: BaseAddress; // 基地地址*
  point: GeoPoint; // 点位经纬度*
  contact: NamedPerson; // 种养殖主体联系人* / 联系方式(手机)*
  scale: Scale; // 种养规模* / 单位*
  aquacultureMode: AquacultureMode | null; // fishery only: which threshold applies
  marketing: MarketingWindow | null; // 上市/下市时间* (planting); null for livestock and fishery (暂不填报)
  productionMethods: ProductionMethod[]; // 生产方式* (planting); [] otherwise
  traceMethods: TraceMethod[]; // 追溯方式*
  creditRating: string | null; // 信用等级 (local standard, free text)
  gridWorker: NamedPerson; // 网格员*
  collector: NamedPerson; // 信息采集员*
  /** The registered entity (主体) the record belongs to, when known: a registered enterprise collecting its own. */
  entityId: string | null;
}

/** 规模以上 / 规模以下 against the threshold that applied when the event was decided. */
export interface ScopeVerdict {
  inScope: boolean;
  /** The threshold compared against, in the record's unit (null when the product is not one of the key products). */
  threshold: { amount: string; unit: ScaleUnit } | null;
  /** Which rule set decided: 'national' or the province code whose override applied. */
  ruleSet: string;
  keyProduct: boolean;
}

/** The acting user as the events keep it (a collector's performance is counted by userId). */
export interface OriginActorRef {
  userId: string;
  orgId: string;
  role: string;
  regionCode: string;
}
