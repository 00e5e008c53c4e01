import { assertNever } from '../shared/event';
import { add, compare, subtract, zero, type Quantity } from '../shared/quantity';
import type { LotEvent } from './events';
import type { LotHold } from './holds';
import type { LotBalance, LotBase, LotOrigin } from './types';

export type LotStatus = 'none' | 'active' | 'depleted';

export interface LotState {
  /** 'depleted' once everything has left the lot (nothing available, nothing reserved). */
  status: LotStatus;
  traceCode: string;
  entityId: string;
  eid: string;
  entityName: string;
  product: string;
  productionDate: string;
  base?: LotBase;
  origin?: LotOrigin;
  createdAt?: string;
  /** What the lot was created with; its unit is the lot's unit for all later amounts. */
  quantity: Quantity;
  /** Open reservations by transfer id, in the lot's unit. */
  reserved: Record<string, Quantity>;
  /** Everything that has left: committed transfers, off-ledger shipments, market entries. */
  shipped: Quantity;
  /** Transfer ids already settled, so a transfer id is never reserved twice. */
  settledTransfers: Record<string, 'committed' | 'released'>;
  offLedgerShipments: string[];
  certificates: string[];
  /** Open holds by holdId: while any is open, nothing leaves the lot (holds.ts). */
  holds: Record<string, LotHold>;
}

export function initialState(): LotState {
  return {
    status: 'none',
    traceCode: '',
    entityId: '',
    eid: '',
    entityName: '',
    product: '',
    productionDate: '',
    quantity: zero('kg'),
    reserved: {},
    shipped: zero('kg'),
    settledTransfers: {},
    offLedgerShipments: [],
    certificates: [],
    holds: {},
  };
}

export function isOnHold(state: LotState): boolean {
  return Object.keys(state.holds).length > 0;
}

export function reservedTotal(state: LotState): Quantity {
  return Object.values(state.reserved).reduce((sum, q) => add(sum, q), zero(state.quantity.unit));
}

/** What can still be reserved, shipped or certified: quantity − reserved − shipped. */
export function available(state: LotState): Quantity {
  return subtract(subtract(state.quantity, reservedTotal(state)), state.shipped);
}

/** What the holder still physically has (available + reserved): quantity − shipped. */
export function remaining(state: LotState): Quantity {
  return subtract(state.quantity, state.shipped);
}

export function balanceOf(state: LotState): LotBalance {
  return { available: available(state), reserved: reservedTotal(state), shipped: state.shipped };
}

function withStatus(state: LotState): LotState {
  return { ...state, status: compare(state.shipped, state.quantity) >= 0 ? 'depleted' : 'active' };
}

export function evolve(state: LotState, event: LotEvent): LotState {
  switch (event.type) {
    case 'LotCreated': {
      const d = event.data;
      return withStatus({
        ...state,
        traceCode: d.traceCode,
        entityId: d.entityId,
        eid: d.eid,
        entityName: d.entityName,
        product: d.product,
        productionDate: d.productionDate,
        base: { ...d.base },
        origin: { ...d.origin },
        createdAt: d.createdAt,
        quantity: { ...d.quantity },
        reserved: {},
        shipped: zero(d.quantity.unit),
      });
    }
    case 'QuantityReserved':
      return withStatus({ ...state, reserved: { ...state.reserved, [event.data.transferId]: { ...event.data.quantity } } });
    case 'ReservationCommitted': {
      const { [event.data.transferId]: committed, ...rest } = state.reserved;
      return withStatus({
        ...state,
        reserved: rest,
        shipped: add(state.shipped, committed ?? event.data.quantity),
        settledTransfers: { ...state.settledTransfers, [event.data.transferId]: 'committed' },
      });
    }
    case 'ReservationReleased': {
      const { [event.data.transferId]: _released, ...rest } = state.reserved;
      return withStatus({
        ...state,
        reserved: rest,
        settledTransfers: { ...state.settledTransfers, [event.data.transferId]: 'released' },
      });
    }
    case 'ShippedOffLedger':
      return withStatus({
        ...state,
        shipped: add(state.shipped, event.data.quantity),
        offLedgerShipments: [...state.offLedgerShipments, event.data.shipmentId],
      });
    case 'MarketEntryCertified':
      return withStatus({
        ...state,
        shipped: add(state.shipped, event.data.quantity),
        certificates: [...state.certificates, event.data.certificateNo],
      });
    case 'LotPutOnHold': {
      const d = event.data;
      const hold: LotHold = { holdId: d.holdId, owner: { ...d.owner }, reason: d.reason, heldAt: d.heldAt, inheritedFrom: d.inheritedFrom };
      return { ...state, holds: { ...state.holds, [d.holdId]: hold } };
    }
    case 'LotHoldLifted': {
      const { [event.data.holdId]: _lifted, ...rest } = state.holds;
      return { ...state, holds: rest };
    }
    default:
      return assertNever(event);
  }
}
