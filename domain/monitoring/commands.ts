import type { MonitoringModel } from './model';
import type { LabAssignment, OrgRef, TaskKind, TaskSummary, Urgency } from './types';

/** A supervision agency publishes a monitoring task to a lead lab (seed 002, 第九条 / 第十九条). */
export type PublishTask = {
  type: 'PublishTask';
  data: {
    taskId: string;
    kind: TaskKind;
    title: string;
    description?: string;
    /** The task's area: samples are taken inside it. */
    regionCode: string;
    period: { from: string; to: string };
    urgency?: Urgency;
    publisher: OrgRef;
    leadLab: OrgRef;
  };
};
/** The lead lab configures the monitoring model (第十二条). */
export type ConfigureModel = { type: 'ConfigureModel'; data: { model: MonitoringModel } };
/** The lead lab distributes the work to undertaking labs (第十三条). May be repeated to add labs. */
export type DistributeTask = { type: 'DistributeTask'; data: { assignments: LabAssignment[] } };
/**
 * Random selection of the spot-checked entities (and samplers) from candidate lists the application read
 * from the registry; the decider does the draw itself, so the recorded result always matches the seed.
 */
export type SelectSpotCheckEntities = {
  type: 'SelectSpotCheckEntities';
  data: { seed: string; candidates: string[]; count: number; keyEntities: string[]; samplerCandidates?: string[]; samplerCount?: number };
};
/** An undertaking lab uploads its summary to the lead lab (第十七条). */
export type SubmitLabReport = { type: 'SubmitLabReport'; data: { summary: TaskSummary; note?: string } };
/** The lead lab's overall report to the publishing agency (第十八条); closes the task for new samples. */
export type SubmitTaskReport = { type: 'SubmitTaskReport'; data: { summary: TaskSummary; conclusion: string } };

export type TaskCommand = PublishTask | ConfigureModel | DistributeTask | SelectSpotCheckEntities | SubmitLabReport | SubmitTaskReport;
