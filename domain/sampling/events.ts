import type { DomainEvent } from '../shared/event';
import type { Quantity } from '../shared/quantity';
import type { MonitoringModel } from '../monitoring/model';
import type { OrgRef, TaskKind } from '../monitoring/types';
import type { ManualProduct, SampledLot, SampleSubject, Sampler, SamplingPlace } from './types';
import type { AnalyteOutcome, Verdict } from './verdict';

export type SampleTaken = DomainEvent<
  'SampleTaken',
  {
    sampleId: string;
    taskId: string;
    taskKind: TaskKind;
    taskTitle: string;
    publisher: OrgRef;
    labOrgId: string;
    product: string;
    subject: SampleSubject;
    /** The sampled lot's trace code, or null for a hand-entered product. */
    traceCode: string | null;
    lot: SampledLot | null;
    manual: ManualProduct | null;
    place: SamplingPlace;
    sampledAt: string;
    sampler: Sampler;
    quantity: Quantity | null;
    note: string | null;
    /** The task's monitoring model at sampling time: the sample is judged against exactly this. */
    model: MonitoringModel;
    takenAt: string;
    takenBy: string;
  }
>;
export type ResultRecorded = DomainEvent<
  'ResultRecorded',
  {
    sampleId: string;
    taskId: string;
    round: 'initial' | 'retest';
    labOrgId: string;
    product: string;
    subject: SampleSubject;
    traceCode: string | null;
    publisher: OrgRef;
    outcomes: AnalyteOutcome[];
    verdict: Verdict;
    /** Names of the analytes that failed (for lists and notifications). */
    failed: string[];
    testedAt: string;
    reportNo: string | null;
    method: string | null;
    recordedAt: string;
  }
>;
export type RetestRequested = DomainEvent<
  'RetestRequested',
  { sampleId: string; taskId: string; traceCode: string | null; reason: string; retestLab: OrgRef; requestedBy: string; requestedAt: string }
>;
export type SampleReferred = DomainEvent<'SampleReferred', { sampleId: string; taskId: string; caseId: string; referredAt: string }>;

export type SampleEvent = SampleTaken | ResultRecorded | RetestRequested | SampleReferred;

export const SAMPLE_EVENT_TYPES: SampleEvent['type'][] = ['SampleTaken', 'ResultRecorded', 'RetestRequested', 'SampleReferred'];
