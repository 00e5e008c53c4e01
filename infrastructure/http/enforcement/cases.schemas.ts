import { z } from 'zod';
import { AttachmentList } from '../attachments/attachment-schemas';
import { CASE_ACTION_KINDS, CASE_OUTCOMES } from '../../../domain/enforcement';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, IsoDate, NonEmpty } from '../shared-schemas';

export const CaseActionBody = documentBody(
  'post',
  '/api/v1/cases/{id}/actions',
  z.object({ commandId: CommandId, kind: z.enum(CASE_ACTION_KINDS), description: NonEmpty(5000), takenOn: IsoDate.optional(), attachments: AttachmentList.optional() }),
);
export const CloseCaseBody = documentBody(
  'post',
  '/api/v1/cases/{id}/close',
  z.object({ commandId: CommandId, outcome: z.enum(CASE_OUTCOMES), summary: NonEmpty(5000), penaltyYuan: z.number().finite().min(0).optional() }),
);
