import { assertNever } from '../shared/event';
import { zero, type Quantity } from '../shared/quantity';
import type { TransferEvent } from './events';
import type { TransferReceiver } from './types';

export type TransferStatus = 'none' | 'pending' | 'confirmed' | 'rejected' | 'closed';

export interface TransferState {
  status: TransferStatus;
  transferId: string;
  fromTraceCode: string;
  fromEntityId: string;
  fromEid?: string;
  product?: string;
  quantity: Quantity;
  to?: TransferReceiver;
  initiatedAt?: string;
  childTraceCode?: string;
  confirmedAt?: string;
  rejectedAt?: string;
  rejectionReason?: string;
  recordedAt?: string;
}

export function initialState(): TransferState {
  return { status: 'none', transferId: '', fromTraceCode: '', fromEntityId: '', quantity: zero('kg') };
}

export function evolve(state: TransferState, event: TransferEvent): TransferState {
  switch (event.type) {
    case 'TransferInitiated': {
      const d = event.data;
      return {
        ...state,
        status: 'pending',
        transferId: d.transferId,
        fromTraceCode: d.fromTraceCode,
        fromEntityId: d.fromEntityId,
        fromEid: d.fromEid,
        product: d.product,
        quantity: { ...d.quantity },
        to: { ...d.to },
        initiatedAt: d.initiatedAt,
      };
    }
    case 'TransferConfirmed':
      return { ...state, status: 'confirmed', childTraceCode: event.data.childTraceCode, confirmedAt: event.data.confirmedAt };
    case 'TransferRejected':
      return { ...state, status: 'rejected', rejectedAt: event.data.rejectedAt, rejectionReason: event.data.reason };
    case 'OffLedgerShipmentRecorded': {
      const d = event.data;
      return {
        ...state,
        status: 'closed',
        transferId: d.transferId,
        fromTraceCode: d.fromTraceCode,
        fromEntityId: d.fromEntityId,
        quantity: { ...d.quantity },
        to: { kind: 'unregistered', ...d.receiver },
        recordedAt: d.recordedAt,
      };
    }
    default:
      return assertNever(event);
  }
}
