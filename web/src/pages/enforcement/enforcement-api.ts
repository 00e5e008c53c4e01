import { get, post } from '../../api/client';
import type { Page as Paged, TraceChain } from '../../api/types';

/** The action kinds and outcomes the API takes (domain/enforcement/case.ts). */
export const CASE_ACTION_KINDS = ['investigation', 'rectification-order', 'penalty', 'seizure', 'sampling', 'recall', 'notice', 'retest-result', 'other'] as const;
export const CASE_OUTCOMES = ['penalized', 'rectified', 'no-violation', 'transferred'] as const;

export interface CaseAction {
  seq: number;
  kind: string;
  description: string;
  takenOn: string;
  recordedAt: string;
  recordedBy: string;
}

/** 执法案件 as GET /api/v1/cases answers it (projections/enforcement/cases.projection.ts). */
export interface EnforcementCase {
  caseId: string;
  status: 'open' | 'closed';
  referral:
    | { kind: 'sample'; sampleId: string; taskId: string; verdict: string; failed: string[]; reportNo: string | null }
    | { kind: 'inspection'; inspectionId: string; recordId: string; findings: string[] };
  subject: { entityId: string | null; eid: string | null; entityName: string; regionCode: string };
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

export const listCases = (status: string, page = 1) => get<Paged<EnforcementCase>>('/api/v1/cases', { status, page, size: 50 });
export const getCase = (caseId: string) => get<EnforcementCase>(`/api/v1/cases/${encodeURIComponent(caseId)}`);
export const caseChain = (traceCode: string) => get<TraceChain>(`/api/v1/trace/${encodeURIComponent(traceCode)}/chain`, { direction: 'forward' });
export const recordAction = (caseId: string, body: { kind: string; description: string; takenOn?: string }) => post<{ caseId: string; seq: number }>(`/api/v1/cases/${encodeURIComponent(caseId)}/actions`, body);
export const closeCase = (caseId: string, body: { outcome: string; summary: string; penaltyYuan?: number }) =>
  post<{ caseId: string; status: 'closed'; liftedLots: string[] }>(`/api/v1/cases/${encodeURIComponent(caseId)}/close`, body);
