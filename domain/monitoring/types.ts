import type { MonitoringModel } from './model';

/** 例行监测 (routine monitoring), 专项监测 (special monitoring), 监督抽查 (supervisory spot check). */
export const TASK_KINDS = ['routine', 'special', 'spotCheck'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_KIND_LABELS_ZH: Record<TaskKind, string> = { routine: '例行监测', special: '专项监测', spotCheck: '监督抽查' };

/** 紧急程度 of a spot check (seed 002, 第十九条). */
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export interface OrgRef {
  orgId: string;
  name: string;
}

/** An undertaking lab (承担单位) and the share of the work it takes. */
export interface LabAssignment extends OrgRef {
  /** Where it samples (a region code inside the task's region); the task's region when absent. */
  regionCode?: string;
  /** Number of samples it is asked for. */
  quota?: number;
}

/** What the lab's summary (and the lead lab's roll-up) reports; computed from the samples, snapshotted into the event. */
export interface TaskSummary {
  samples: number;
  tested: number;
  passed: number;
  failed: number;
  inconclusive: number;
  /** passed / tested, 0..1, rounded to 4 decimals; null when nothing was tested. */
  passRate: number | null;
  analytes: { code: string; name: string; tested: number; detected: number; exceeded: number }[];
  failedSamples: { sampleId: string; product: string; entityName: string; traceCode: string | null; failed: string[] }[];
}

export type SpotCheckSelection = {
  seed: string;
  algorithm: string;
  candidates: string[];
  count: number;
  keyEntities: string[];
  selected: string[];
  samplerCandidates: string[];
  samplerCount: number;
  selectedSamplers: string[];
  selectedAt: string;
};

export type { MonitoringModel };

export function taskStreamId(taskId: string): string {
  return `task-${taskId}`;
}
