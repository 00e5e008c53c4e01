import { z } from 'zod';
import { COMPLAINT_KINDS } from '../../../domain/complaints';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, NonEmpty, Phone, RegionCode } from '../shared-schemas';

export const SubmitComplaintBody = documentBody(
  'post',
  '/api/v1/complaints',
  z.object({
    commandId: CommandId,
    kind: z.enum(COMPLAINT_KINDS).default('complaint'),
    traceCode: z.string().min(1).max(40).optional().describe('the lot the complaint is about (from the label); decides the answering county'),
    regionCode: RegionCode.optional().describe('the county, for a message without a trace code'),
    product: NonEmpty(100).optional(),
    content: NonEmpty(2000),
    contact: z
      .object({ name: NonEmpty(50).optional(), phone: Phone.optional(), callBack: z.boolean().optional() })
      .optional()
      .describe('optional; a phone number is kept only with callBack: true'),
  }),
);

export const AnswerComplaintBody = documentBody(
  'post',
  '/api/v1/complaints/{id}/answer',
  z.object({ commandId: CommandId, answer: NonEmpty(2000), incidentId: NonEmpty(100).optional().describe('an incident opened from this complaint') }),
);
