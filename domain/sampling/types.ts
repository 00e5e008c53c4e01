import type { Quantity } from '../shared/quantity';
import type { MonitoringModel } from '../monitoring/model';
import type { OrgRef, TaskKind } from '../monitoring/types';
import type { TaskStatus } from '../monitoring/state';

/** What the sample needs to know about its task; the application copies it from the task stream. */
export interface TaskSnapshot {
  taskId: string;
  kind: TaskKind;
  status: TaskStatus;
  title: string;
  regionCode: string;
  period: { from: string; to: string };
  publisher: OrgRef;
  leadLabOrgId: string;
  labOrgIds: string[];
  model: MonitoringModel | null;
  /** Spot checks after the draw: the selected and the key entities. null = no restriction. */
  eligibleEntityIds: string[] | null;
}

/** The lot as the ledger knows it (filled in by scanning its trace code). */
export interface SampledLot {
  traceCode: string;
  product: string;
  entityId: string;
  eid: string;
  entityName: string;
  /** The holder's region (where the goods are). */
  regionCode: string;
  productionDate: string;
  baseRegionCode: string;
}

/** A product without a trace code, entered by hand (seed 002, 第十五条). */
export interface ManualProduct {
  product: string;
  entityName: string;
  /** When the sampled party is registered but the goods carry no code. */
  entityId?: string;
  regionCode: string;
  address?: string;
  contactPhone?: string;
  productionDate?: string;
  batchNo?: string;
}

export type SampleSource = { kind: 'lot'; lot: SampledLot } | { kind: 'manual'; manual: ManualProduct };

export interface SamplingPlace {
  address: string;
  regionCode: string;
  lat?: number;
  lon?: number;
}

export interface Sampler {
  name: string;
  /** 执法证 / 抽样证 number. */
  certificateNo?: string;
}

/** Who was sampled, the same shape whichever the source. */
export interface SampleSubject {
  entityId: string | null;
  eid: string | null;
  entityName: string;
  regionCode: string;
}

export type { Quantity };

export function sampleStreamId(sampleId: string): string {
  return `sample-${sampleId}`;
}
