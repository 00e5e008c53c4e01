import { ValidationError } from '../shared/errors';
import { requireText } from '../shared/validate';
import {
  areComparable,
  compareConcentrations,
  requireConcentration,
  requireConcentrationUnit,
  type Concentration,
  type ConcentrationUnit,
} from '../sampling/concentration';

/**
 * 监测模型 (seed 002, 第十二条): what the lead lab configures for a task — the products tested (检测对象),
 * the standard (检测标准), and the analytes (检测项) with their limits (限量值).
 *
 * A limit is a maximum (most pesticide and veterinary-drug residues, GB 2763 / GB 31650) or "must not be
 * detected" (不得检出: prohibited substances), which is judged against the method's limit of detection.
 */
export type Limit = { kind: 'max'; value: number; unit: ConcentrationUnit } | { kind: 'notDetected' };

export interface AnalyteSpec {
  /** Stable key results refer to, e.g. "clothianidin" or a CAS number. */
  code: string;
  /** Display name, e.g. 噻虫胺. */
  name: string;
  limit: Limit;
  /** Limit of detection of the prescribed method; required for 不得检出 limits, the default for entries. */
  lod?: Concentration;
  /** The method standard, e.g. GB 23200.121-2021. */
  method?: string;
}

export interface MonitoringModel {
  products: string[];
  standard: string;
  analytes: AnalyteSpec[];
}

export function validateLimit(l: unknown, field: string): Limit {
  if (typeof l !== 'object' || l === null) throw new ValidationError(field, `${field} is required`);
  const kind = (l as { kind?: unknown }).kind;
  if (kind === 'notDetected') return { kind: 'notDetected' };
  if (kind !== 'max') throw new ValidationError(`${field}.kind`, `${field}.kind must be 'max' or 'notDetected'`, { value: kind });
  const c = requireConcentration(l, field, true);
  return { kind: 'max', value: c.value, unit: requireConcentrationUnit(c.unit, `${field}.unit`) };
}

export function validateAnalyte(a: unknown, field: string): AnalyteSpec {
  if (typeof a !== 'object' || a === null) throw new ValidationError(field, `${field} is required`);
  const x = a as Record<string, unknown>;
  const code = requireText(x.code, `${field}.code`, 64);
  const name = requireText(x.name, `${field}.name`, 100);
  const limit = validateLimit(x.limit, `${field}.limit`);
  const lod = x.lod === undefined || x.lod === null ? undefined : requireConcentration(x.lod, `${field}.lod`, true);
  if (limit.kind === 'notDetected' && !lod) {
    throw new ValidationError(`${field}.lod`, `${field}: a 'notDetected' (不得检出) limit needs the method's limit of detection`);
  }
  if (limit.kind === 'max' && lod && !areComparable(lod.unit, limit.unit)) {
    throw new ValidationError(`${field}.lod.unit`, `${field}.lod is per ${lod.unit} but the limit is per ${limit.unit}`);
  }
  if (limit.kind === 'max' && lod && compareConcentrations(lod, limit) > 0) {
    // Allowed (the verdict becomes inconclusive for "not detected"), but almost always a typo: say so.
    throw new ValidationError(`${field}.lod`, `${field}: the limit of detection is above the limit, so "not detected" could never show compliance`);
  }
  const method = x.method === undefined || x.method === null ? undefined : requireText(x.method, `${field}.method`, 200);
  return { code, name, limit, ...(lod ? { lod } : {}), ...(method ? { method } : {}) };
}

export function validateModel(m: unknown, field = 'model'): MonitoringModel {
  if (typeof m !== 'object' || m === null) throw new ValidationError(field, `${field} is required`);
  const x = m as Record<string, unknown>;
  if (!Array.isArray(x.products) || x.products.length === 0) throw new ValidationError(`${field}.products`, `${field}.products needs at least one product`);
  const products = x.products.map((p, i) => requireText(p, `${field}.products[${i}]`, 100));
  if (new Set(products).size !== products.length) throw new ValidationError(`${field}.products`, `${field}.products has duplicates`);
  const standard = requireText(x.standard, `${field}.standard`, 300);
  if (!Array.isArray(x.analytes) || x.analytes.length === 0) throw new ValidationError(`${field}.analytes`, `${field}.analytes needs at least one analyte`);
  if (x.analytes.length > 500) throw new ValidationError(`${field}.analytes`, `${field}.analytes has more than 500 entries`);
  const analytes = x.analytes.map((a, i) => validateAnalyte(a, `${field}.analytes[${i}]`));
  const seen = new Set<string>();
  analytes.forEach((a, i) => {
    if (seen.has(a.code)) throw new ValidationError(`${field}.analytes[${i}].code`, `duplicate analyte code ${a.code}`);
    seen.add(a.code);
  });
  return { products, standard, analytes };
}
