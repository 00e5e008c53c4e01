import { get, post } from '../../api/client';
import type { Page as Paged, TraceChain } from '../../api/types';

/** The action kinds and outcomes the API takes (domain/enforcement/case.ts). */
export const CASE_ACTION_KINDS = ['investigation', 'rectification-order', 'rectification-verified', 'penalty', 'seizure', 'sampling', 'recall', 'notice', 'retest-result', 'other'] as const;
/** 自行立案 sources (domain/enforcement/case.ts OWN_CASE_SOURCES). */
export const OWN_CASE_SOURCES = ['on-site', 'complaint', 'tip-off', 'other'] as const;
export const CASE_OUTCOMES = ['penalized', 'rectified', 'no-violation', 'transferred'] as const;

export interface CaseAction {
  seq: number;
  kind: string;
  description: string;
  takenOn: string;
  recordedAt: string;
  recordedBy: string;
  deadline?: string | null;
  orderSeq?: number | null;
}

/** 责令限期整改: an order with its deadline, and whether it was complied with (整改复查) or went overdue. */
export interface RectificationOrder {
  seq: number;
  deadline: string;
  dueAt: string;
  status: 'pending' | 'overdue' | 'complied';
  overdueAt: string | null;
  verifiedSeq: number | null;
}

/** A party found on site that is not registered (未注册主体), as the case records it. */
export interface UnregisteredParty {
  address: string;
  responsible: string | null;
  phone: string | null;
  creditCode: string | null;
}

/** 执法案件 as GET /api/v1/cases answers it (projections/enforcement/cases.projection.ts). */
export interface EnforcementCase {
  caseId: string;
  status: 'open' | 'closed';
  referral:
    | { kind: 'sample'; sampleId: string; taskId: string; verdict: string; failed: string[]; reportNo: string | null }
    | { kind: 'inspection'; inspectionId: string; recordId: string; findings: string[] }
    | { kind: 'own'; source: string; ref: string | null };
  subject: { entityId: string | null; eid: string | null; entityName: string; regionCode: string; unregistered?: UnregisteredParty | null };
  orders?: RectificationOrder[];
  overdueOrders?: number;
  regionCode: string;
  product: string | null;
  traceCodes: string[];
  summary: string;
  openedAt: string;
  actions: CaseAction[];
  outcome: string | null;
  closeSummary?: string;
  penaltyYuan?: number | null;
  closedAt: string | null;
}

export const listCases = (status: string, page = 1, overdue = false) => get<Paged<EnforcementCase>>('/api/v1/cases', { status, page, size: 50, overdue: overdue ? 'true' : undefined });
export const openCase = (body: Record<string, unknown>) => post<{ caseId: string; status: 'open' }>('/api/v1/cases', body);
export const entityByEid = (eid: string) => get<Paged<{ _id: string; name: string; eid: string; regionCode: string }>>('/api/v1/entities', { eid, size: 1 });
export const getCase = (caseId: string) => get<EnforcementCase>(`/api/v1/cases/${encodeURIComponent(caseId)}`);
export const caseChain = (traceCode: string) => get<TraceChain>(`/api/v1/trace/${encodeURIComponent(traceCode)}/chain`, { direction: 'forward' });
export const recordAction = (caseId: string, body: { kind: string; description: string; takenOn?: string; deadline?: string; orderSeq?: number; attachments?: unknown[] }) => post<{ caseId: string; seq: number }>(`/api/v1/cases/${encodeURIComponent(caseId)}/actions`, body);
export const closeCase = (caseId: string, body: { outcome: string; summary: string; penaltyYuan?: number }) =>
  post<{ caseId: string; status: 'closed'; liftedLots: string[] }>(`/api/v1/cases/${encodeURIComponent(caseId)}/close`, body);
