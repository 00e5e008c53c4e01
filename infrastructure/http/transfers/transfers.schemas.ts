import { z } from 'zod';
import { CommandId, NonEmpty, Phone, Quantity } from '../shared-schemas';
import { documentBody } from '../openapi/request-schemas';

const Registered = z.object({ kind: z.literal('registered'), eid: NonEmpty(32) });
const Unregistered = z.object({
  kind: z.literal('unregistered'),
  name: NonEmpty(),
  phone: Phone.optional(),
  address: NonEmpty(300).optional(),
});

export const ShipBody = documentBody(
  'post',
  '/api/v1/transfers',
  z.object({
    commandId: CommandId,
    fromTraceCode: NonEmpty(64),
    quantity: Quantity,
    to: z.discriminatedUnion('kind', [Registered, Unregistered]),
  }),
);

export const ConfirmTransferBody = documentBody('post', '/api/v1/transfers/{id}/confirm', z.object({ commandId: CommandId }));
export const RejectTransferBody = documentBody(
  'post',
  '/api/v1/transfers/{id}/reject',
  z.object({ commandId: CommandId, reason: NonEmpty(500) }),
);
