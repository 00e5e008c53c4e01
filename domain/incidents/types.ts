/** The vocabulary of 应急事件 (seed 004 §六(四) 追溯应急管理): categories, levels, sources, people. */

/** 事件性质: 产品安全 / 疫情 / 公共卫生 / 社会安全 / 市场供应保障. */
export const INCIDENT_CATEGORIES = ['product-safety', 'epidemic', 'public-health', 'social-security', 'market-supply'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
export const INCIDENT_CATEGORY_LABELS_ZH: Record<IncidentCategory, string> = {
  'product-safety': '产品安全',
  epidemic: '疫情',
  'public-health': '公共卫生',
  'social-security': '社会安全',
  'market-supply': '市场供应保障',
};

/** 事件分级, lowest first: 一般 (Ⅳ) / 较大 (Ⅲ) / 重大 (Ⅱ) / 特别重大 (Ⅰ). Regrading is a command. */
export const INCIDENT_LEVELS = ['general', 'serious', 'major', 'especially-major'] as const;
export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];
export const INCIDENT_LEVEL_LABELS_ZH: Record<IncidentLevel, string> = {
  general: '一般',
  serious: '较大',
  major: '重大',
  'especially-major': '特别重大',
};

/** Where the incident came from: a failed lab result, a risk warning, a complaint, or entered by hand. */
export type IncidentSource =
  | { kind: 'failed-result'; sampleId: string }
  | { kind: 'risk-warning'; warningId: string }
  | { kind: 'complaint'; complainant: string; contact: string | null }
  | { kind: 'manual' };

/** 责任人: the person who reviews whether to start the response and answers for the handling. */
export interface ResponsiblePerson {
  userId: string;
  name: string;
  phone: string | null;
}

export interface IncidentPlace {
  address: string;
  /** 6-digit GB/T 2260 code of where it happened. */
  regionCode: string;
}

/** 处置记录 entries: an action taken, a document filed, people deployed. */
export const HANDLING_KINDS = ['action', 'document', 'personnel'] as const;
export type HandlingKind = (typeof HANDLING_KINDS)[number];

export interface HandlingDocument {
  name: string;
  /** SHA-256 of the file in the blob store, when one was uploaded. */
  sha256: string | null;
}

export interface HandlingPerson {
  name: string;
  role: string;
  phone: string | null;
}

/** 应急事件记录: what closing the incident leaves on record, queryable afterwards. */
export interface HandlingRecord {
  summary: string;
  cause: string;
  measures: string;
  outcome: string;
}

/** What the response covers, as the chain synthesis found it. */
export interface IncidentChainScope {
  /** 6-digit county codes every holder, base and market of the chain lies in. */
  regionsTouched: string[];
  /** Every lot of the chain. */
  traceCodes: string[];
  /** Every registered holder of a lot of the chain. */
  holderEntityIds: string[];
}
