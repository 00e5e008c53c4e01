import { z } from 'zod';
import { BATCH_COMMAND_TYPES, type BatchCommandType, type BatchInputs } from '../../../application/batch/batch-commands';
import type { PayloadParser } from '../../../application/batch/run-batch';
import { documentBody } from '../openapi/request-schemas';
import { CreateLotBody, MarketEntryBody } from '../lots/lots.schemas';
import { ApplyForRegistrationBody } from '../registration/registration.schemas';
import { NonEmpty } from '../shared-schemas';
import { ShipBody } from '../transfers/transfers.schemas';
import { parseInput } from '../validation/parse-input';

const Id = NonEmpty(64);

/**
 * Each item's payload is validated by the schema of the command's single route (without its commandId,
 * which the item carries), plus the path parameter of routes like /transfers/{id}/confirm.
 */
const PAYLOADS = {
  applyForRegistration: ApplyForRegistrationBody.omit({ commandId: true }),
  approveRegistration: z.object({ entityId: Id }),
  rejectRegistration: z.object({ entityId: Id, reason: NonEmpty(500) }),
  createLot: CreateLotBody.omit({ commandId: true }),
  ship: ShipBody.omit({ commandId: true }),
  confirmTransfer: z.object({ transferId: Id }),
  rejectTransfer: z.object({ transferId: Id, reason: NonEmpty(500) }),
  issueMarketEntry: MarketEntryBody.omit({ commandId: true }),
} satisfies { [T in BatchCommandType]: z.ZodType };

/** One item's envelope; its payload is checked when its turn comes (after `$ref`s are resolved). */
export const BatchItemEnvelope = z.object({
  commandId: z.string().min(8).max(128),
  type: z.enum(BATCH_COMMAND_TYPES),
  payload: z.record(z.string(), z.unknown()),
});

/** What the body is checked against: items are checked one by one, so one bad item fails alone. */
export const BatchBody = z.object({
  commands: z.array(z.unknown()).min(1, 'at least one command is required'),
});

// The published shape (OpenAPI): every item type with its payload schema.
documentBody(
  'post',
  '/api/v1/batch',
  z.object({
    commands: z.array(
      z.union(
        BATCH_COMMAND_TYPES.map((type) =>
          z.object({ commandId: BatchItemEnvelope.shape.commandId, type: z.literal(type), payload: PAYLOADS[type] }),
        ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
      ),
    ),
  }),
);

export const parseBatchPayload: PayloadParser = <T extends BatchCommandType>(type: T, payload: unknown): BatchInputs[T] =>
  // The schemas mirror the single routes, whose controllers hand the parsed bodies to the same commands.
  parseInput(PAYLOADS[type] as z.ZodType, payload, 'payload') as BatchInputs[T];
