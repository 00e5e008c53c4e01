import { z } from 'zod';
import { AttachmentList } from '../attachments/attachment-schemas';
import { FINDING_SEVERITIES } from '../../../domain/inspection';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, IsoDate, NonEmpty, Phone, RegionCode } from '../shared-schemas';
import { Instant, TextList } from '../quality/quality-schemas';

export const PublishInspectionBody = documentBody(
  'post',
  '/api/v1/inspections',
  z.object({
    commandId: CommandId,
    title: NonEmpty(200),
    regionCode: RegionCode,
    inspectors: z.array(z.object({ userId: NonEmpty(100), name: NonEmpty(100) })).min(1),
    dueDate: IsoDate,
    plan: NonEmpty(5000).optional(),
    targets: TextList().optional(),
    publisherName: NonEmpty(200).optional(),
  }),
);

export const InspectionRecordBody = documentBody(
  'post',
  '/api/v1/inspections/{id}/records',
  z.object({
    commandId: CommandId,
    subject: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('registered'), eid: NonEmpty(32) }),
      z.object({ kind: z.literal('unregistered'), name: NonEmpty(200), regionCode: RegionCode, address: NonEmpty(300), contactPhone: Phone.optional(), products: z.array(NonEmpty(100)).optional() }),
    ]),
    visitedAt: Instant,
    checklist: z.array(z.object({ item: NonEmpty(300), ok: z.boolean(), note: NonEmpty(1000).optional() })).optional(),
    findings: z.array(z.object({ description: NonEmpty(2000), severity: z.enum(FINDING_SEVERITIES) })),
    conclusion: NonEmpty(5000),
    guidedToRegister: z.boolean().optional(),
    attachments: AttachmentList.optional(),
  }),
);

export const ReferralBody = documentBody('post', '/api/v1/inspections/{id}/records/{recordId}/referral', z.object({ commandId: CommandId, note: NonEmpty(2000).optional() }));
export const CompleteInspectionBody = documentBody('post', '/api/v1/inspections/{id}/complete', z.object({ commandId: CommandId, summary: NonEmpty(5000) }));
