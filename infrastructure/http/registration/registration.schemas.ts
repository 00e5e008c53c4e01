import { z } from 'zod';
import { CommandId, Latitude, Longitude, NonEmpty, Phone, RegionCode } from '../shared-schemas';
import { documentBody } from '../openapi/request-schemas';
import { AttachmentList } from '../attachments/attachment-schemas';

/** 乡镇 / 街道: nine digits, the county's code and three more (inside the county and known: checked by the decider). */
const TownshipCode = z.string().regex(/^\d{9}$/, 'must be a 9-digit township code (the county code and three digits)');

export const BaseInput = z.object({
  baseId: NonEmpty(64).optional(),
  name: NonEmpty(),
  regionCode: RegionCode,
  townshipCode: TownshipCode.optional(),
  address: NonEmpty(300),
  lat: Latitude,
  lon: Longitude,
  areaMu: z.number().positive().optional(),
  products: z.array(NonEmpty(50)).min(1).max(50),
});

export const ApplyForRegistrationBody = documentBody(
  'post',
  '/api/v1/entities',
  z.object({
    commandId: CommandId,
    name: NonEmpty(),
    entityType: z.enum(['enterprise', 'cooperative', 'familyFarm', 'slaughterhouse', 'household']),
    regionCode: RegionCode,
    townshipCode: TownshipCode.optional(),
    address: NonEmpty(300),
    legalRepresentative: NonEmpty(50),
    contactPhone: Phone,
    creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code').optional(),
    bases: z.array(BaseInput).min(1, 'at least one base is required').max(100),
    products: z.array(NonEmpty(50)).min(1).max(100),
    /** 证明材料: the business licence, land contract… uploaded first (POST /api/v1/attachments), for the county's review. */
    attachments: AttachmentList.optional(),
  }),
);

export const RejectRegistrationBody = documentBody(
  'post',
  '/api/v1/entities/{id}/reject',
  z.object({ commandId: CommandId, reason: NonEmpty(500) }),
);

export const ApproveRegistrationBody = documentBody(
  'post',
  '/api/v1/entities/{id}/approve',
  z.object({ commandId: CommandId }),
);

export const UpdateRegistrationBody = documentBody(
  'patch',
  '/api/v1/entities/{id}',
  z.object({
    commandId: CommandId,
    name: NonEmpty().optional(),
    address: NonEmpty(300).optional(),
    legalRepresentative: NonEmpty(50).optional(),
    contactPhone: Phone.optional(),
    products: z.array(NonEmpty(50)).min(1).max(100).optional(),
  }),
);

export const AddBaseBody = documentBody('post', '/api/v1/entities/{id}/bases', z.object({ commandId: CommandId, base: BaseInput }));
