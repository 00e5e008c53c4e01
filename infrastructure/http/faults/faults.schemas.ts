import { z } from 'zod';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, NonEmpty } from '../shared-schemas';
import { Instant } from '../quality/quality-schemas';

const Level = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1, 2 or 3' });

export const ReportFaultBody = documentBody(
  'post',
  '/api/v1/faults',
  z.object({
    commandId: CommandId,
    level: Level,
    occurredAt: Instant,
    place: NonEmpty(300),
    description: NonEmpty(5000),
    affectedScope: NonEmpty(2000),
    measures: NonEmpty(5000),
    expectedRecoveryAt: Instant,
    reporter: z.object({ name: NonEmpty(100), contact: NonEmpty(100).optional() }),
  }),
);
export const FaultProgressBody = documentBody('post', '/api/v1/faults/{id}/progress', z.object({ commandId: CommandId, note: NonEmpty(5000) }));
export const ReclassifyFaultBody = documentBody('post', '/api/v1/faults/{id}/reclassify', z.object({ commandId: CommandId, level: Level, reason: NonEmpty(2000) }));
export const ResolveFaultBody = documentBody('post', '/api/v1/faults/{id}/resolve', z.object({ commandId: CommandId, resolution: NonEmpty(5000) }));
