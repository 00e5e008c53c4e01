import type { Quantity } from '../shared/quantity';
import type { OrgRef } from '../monitoring/types';
import type { Sampler, SampleSource, SamplingPlace, TaskSnapshot } from './types';

export type TakeSample = {
  type: 'TakeSample';
  data: {
    sampleId: string;
    task: TaskSnapshot;
    source: SampleSource;
    place: SamplingPlace;
    /** ISO instant the sample was taken (may be earlier than the entry). */
    sampledAt: string;
    sampler: Sampler;
    /** The lab that tests it; defaults to the acting lab. */
    labOrgId?: string;
    quantity?: Quantity;
    note?: string;
  };
};
/** Raw analyte entries `{code, value?, unit?, notDetected?, lod?}`; judged against the sample's model. */
export type RecordResult = { type: 'RecordResult'; data: { analytes: unknown[]; testedAt: string; reportNo?: string; method?: string } };
/** 复检: the supervision agency issues a re-test to a lab after a disputed result (seed 002, 第二十六条). */
export type RequestRetest = { type: 'RequestRetest'; data: { reason: string; retestLab: OrgRef; requestedBy: string } };
/** The failed sample went to enforcement as case `caseId` (seed 002, 第二十七条). */
export type ReferSample = { type: 'ReferSample'; data: { caseId: string } };

export type SampleCommand = TakeSample | RecordResult | RequestRetest | ReferSample;
