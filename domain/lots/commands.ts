import type { Quantity } from '../shared/quantity';
import type { HoldLiftDecision, HoldOwner } from './holds';
import type { LotBase, LotOrigin, Market, OffLedgerReceiver } from './types';

export type CreateLot = {
  type: 'CreateLot';
  data: {
    traceCode: string;
    entityId: string;
    eid: string;
    entityName: string;
    product: string;
    quantity: Quantity;
    /** YYYY-MM-DD (CST), not after today. */
    productionDate: string;
    base: LotBase;
    origin: LotOrigin;
  };
};
/** Holds quantity for a pending transfer until the receiver confirms or rejects. */
export type ReserveQuantity = { type: 'ReserveQuantity'; data: { transferId: string; quantity: Quantity } };
/** The receiver confirmed: the reservation leaves the lot. */
export type CommitReservation = { type: 'CommitReservation'; data: { transferId: string } };
/** The receiver rejected (or the transfer was cancelled): the quantity returns to available. */
export type ReleaseReservation = { type: 'ReleaseReservation'; data: { transferId: string; reason: string } };
/** To an unregistered party: deducted at once, and the chain ends there. */
export type ShipOffLedger = {
  type: 'ShipOffLedger';
  data: { shipmentId: string; quantity: Quantity; receiver: OffLedgerReceiver };
};
/** 入市追溯凭证: part of the lot enters a market or processor, leaving the traced chain. */
export type IssueMarketEntryCertificate = {
  type: 'IssueMarketEntryCertificate';
  data: { certificateNo: string; market: Market; quantity: Quantity; qrPayload: string };
};

/** 暂停销售: the owner's decision (a failed result, a case, an incident) puts the lot on hold. */
export type PutOnHold = {
  type: 'PutOnHold';
  data: { holdId: string; owner: HoldOwner; reason: string; inheritedFrom?: string | null };
};
/** Only the decision that owns the hold lifts it (a passing re-test, the case or incident closing). */
export type LiftHold = { type: 'LiftHold'; data: { holdId: string; decision: HoldLiftDecision; reason: string } };

export type LotCommand =
  | CreateLot
  | ReserveQuantity
  | CommitReservation
  | ReleaseReservation
  | ShipOffLedger
  | IssueMarketEntryCertificate
  | PutOnHold
  | LiftHold;
