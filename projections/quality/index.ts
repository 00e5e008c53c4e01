import { casesProjection } from '../enforcement/cases.projection';
import { faultsProjection } from '../faults/faults.projection';
import { inspectionsProjection } from '../inspection/inspections.projection';
import { tasksProjection } from '../monitoring/tasks.projection';
import { notificationsProjection } from '../notifications/notifications.projection';
import { riskWarningsProjection } from '../risk/risk-warnings.projection';
import { samplesProjection } from '../sampling/samples.projection';
import type { Projection } from '../runner/projection';

/** The regulator's side (issue 3): tasks, samples, warnings, cases, inspections, faults, notifications. */
export const qualityProjections: readonly Projection[] = [
  tasksProjection,
  samplesProjection,
  riskWarningsProjection,
  casesProjection,
  inspectionsProjection,
  faultsProjection,
  notificationsProjection,
];

export const qualityReadModelIndexes: Record<string, string[][]> = {
  monitoring_tasks: [['regionCode'], ['status'], ['publisherOrgId'], ['labOrgIds'], ['publishedAt']],
  samples: [['taskId'], ['labOrgId'], ['traceCode'], ['subject.entityId', 'verdict'], ['regionCode'], ['sampledAt'], ['verdict']],
  risk_warnings: [['regionCode'], ['level'], ['product'], ['state'], ['indicator'], ['cause.sampleId'], ['subject.entityId'], ['traceCode'], ['raisedAt']],
  cases: [['regionCode'], ['status'], ['sampleId'], ['entityId'], ['openedAt']],
  inspections: [['regionCode'], ['status'], ['inspectorIds'], ['publishedAt']],
  faults: [['status'], ['level'], ['reportedAt']],
  notifications: [['to'], ['audience', 'regionCode'], ['at']],
};
