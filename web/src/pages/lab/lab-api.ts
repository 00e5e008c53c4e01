import { get, post } from '../../api/client';
import type { Lot, Page as Paged } from '../../api/types';
import type { AnalyteOutcome, AnalyteSpec, Verdict } from './verdict-preview';

/** 监测任务 as GET /api/v1/tasks answers it (projections/monitoring): the model once the lead lab configured it. */
export interface MonitoringTask {
  taskId: string;
  kind: 'routine' | 'special' | 'spotCheck';
  title: string;
  description: string | null;
  regionCode: string;
  period: { from: string; to: string };
  urgency?: string;
  publisher: { orgId: string; name?: string };
  leadLab: { orgId: string; name: string };
  labs: { orgId: string; name: string; regionCode?: string; quota?: number }[];
  status: string;
  model: { products: string[]; standard: string; analytes: AnalyteSpec[] } | null;
  counts: { samples: number; tested: number; pass: number; fail: number; inconclusive: number };
  publishedAt: string;
}

/** 样品 as GET /api/v1/samples answers it (projections/sampling). */
export interface Sample {
  sampleId: string;
  taskId: string;
  taskTitle: string;
  labOrgId: string;
  product: string;
  subject: { entityId?: string | null; eid?: string | null; entityName: string; regionCode: string };
  traceCode: string | null;
  source: 'lot' | 'manual';
  place: { address: string; regionCode: string };
  sampledAt: string;
  sampler: { name: string; certificateNo?: string };
  quantity: { amount: number; unit: string } | null;
  analytes: { code: string; name: string; limit: AnalyteSpec['limit'] }[];
  standard: string;
  status: 'taken' | 'tested' | 'retest-requested' | 'retested' | string;
  verdict: Verdict | null;
  outcomes: AnalyteOutcome[] | null;
  initial?: { verdict: Verdict; reportNo?: string | null; testedAt: string } | null;
  retest?: { verdict: Verdict; reportNo?: string | null; testedAt: string } | null;
  retestRequest: { reason: string; retestLab: { orgId: string; name: string }; requestedBy: string; requestedAt: string } | null;
  caseId: string | null;
  testedAt?: string;
}

/** 检测结果汇总 (GET /api/v1/tasks/{id}/summary?lab=). */
export interface TaskSummary {
  taskId: string;
  lab: string | null;
  samples: number;
  tested: number;
  passed: number;
  failed: number;
  inconclusive: number;
  passRate: number | null;
  analytes: { code: string; name: string; tested: number; detected: number; exceeded: number }[];
  failedSamples: { sampleId: string; product: string; entityName: string; traceCode: string | null; failed: string[] }[];
}

export interface RecordedResult {
  sampleId: string;
  verdict: Verdict;
  caseId: string | null;
}

export const listTasks = () => get<Paged<MonitoringTask>>('/api/v1/tasks', { size: 100 });
export const getTask = (taskId: string) => get<MonitoringTask>(`/api/v1/tasks/${encodeURIComponent(taskId)}`);
export const taskSummary = (taskId: string, lab?: string) => get<TaskSummary>(`/api/v1/tasks/${encodeURIComponent(taskId)}/summary`, { lab });
export const listSamples = (query: { taskId?: string; verdict?: string; size?: number; retest?: 'requested' }) => get<Paged<Sample>>('/api/v1/samples', { size: 100, ...query });
export const getSample = (sampleId: string) => get<Sample>(`/api/v1/samples/${encodeURIComponent(sampleId)}`);
export const getLot = (traceCode: string) => get<Lot>(`/api/v1/lots/${encodeURIComponent(traceCode)}`);

export const takeSample = (body: Record<string, unknown>) => post<{ sampleId: string }>('/api/v1/samples', body);
export const recordResult = (sampleId: string, body: Record<string, unknown>) => post<RecordedResult>(`/api/v1/samples/${encodeURIComponent(sampleId)}/results`, body);
export const requestRetest = (sampleId: string, body: Record<string, unknown>) => post<unknown>(`/api/v1/samples/${encodeURIComponent(sampleId)}/retest`, body);

/**
 * What a phone's scanner (or a USB one typing into the field) gives: the label's URL `…/t/{code}`, or the code
 * itself, grouped with hyphens or not. Returns the bare code, or null when neither.
 */
export function traceCodeFromScan(input: string): string | null {
  const text = input.trim();
  const fromUrl = /\/t\/([0-9A-Za-z-]+)\/?(?:[?#].*)?$/.exec(text)?.[1];
  const code = (fromUrl ?? text).replace(/[-\s]/g, '').toUpperCase();
  return /^[0-9A-Z]{25}$/.test(code) ? code : null;
}
