import type { OffLedgerReceiver } from '../lots/types';
import type { Quantity } from '../shared/quantity';
import type { RegisteredReceiver } from './types';

/** 扫码交易: the upstream holder ships part of a lot to a registered entity, which must confirm. */
export type InitiateTransfer = {
  type: 'InitiateTransfer';
  data: {
    transferId: string;
    fromTraceCode: string;
    fromEntityId: string;
    fromEid: string;
    product: string;
    quantity: Quantity;
    to: RegisteredReceiver;
  };
};
/** By the receiver; the application has minted the child lot's trace code. */
export type ConfirmTransfer = { type: 'ConfirmTransfer'; data: { childTraceCode: string } };
export type RejectTransfer = { type: 'RejectTransfer'; data: { reason: string } };
/** Shipment to an unregistered party, recorded by hand by the sender; closed at once, the chain ends. */
export type RecordOffLedgerShipment = {
  type: 'RecordOffLedgerShipment';
  data: { transferId: string; fromTraceCode: string; fromEntityId: string; quantity: Quantity; receiver: OffLedgerReceiver };
};

export type TransferCommand = InitiateTransfer | ConfirmTransfer | RejectTransfer | RecordOffLedgerShipment;
