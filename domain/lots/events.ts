import type { DomainEvent } from '../shared/event';
import type { Quantity } from '../shared/quantity';
import type { CreateLot } from './commands';
import type { HoldLiftDecision, HoldOwner } from './holds';
import type { LotBalance, Market, OffLedgerReceiver } from './types';

/*
 * Quantities in events: `quantity` is always in the lot's own unit (after conversion), `requested`
 * is the quantity exactly as the command gave it, and `balance` is the lot's split after the
 * event, so a projection can show the remaining quantity without re-implementing the arithmetic.
 * evolve() never reads `balance`; it recomputes from the deltas.
 */
export type LotCreated = DomainEvent<'LotCreated', CreateLot['data'] & { createdAt: string }>;
export type QuantityReserved = DomainEvent<
  'QuantityReserved',
  { traceCode: string; transferId: string; quantity: Quantity; requested: Quantity; reservedAt: string; balance: LotBalance }
>;
export type ReservationCommitted = DomainEvent<
  'ReservationCommitted',
  { traceCode: string; transferId: string; quantity: Quantity; committedAt: string; balance: LotBalance }
>;
export type ReservationReleased = DomainEvent<
  'ReservationReleased',
  { traceCode: string; transferId: string; quantity: Quantity; reason: string; releasedAt: string; balance: LotBalance }
>;
export type ShippedOffLedger = DomainEvent<
  'ShippedOffLedger',
  {
    traceCode: string;
    shipmentId: string;
    quantity: Quantity;
    requested: Quantity;
    receiver: OffLedgerReceiver;
    shippedAt: string;
    balance: LotBalance;
  }
>;
export type MarketEntryCertified = DomainEvent<
  'MarketEntryCertified',
  {
    traceCode: string;
    certificateNo: string;
    market: Market;
    quantity: Quantity;
    requested: Quantity;
    qrPayload: string;
    certifiedAt: string;
    balance: LotBalance;
  }
>;

/** The lot is on hold (暂停销售) until its owner's decision lifts it. */
export type LotPutOnHold = DomainEvent<
  'LotPutOnHold',
  { traceCode: string; holdId: string; owner: HoldOwner; reason: string; inheritedFrom: string | null; heldAt: string }
>;
/** The owner's decision lifted the hold; `owner` is repeated so the event reads on its own. */
export type LotHoldLifted = DomainEvent<
  'LotHoldLifted',
  { traceCode: string; holdId: string; owner: HoldOwner; decision: HoldLiftDecision; reason: string; liftedAt: string; liftedBy: string }
>;

export type LotEvent =
  | LotCreated
  | QuantityReserved
  | ReservationCommitted
  | ReservationReleased
  | ShippedOffLedger
  | MarketEntryCertified
  | LotPutOnHold
  | LotHoldLifted;

export const LOT_EVENT_TYPES: LotEvent['type'][] = [
  'LotCreated',
  'QuantityReserved',
  'ReservationCommitted',
  'ReservationReleased',
  'ShippedOffLedger',
  'MarketEntryCertified',
  'LotPutOnHold',
  'LotHoldLifted',
];
