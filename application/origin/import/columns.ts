import {
  AQUACULTURE_MODES,
  CERTIFICATIONS,
  INDUSTRIES,
  PRODUCER_TYPES,
  PRODUCTION_METHODS,
  TRACE_METHODS,
  type AquacultureMode,
  type Certification,
  type Industry,
  type ProducerType,
  type ProductionMethod,
  type TraceMethod,
} from '../../../domain/origin';

/**
 * The spreadsheet layout of 重点农产品产地溯源信息采集表 (seed 003 附件1), shared by the template, the import, the
 * error workbook and the export. The seed's columns in the seed's order; where the seed needs more than its
 * header offers, a column is added inside the same group: 基地地址 has 村 (the seed: "务必填写到村一级"), the
 * 12-digit 村级区划代码 (exact where names are ambiguous) and 详细地址; 点位经纬度 is split into 纬度 / 经度 (one
 * combined "经度,纬度" cell is read too); 养殖方式 (池塘 / 工厂化) picks the aquatic threshold (seed 003 §三).
 */
export type ColumnKey =
  | 'seq'
  | 'producerName'
  | 'producerType'
  | 'industry'
  | 'product'
  | 'alias'
  | 'certification'
  | 'province'
  | 'city'
  | 'county'
  | 'township'
  | 'village'
  | 'villageCode'
  | 'detail'
  | 'lat'
  | 'lon'
  | 'contactName'
  | 'contactMobile'
  | 'scaleAmount'
  | 'scaleUnit'
  | 'aquacultureMode'
  | 'marketingFrom'
  | 'marketingTo'
  | 'productionMethods'
  | 'traceMethods'
  | 'creditRating'
  | 'gridWorkerName'
  | 'gridWorkerMobile'
  | 'collectorName'
  | 'collectorMobile';

export interface TemplateColumn {
  key: ColumnKey;
  /** The merged group header above (基地地址*, 点位经纬度*), or null for a column of its own. */
  group: string | null;
  header: string;
  /** The record field paths (ValidationError.field, `[i]` stripped) this column answers for. */
  fields: string[];
  width: number;
}

const col = (key: ColumnKey, header: string, fields: string[], width = 14, group: string | null = null): TemplateColumn => ({ key, group, header, fields, width });
const ADDRESS = '基地地址*';
const POINT = '点位经纬度*';

export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  col('seq', '序号', [], 6),
  col('producerName', '种养殖主体名称*', ['producerName', 'entityId'], 28),
  col('producerType', '主体类型*', ['producerType'], 14),
  col('industry', '所属行业*', ['industry'], 10),
  col('product', '产品名称*', ['product'], 10),
  col('alias', '别名', ['alias'], 10),
  col('certification', '产品认证类型', ['certification'], 12),
  col('province', '省', [], 10, ADDRESS),
  col('city', '市', [], 12, ADDRESS),
  col('county', '县', [], 14, ADDRESS),
  col('township', '乡(镇)', [], 14, ADDRESS),
  col('village', '村', ['address.villageCode'], 16, ADDRESS),
  col('villageCode', '村级区划代码', ['address.villageCode'], 15, ADDRESS),
  col('detail', '详细地址', ['address.detail'], 16, ADDRESS),
  col('lat', '纬度', ['point.lat'], 13, POINT),
  col('lon', '经度', ['point.lon'], 14, POINT),
  col('contactName', '种养殖主体联系人*', ['contact.name'], 12),
  col('contactMobile', '种养殖主体联系方式(手机)*', ['contact.mobile'], 14),
  col('scaleAmount', '种养规模*', ['scale.amount'], 10),
  col('scaleUnit', '种养规模单位*:种植产品(亩);畜产品(头、只);水产品(亩)', ['scale.unit'], 14),
  col('aquacultureMode', '养殖方式(水产:池塘、工厂化)', ['aquacultureMode'], 12),
  col('marketingFrom', '上市时间*', ['marketing.from', 'marketing'], 11),
  col('marketingTo', '下市时间*', ['marketing.to'], 11),
  col('productionMethods', '生产方式*(露地、设施)', ['productionMethods'], 12),
  col('traceMethods', '追溯方式*(承诺达标合格证、追溯码、耳标、动物检疫合格证、包装标识、其他)', ['traceMethods'], 22),
  col('creditRating', '信用等级', ['creditRating'], 10),
  col('gridWorkerName', '网格员(乡镇监管员或村级协管员)姓名*', ['gridWorker.name'], 14),
  col('gridWorkerMobile', '网格员联系方式(手机)*', ['gridWorker.mobile'], 14),
  col('collectorName', '信息采集员姓名*', ['collector.name'], 12),
  col('collectorMobile', '信息采集员联系方式(手机)*', ['collector.mobile'], 14),
];

/** The seed's 备注 under the table, on the template's second sheet. */
export const TEMPLATE_NOTES = [
  '1. *标注为必填项；',
  '2. 主体类型：农产品生产企业、农民专业合作社、家庭农场、农户（或农村经纪人），单选；',
  '3. 所属行业：种植业、畜牧业、渔业；',
  '4. 产品名称：12 种重点农产品（豇豆、韭菜、芹菜、鸡蛋、乌鸡、肉牛、肉羊、大口黑鲈、乌鳢、鳊鱼、大黄鱼、生猪）；',
  '5. 产品认证类型：绿色、有机、地标或其他；',
  '6. 基地地址务必填写到村一级（村名按统计用区划，或填写12位村级区划代码）；点位经纬度最少保留到小数点后6位，请将单元格设为文本以免丢失末尾的0；',
  '7. 种养规模：种植产品单位为亩，畜产品为头、只，水产品为亩（填“㎡”将折算成亩）；水产请填写养殖方式（池塘或工厂化）；',
  '8. 畜产品、水产品上市下市时间暂不填报；上市/下市时间格式 YYYY-MM 或 YYYY-MM-DD；',
  '9. 生产方式：种植产品填写，可多选，用“、”分隔；',
  '10. 追溯方式：可多选，用“、”分隔；',
  '11. 信用等级：按照地方信用评价标准填写，没有开展信用评价的可不填写；',
  '12. 网格员为乡镇监管员或村级协管员；信息采集员为承担信息采集的具体工作人员。',
  '同一主体名称、村、点位与产品的行视为同一条记录：重复导入不产生变化，内容变化的行记为信息变更。',
];

/** 中文 labels of the choice fields, as the seed lists them; the stored codes are domain/origin/types.ts'. */
export const PRODUCER_TYPE_LABELS: Record<ProducerType, string> = {
  enterprise: '农产品生产企业',
  cooperative: '农民专业合作社',
  'family-farm': '家庭农场',
  household: '农户',
  broker: '农村经纪人',
};
export const INDUSTRY_LABELS: Record<Industry, string> = { planting: '种植业', livestock: '畜牧业', fishery: '渔业' };
export const CERTIFICATION_LABELS: Record<Certification, string> = { green: '绿色', organic: '有机', 'geo-indication': '地标', other: '其他' };
export const PRODUCTION_METHOD_LABELS: Record<ProductionMethod, string> = { 'open-field': '露地', facility: '设施' };
export const TRACE_METHOD_LABELS: Record<TraceMethod, string> = {
  'compliance-certificate': '承诺达标合格证',
  'trace-code': '追溯码',
  'ear-tag': '耳标',
  'quarantine-certificate': '动物检疫合格证',
  'package-label': '包装标识',
  other: '其他',
};
export const AQUACULTURE_MODE_LABELS: Record<AquacultureMode, string> = { pond: '池塘', factory: '工厂化' };

export const CHOICES = {
  producerType: { codes: PRODUCER_TYPES, labels: PRODUCER_TYPE_LABELS },
  industry: { codes: INDUSTRIES, labels: INDUSTRY_LABELS },
  certification: { codes: CERTIFICATIONS, labels: CERTIFICATION_LABELS },
  productionMethods: { codes: PRODUCTION_METHODS, labels: PRODUCTION_METHOD_LABELS },
  traceMethods: { codes: TRACE_METHODS, labels: TRACE_METHOD_LABELS },
  aquacultureMode: { codes: AQUACULTURE_MODES, labels: AQUACULTURE_MODE_LABELS },
} as const;

/** A header cell as compared: no spaces or asterisks, ASCII parentheses and colons (the seed's PDF text has stray spaces). */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\s*＊]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/：/g, ':')
    .replace(/；/g, ';');
}

/** The name a column is known by: its header, or `group/header` for one under a group. */
export const columnName = (c: TemplateColumn): string => (c.group ? `${c.group.replace(/\*$/, '')}/${c.header}` : c.header).replace(/\*/g, '');

const FIELD_COLUMN = new Map<string, TemplateColumn>();
for (const c of TEMPLATE_COLUMNS) for (const f of c.fields) if (!FIELD_COLUMN.has(f)) FIELD_COLUMN.set(f, c);

/** The column a refused field is reported in (`productionMethods[1]` → 生产方式; `contact.mobile` → its phone column). */
export function columnOfField(field: string, preferVillageCode = false): TemplateColumn | undefined {
  const path = field.replace(/\[\d+\]/g, '');
  if (path === 'address.villageCode' && preferVillageCode) return TEMPLATE_COLUMNS.find((c) => c.key === 'villageCode');
  return FIELD_COLUMN.get(path) ?? FIELD_COLUMN.get(path.split('.')[0]!);
}
