import { z } from 'zod';
import { HANDLING_KINDS, INCIDENT_CATEGORIES, INCIDENT_LEVELS } from '../../../domain/incidents';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, NonEmpty, Phone, Quantity, RegionCode } from '../shared-schemas';

const Responsible = z.object({ userId: NonEmpty(100), name: NonEmpty(100), phone: Phone.nullable().default(null) });
const Source = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('complaint'), complainant: NonEmpty(200), contact: NonEmpty(100).nullable().default(null) }),
  z.object({ kind: z.literal('manual') }),
]);

export const RecordIncidentBody = documentBody(
  'post',
  '/api/v1/incidents',
  z.object({
    commandId: CommandId,
    title: NonEmpty(200),
    description: NonEmpty(4000),
    occurredAt: z.iso.datetime({ offset: true }),
    place: z.object({ address: NonEmpty(500), regionCode: RegionCode }),
    category: z.enum(INCIDENT_CATEGORIES),
    level: z.enum(INCIDENT_LEVELS),
    traceCodes: z.array(NonEmpty(64)).max(1000).default([]),
    entityIds: z.array(NonEmpty(100)).max(1000).default([]),
    source: Source.default({ kind: 'manual' }),
    responsible: Responsible,
  }),
);

const OpenFrom = z.object({
  commandId: CommandId,
  category: z.enum(INCIDENT_CATEGORIES).default('product-safety'),
  level: z.enum(INCIDENT_LEVELS).optional(),
  responsible: Responsible,
  title: NonEmpty(200).optional(),
  description: NonEmpty(4000).optional(),
});
export const OpenFromSampleBody = documentBody('post', '/api/v1/samples/{id}/incident', OpenFrom);
export const OpenFromWarningBody = documentBody('post', '/api/v1/risk-warnings/{id}/incident', OpenFrom);

export const GradeIncidentBody = documentBody('post', '/api/v1/incidents/{id}/grade', z.object({ commandId: CommandId, level: z.enum(INCIDENT_LEVELS), reason: NonEmpty(2000) }));
export const ReviewIncidentBody = documentBody(
  'post',
  '/api/v1/incidents/{id}/review',
  z.object({
    commandId: CommandId,
    decision: z.enum(['start-response', 'no-response']),
    opinion: NonEmpty(4000),
    /** Hours the holders have to acknowledge their recall notice before they are escalated. */
    recallDeadlineHours: z.number().positive().max(24 * 30).default(24),
  }),
);
export const LogHandlingBody = documentBody(
  'post',
  '/api/v1/incidents/{id}/log',
  z.object({
    commandId: CommandId,
    kind: z.enum(HANDLING_KINDS),
    description: NonEmpty(4000),
    documents: z.array(z.object({ name: NonEmpty(200), sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().default(null) })).max(50).default([]),
    people: z.array(z.object({ name: NonEmpty(100), role: NonEmpty(100), phone: Phone.nullable().default(null) })).max(200).default([]),
  }),
);
export const PublishNoticeBody = documentBody(
  'post',
  '/api/v1/incidents/{id}/notices',
  z.object({ commandId: CommandId, title: NonEmpty(200), body: NonEmpty(4000), traceCodes: z.array(NonEmpty(64)).max(1000).default([]) }),
);
export const CloseIncidentBody = documentBody(
  'post',
  '/api/v1/incidents/{id}/close',
  z.object({ commandId: CommandId, record: z.object({ summary: NonEmpty(4000), cause: NonEmpty(4000), measures: NonEmpty(4000), outcome: NonEmpty(4000) }) }),
);

export const AcknowledgeRecallBody = documentBody('post', '/api/v1/recalls/{incidentId}/{holderEntityId}/acknowledge', z.object({ commandId: CommandId, note: NonEmpty(2000).nullable().default(null) }));
export const ReportRecallBody = documentBody(
  'post',
  '/api/v1/recalls/{incidentId}/{holderEntityId}/report',
  z.object({
    commandId: CommandId,
    lots: z
      .array(z.object({ traceCode: NonEmpty(64), recovered: Quantity.optional(), destroyed: Quantity.optional(), soldToConsumers: Quantity.optional() }))
      .min(1)
      .max(1000),
    note: NonEmpty(2000).nullable().default(null),
  }),
);

export const IncidentListQuery = z.object({ status: z.enum(['recorded', 'responding', 'declined', 'closed', 'open']).optional() });
