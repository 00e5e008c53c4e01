import { z } from 'zod';
import { CommandId, IsoDate, NonEmpty, Quantity, RegionCode } from '../shared-schemas';
import { documentBody } from '../openapi/request-schemas';

export const CreateLotBody = documentBody(
  'post',
  '/api/v1/lots',
  z.object({
    commandId: CommandId,
    entityId: z.string().min(1).max(64),
    baseId: z.string().min(1).max(64),
    product: NonEmpty(50),
    quantity: Quantity,
    productionDate: IsoDate,
  }),
);

export const MarketEntryBody = documentBody(
  'post',
  '/api/v1/market-entries',
  z.object({
    commandId: CommandId,
    traceCode: z.string().min(1).max(64),
    market: z.object({
      name: NonEmpty(),
      kind: z.enum(['wholesale', 'retail', 'processor']),
      regionCode: RegionCode,
    }),
    quantity: Quantity,
  }),
);
