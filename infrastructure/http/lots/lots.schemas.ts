import { z } from 'zod';
import { CommandId, IsoDate, NonEmpty, Quantity, RegionCode } from '../shared-schemas';
import { documentBody } from '../openapi/request-schemas';

export const CreateLotBody = documentBody(
  'post',
  '/api/v1/lots',
  z.object({
    commandId: CommandId,
    entityId: NonEmpty(64),
    baseId: NonEmpty(64),
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
    traceCode: NonEmpty(64),
    market: z.object({
      name: NonEmpty(),
      kind: z.enum(['wholesale', 'retail', 'processor']),
      regionCode: RegionCode,
    }),
    quantity: Quantity,
  }),
);
