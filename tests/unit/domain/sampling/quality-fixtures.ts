import type { Actor } from '../../../../domain/shared/actor';
import type { MonitoringModel } from '../../../../domain/monitoring/model';
import type { TaskSnapshot } from '../../../../domain/sampling/types';
import { NOW } from '../support/decider-spec';
import { FARM_EID, traceCode } from '../support/fixtures';

/** Shared fixtures of the quality specs: the Hainan 豇豆 pesticide model (GB 2763-2021 limits). */
export const AGENCY: Actor = { userId: 'u-hn-province', orgId: 'org-hn-agri', role: 'province-admin', regionCode: '46' };
export const LEAD_LAB: Actor = { userId: 'u-lead', orgId: 'lab-hn-center', role: 'lab', regionCode: '46' };
export const LAB: Actor = { userId: 'u-lab', orgId: 'lab-ledong', role: 'lab', regionCode: '469027' };
export const OTHER_LAB: Actor = { userId: 'u-other', orgId: 'lab-elsewhere', role: 'lab', regionCode: '37' };
export const MINISTRY: Actor = { userId: 'u-ministry', orgId: 'moa', role: 'ministry-admin', regionCode: '' };
export const ENFORCEMENT: Actor = { userId: 'u-enf', orgId: 'enf-ledong', role: 'enforcement', regionCode: '469027' };
export const INSPECTOR: Actor = { userId: 'u-insp', orgId: 'county-469027', role: 'inspector', regionCode: '469027' };

export const ctx = (actor: Actor, now: Date = NOW) => ({ now, actor });

export const MODEL: MonitoringModel = {
  products: ['豇豆'],
  standard: 'GB 2763-2021 食品安全国家标准 食品中农药最大残留限量',
  analytes: [
    { code: 'clothianidin', name: '噻虫胺', limit: { kind: 'max', value: 0.01, unit: 'mg/kg' }, lod: { value: 0.002, unit: 'mg/kg' } },
    { code: 'carbofuran', name: '克百威', limit: { kind: 'max', value: 0.02, unit: 'mg/kg' }, lod: { value: 0.005, unit: 'mg/kg' } },
    { code: 'cyromazine', name: '灭蝇胺', limit: { kind: 'max', value: 0.5, unit: 'mg/kg' } },
    { code: 'chlordimeform', name: '杀虫脒', limit: { kind: 'notDetected' }, lod: { value: 5, unit: 'μg/kg' } },
  ],
};

export const LOT_CODE = traceCode({ region: '469027' });

export const TASK: TaskSnapshot = {
  taskId: 'task-1',
  kind: 'special',
  status: 'distributed',
  title: '2026年豇豆农药残留专项监测',
  regionCode: '460000',
  period: { from: '2026-03-01', to: '2026-03-31' },
  publisher: { orgId: AGENCY.orgId, name: '海南省农业农村厅' },
  leadLabOrgId: LEAD_LAB.orgId,
  labOrgIds: [LEAD_LAB.orgId, LAB.orgId],
  model: MODEL,
  eligibleEntityIds: null,
};

export const LOT = {
  traceCode: LOT_CODE,
  product: '豇豆',
  entityId: 'ent-1',
  eid: FARM_EID,
  entityName: '乐东豇豆合作社',
  regionCode: '469027',
  productionDate: '2026-03-08',
  baseRegionCode: '469027',
};

/** Entries that pass every analyte of MODEL. */
export const PASSING = [
  { code: 'clothianidin', value: 0.004, unit: 'mg/kg' },
  { code: 'carbofuran', notDetected: true },
  { code: 'cyromazine', value: 0.12, unit: 'mg/kg' },
  { code: 'chlordimeform', notDetected: true },
];

/** 噻虫胺 at 35 μg/kg (> 0.01 mg/kg) and 克百威 at 0.046 mg/kg: a failed result. */
export const FAILING = [
  { code: 'clothianidin', value: 35, unit: 'μg/kg' },
  { code: 'carbofuran', value: 0.046, unit: 'mg/kg' },
  { code: 'cyromazine', notDetected: true, lod: { value: 0.01, unit: 'mg/kg' } },
  { code: 'chlordimeform', notDetected: true },
];
