import { z } from 'zod';
import { AttachmentList } from '../attachments/attachment-schemas';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, IsoDate, Latitude, Longitude, NonEmpty, Phone, Quantity, RegionCode } from '../shared-schemas';
import { ConcentrationUnit, Instant, OrgRef, PositiveConcentration } from '../quality/quality-schemas';

const Manual = z.object({
  product: NonEmpty(100),
  entityName: NonEmpty(200),
  entityId: NonEmpty(100).optional(),
  regionCode: RegionCode,
  address: NonEmpty(300).optional(),
  contactPhone: Phone.optional(),
  productionDate: IsoDate.optional(),
  batchNo: NonEmpty(100).optional(),
});

export const TakeSampleBody = documentBody(
  'post',
  '/api/v1/samples',
  z
    .object({
      commandId: CommandId,
      taskId: NonEmpty(100),
      /** Scanned from the label; the lot's details are filled in from the ledger. */
      traceCode: NonEmpty(64).optional(),
      /** Or the product entered by hand (no trace code). */
      manual: Manual.optional(),
      place: z.object({ address: NonEmpty(300), regionCode: RegionCode, lat: Latitude.optional(), lon: Longitude.optional() }),
      sampledAt: Instant,
      sampler: z.object({ name: NonEmpty(100), certificateNo: NonEmpty(100).optional() }),
      labOrgId: NonEmpty(100).optional(),
      quantity: Quantity.optional(),
      note: NonEmpty(2000).optional(),
    })
    .superRefine((b, ctx) => {
      if ((b.traceCode === undefined) === (b.manual === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['traceCode'], message: 'give either traceCode (scanned) or manual (hand-entered product)' });
      }
    }),
);

const Entry = z.object({
  code: NonEmpty(64),
  value: z.number().finite().min(0, 'must be ≥ 0').optional(),
  unit: ConcentrationUnit.optional(),
  notDetected: z.boolean().optional(),
  lod: PositiveConcentration.optional(),
});

export const RecordResultBody = documentBody(
  'post',
  '/api/v1/samples/{id}/results',
  z.object({
    commandId: CommandId,
    analytes: z.array(Entry).min(1).max(500),
    testedAt: Instant,
    reportNo: NonEmpty(100).optional(),
    method: NonEmpty(300).optional(),
    attachments: AttachmentList.optional(),
  }),
);

export const RetestBody = documentBody(
  'post',
  '/api/v1/samples/{id}/retest',
  z.object({ commandId: CommandId, reason: NonEmpty(2000), retestLab: OrgRef, requestedBy: NonEmpty(200) }),
);
