import { z } from 'zod';
import { TASK_KINDS, URGENCIES } from '../../../domain/monitoring/types';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, IsoDate, NonEmpty, RegionCode } from '../shared-schemas';
import { OrgRef, PositiveConcentration, TextList } from '../quality/quality-schemas';

export const PublishTaskBody = documentBody(
  'post',
  '/api/v1/tasks',
  z.object({
    commandId: CommandId,
    kind: z.enum(TASK_KINDS),
    title: NonEmpty(200),
    description: NonEmpty(5000).optional(),
    regionCode: RegionCode,
    period: z.object({ from: IsoDate, to: IsoDate }),
    urgency: z.enum(URGENCIES).optional(),
    leadLab: OrgRef,
    publisherName: NonEmpty(200).optional(),
  }),
);

const Analyte = z.object({
  code: NonEmpty(64),
  name: NonEmpty(100),
  limit: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('max'), value: z.number().finite().positive('must be greater than 0'), unit: NonEmpty(16) }),
    z.object({ kind: z.literal('notDetected') }),
  ]),
  lod: PositiveConcentration.optional(),
  method: NonEmpty(200).optional(),
});

export const ConfigureModelBody = documentBody(
  'post',
  '/api/v1/tasks/{id}/model',
  z.object({
    commandId: CommandId,
    model: z.object({ products: z.array(NonEmpty(100)).min(1), standard: NonEmpty(300), analytes: z.array(Analyte).min(1).max(500) }),
  }),
);

export const DistributeTaskBody = documentBody(
  'post',
  '/api/v1/tasks/{id}/distribute',
  z.object({
    commandId: CommandId,
    assignments: z.array(OrgRef.extend({ regionCode: RegionCode.optional(), quota: z.number().int().positive().optional() })).min(1),
  }),
);

export const SpotCheckSelectionBody = documentBody(
  'post',
  '/api/v1/tasks/{id}/spot-check-selection',
  z.object({
    commandId: CommandId,
    count: z.number().int().min(1).max(100_000),
    keyEntities: TextList().optional(),
    seed: NonEmpty(128).optional(),
    samplerCandidates: TextList().optional(),
    samplerCount: z.number().int().min(0).max(100_000).optional(),
  }),
);

export const LabReportBody = documentBody('post', '/api/v1/tasks/{id}/lab-reports', z.object({ commandId: CommandId, note: NonEmpty(2000).optional() }));
export const TaskReportBody = documentBody('post', '/api/v1/tasks/{id}/report', z.object({ commandId: CommandId, conclusion: NonEmpty(5000) }));
