import { assertNever } from '../shared/event';
import type { TaskEvent } from './events';
import type { MonitoringModel } from './model';
import type { LabAssignment, OrgRef, SpotCheckSelection, TaskKind, TaskSummary, Urgency } from './types';

export type TaskStatus = 'none' | 'published' | 'configured' | 'distributed' | 'reported';

export interface TaskState {
  status: TaskStatus;
  taskId: string;
  kind?: TaskKind;
  title: string;
  regionCode: string;
  period?: { from: string; to: string };
  urgency: Urgency;
  publisher?: OrgRef;
  leadLab?: OrgRef;
  model?: MonitoringModel;
  labs: LabAssignment[];
  selection?: SpotCheckSelection;
  labReports: Record<string, { submittedAt: string; summary: TaskSummary }>;
  reportedAt?: string;
}

export function initialState(): TaskState {
  return { status: 'none', taskId: '', title: '', regionCode: '', urgency: 'normal', labs: [], labReports: {} };
}

export function evolve(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'TaskPublished': {
      const d = event.data;
      return {
        ...state,
        status: 'published',
        taskId: d.taskId,
        kind: d.kind,
        title: d.title,
        regionCode: d.regionCode,
        period: { ...d.period },
        urgency: d.urgency,
        publisher: { ...d.publisher },
        leadLab: { ...d.leadLab },
      };
    }
    case 'MonitoringModelConfigured':
      return { ...state, status: 'configured', model: event.data.model };
    case 'TaskDistributed':
      return { ...state, status: 'distributed', labs: [...state.labs, ...event.data.assignments.map((a) => ({ ...a }))] };
    case 'SpotCheckEntitiesSelected': {
      const { taskId: _t, ...selection } = event.data;
      return { ...state, selection };
    }
    case 'LabReportSubmitted':
      return { ...state, labReports: { ...state.labReports, [event.data.lab.orgId]: { submittedAt: event.data.submittedAt, summary: event.data.summary } } };
    case 'TaskReported':
      return { ...state, status: 'reported', reportedAt: event.data.reportedAt };
    default:
      return assertNever(event);
  }
}

/** The labs that may sample and test for the task: the lead lab and every undertaking lab. */
export function taskLabs(state: TaskState): string[] {
  return [...new Set([...(state.leadLab ? [state.leadLab.orgId] : []), ...state.labs.map((l) => l.orgId)])];
}
