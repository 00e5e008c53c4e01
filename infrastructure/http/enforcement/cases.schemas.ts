import { z } from 'zod';
import { AttachmentList } from '../attachments/attachment-schemas';
import { CASE_ACTION_KINDS, CASE_OUTCOMES, OWN_CASE_SOURCES } from '../../../domain/enforcement';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, IsoDate, NonEmpty, Phone, RegionCode } from '../shared-schemas';

export const CaseActionBody = documentBody(
  'post',
  '/api/v1/cases/{id}/actions',
  z.object({
    commandId: CommandId,
    kind: z.enum(CASE_ACTION_KINDS),
    description: NonEmpty(5000),
    takenOn: IsoDate.optional(),
    deadline: IsoDate.optional().describe('责令限期整改: the last day to correct (required of a rectification-order)'),
    orderSeq: z.number().int().positive().optional().describe('整改复查: the seq of the rectification order verified (required of rectification-verified)'),
    attachments: AttachmentList.optional(),
  }),
);
export const CloseCaseBody = documentBody(
  'post',
  '/api/v1/cases/{id}/close',
  z.object({ commandId: CommandId, outcome: z.enum(CASE_OUTCOMES), summary: NonEmpty(5000), penaltyYuan: z.number().finite().min(0).optional() }),
);

/** 自行立案: a registered entity by id, or a party found on site that is not registered (未注册主体). */
const Unregistered = z.object({
  name: NonEmpty(200),
  regionCode: RegionCode,
  address: NonEmpty(300),
  responsible: NonEmpty(100).optional(),
  phone: Phone.optional(),
  creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code').optional(),
});
export const OpenCaseBody = documentBody(
  'post',
  '/api/v1/cases',
  z.object({
    commandId: CommandId,
    source: z.enum(OWN_CASE_SOURCES),
    ref: NonEmpty(100).optional(),
    subject: z.union([z.object({ entityId: NonEmpty(100) }).strict(), z.object({ unregistered: Unregistered }).strict()]),
    product: NonEmpty(100).optional(),
    traceCodes: z.array(NonEmpty(40)).max(50).optional(),
    summary: NonEmpty(5000),
  }),
);
