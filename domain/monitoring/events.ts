import type { DomainEvent } from '../shared/event';
import type { PublishTask } from './commands';
import type { MonitoringModel } from './model';
import type { LabAssignment, OrgRef, SpotCheckSelection, TaskSummary } from './types';

export type TaskPublished = DomainEvent<'TaskPublished', PublishTask['data'] & { urgency: 'normal' | 'urgent'; publishedAt: string }>;
export type MonitoringModelConfigured = DomainEvent<'MonitoringModelConfigured', { taskId: string; model: MonitoringModel; configuredAt: string; configuredBy: string }>;
export type TaskDistributed = DomainEvent<'TaskDistributed', { taskId: string; assignments: LabAssignment[]; distributedAt: string }>;
export type SpotCheckEntitiesSelected = DomainEvent<'SpotCheckEntitiesSelected', { taskId: string } & SpotCheckSelection>;
export type LabReportSubmitted = DomainEvent<'LabReportSubmitted', { taskId: string; lab: OrgRef; summary: TaskSummary; note: string | null; submittedAt: string }>;
export type TaskReported = DomainEvent<'TaskReported', { taskId: string; summary: TaskSummary; conclusion: string; reportedTo: OrgRef; reportedAt: string }>;

export type TaskEvent = TaskPublished | MonitoringModelConfigured | TaskDistributed | SpotCheckEntitiesSelected | LabReportSubmitted | TaskReported;

export const TASK_EVENT_TYPES: TaskEvent['type'][] = [
  'TaskPublished',
  'MonitoringModelConfigured',
  'TaskDistributed',
  'SpotCheckEntitiesSelected',
  'LabReportSubmitted',
  'TaskReported',
];
