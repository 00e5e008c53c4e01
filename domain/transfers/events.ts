import type { OffLedgerReceiver } from '../lots/types';
import type { DomainEvent } from '../shared/event';
import type { Quantity } from '../shared/quantity';
import type { InitiateTransfer } from './commands';
import type { RegisteredReceiver } from './types';

export type TransferInitiated = DomainEvent<'TransferInitiated', InitiateTransfer['data'] & { initiatedAt: string }>;
/** Carries both ends and the quantity so the trace graph gets its edge from this one event. */
export type TransferConfirmed = DomainEvent<
  'TransferConfirmed',
  {
    transferId: string;
    fromTraceCode: string;
    childTraceCode: string;
    product: string;
    quantity: Quantity;
    fromEntityId: string;
    to: RegisteredReceiver;
    confirmedAt: string;
    confirmedBy: string;
  }
>;
export type TransferRejected = DomainEvent<
  'TransferRejected',
  {
    transferId: string;
    fromTraceCode: string;
    quantity: Quantity;
    fromEntityId: string;
    to: RegisteredReceiver;
    reason: string;
    rejectedAt: string;
    rejectedBy: string;
  }
>;
export type OffLedgerShipmentRecorded = DomainEvent<
  'OffLedgerShipmentRecorded',
  {
    transferId: string;
    fromTraceCode: string;
    fromEntityId: string;
    quantity: Quantity;
    receiver: OffLedgerReceiver;
    recordedAt: string;
  }
>;

export type TransferEvent = TransferInitiated | TransferConfirmed | TransferRejected | OffLedgerShipmentRecorded;

export const TRANSFER_EVENT_TYPES: TransferEvent['type'][] = [
  'TransferInitiated',
  'TransferConfirmed',
  'TransferRejected',
  'OffLedgerShipmentRecorded',
];
