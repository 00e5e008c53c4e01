import type { DecisionContext } from '../shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import { compare, convert, formatQuantity, isPositive, assertValidQuantity, type Quantity } from '../shared/quantity';
import { isIsoDate, optionalText, requireLatLon, requireRegionCode, requireText } from '../shared/validate';
import { cstDateString } from '../shared/working-days';
import { entitySegmentOfEid, isValidEid } from '../registration/eid';
import type { CreateLot, LotCommand, PutOnHold } from './commands';
import type { LotEvent } from './events';
import { assertNotOnHold, ownsHold, validateDecision, validateOwner } from './holds';
import { available, balanceOf, evolve, type LotState } from './state';
import { traceCodeParts } from './trace-code';
import { MARKET_KINDS, type LotBase, type LotOrigin, type Market, type OffLedgerReceiver } from './types';

export type LotContext = DecisionContext;

export function decide(command: LotCommand, state: LotState, ctx: LotContext): LotEvent[] {
  const now = ctx.now.toISOString();
  if (command.type !== 'CreateLot' && state.status === 'none') {
    throw new InvalidStateError('lot does not exist', { status: state.status, command: command.type });
  }
  switch (command.type) {
    case 'CreateLot': {
      if (state.status !== 'none') throw new InvalidStateError(`lot ${state.traceCode} already exists`, { status: state.status });
      return [{ type: 'LotCreated', data: { ...validateCreate(command.data, ctx), createdAt: now } }];
    }
    case 'ReserveQuantity': {
      assertNotOnHold(state.traceCode, state.holds, 'be shipped');
      const transferId = requireText(command.data.transferId, 'transferId', 100);
      if (state.reserved[transferId] || state.settledTransfers[transferId]) {
        throw new InvalidStateError(`transfer ${transferId} already has a reservation on this lot`, { transferId });
      }
      const { requested, quantity } = takeFromAvailable(state, command.data.quantity);
      return [withBalance(state, { type: 'QuantityReserved', data: { traceCode: state.traceCode, transferId, quantity, requested, reservedAt: now } })];
    }
    case 'CommitReservation': {
      const { transferId } = command.data;
      const quantity = openReservation(state, transferId);
      return [withBalance(state, { type: 'ReservationCommitted', data: { traceCode: state.traceCode, transferId, quantity, committedAt: now } })];
    }
    case 'ReleaseReservation': {
      const { transferId } = command.data;
      const reason = requireText(command.data.reason, 'reason', 2000);
      const quantity = openReservation(state, transferId);
      return [
        withBalance(state, { type: 'ReservationReleased', data: { traceCode: state.traceCode, transferId, quantity, reason, releasedAt: now } }),
      ];
    }
    case 'ShipOffLedger': {
      assertNotOnHold(state.traceCode, state.holds, 'be sold off the ledger');
      const shipmentId = requireText(command.data.shipmentId, 'shipmentId', 100);
      if (state.offLedgerShipments.includes(shipmentId)) {
        throw new InvalidStateError(`shipment ${shipmentId} was already recorded`, { shipmentId });
      }
      const receiver = validateReceiver(command.data.receiver, 'receiver');
      const { requested, quantity } = takeFromAvailable(state, command.data.quantity);
      return [
        withBalance(state, {
          type: 'ShippedOffLedger',
          data: { traceCode: state.traceCode, shipmentId, quantity, requested, receiver, shippedAt: now },
        }),
      ];
    }
    case 'IssueMarketEntryCertificate': {
      assertNotOnHold(state.traceCode, state.holds, 'get a market-entry certificate');
      const certificateNo = requireText(command.data.certificateNo, 'certificateNo', 100);
      if (state.certificates.includes(certificateNo)) {
        throw new InvalidStateError(`certificate ${certificateNo} was already issued`, { certificateNo });
      }
      const market = validateMarket(command.data.market);
      const qrPayload = requireText(command.data.qrPayload, 'qrPayload', 2000);
      const { requested, quantity } = takeFromAvailable(state, command.data.quantity);
      return [
        withBalance(state, {
          type: 'MarketEntryCertified',
          data: { traceCode: state.traceCode, certificateNo, market, quantity, requested, qrPayload, certifiedAt: now },
        }),
      ];
    }
    case 'PutOnHold': {
      const holdId = requireText(command.data.holdId, 'holdId', 100);
      if (state.holds[holdId]) throw new InvalidStateError(`lot ${state.traceCode} already carries hold ${holdId}`, { holdId });
      const owner = validateOwner(command.data.owner);
      const reason = requireText(command.data.reason, 'reason', 2000);
      const inheritedFrom = command.data.inheritedFrom ?? null;
      if (inheritedFrom !== null && !traceCodeParts(inheritedFrom)) {
        throw new ValidationError('inheritedFrom', 'inheritedFrom is not a well-formed trace code', { inheritedFrom });
      }
      return [{ type: 'LotPutOnHold', data: { traceCode: state.traceCode, holdId, owner, reason, inheritedFrom, heldAt: now } }];
    }
    case 'LiftHold': {
      const holdId = requireText(command.data.holdId, 'holdId', 100);
      const hold = state.holds[holdId];
      if (!hold) throw new InvalidStateError(`lot ${state.traceCode} carries no open hold ${holdId}`, { holdId });
      const decision = validateDecision(command.data.decision);
      if (!ownsHold(hold.owner, decision)) {
        throw new BusinessRuleError('HOLD_NOT_OWNED', `hold ${holdId} belongs to ${hold.owner.kind} ${hold.owner.id}; only its own decision lifts it`, {
          holdId,
          owner: { ...hold.owner },
          decision,
        });
      }
      const reason = requireText(command.data.reason, 'reason', 2000);
      return [
        {
          type: 'LotHoldLifted',
          data: { traceCode: state.traceCode, holdId, owner: { ...hold.owner }, decision, reason, liftedAt: now, liftedBy: ctx.actor.userId },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/**
 * A lot born from a held lot (a pending transfer confirmed after the hold) is born held: the same holds,
 * with the same ids and owners, so the owner's lifting decision reaches it too.
 */
export function inheritedHolds(parent: LotState): PutOnHold[] {
  return Object.values(parent.holds).map((h) => ({
    type: 'PutOnHold',
    data: { holdId: h.holdId, owner: { ...h.owner }, reason: h.inheritedFrom ? h.reason : `上游批次 ${parent.traceCode}：${h.reason}`, inheritedFrom: parent.traceCode },
  }));
}

/** Adds the lot's balance after the event (evolve ignores `balance`, so a placeholder is safe). */
type WithoutBalance<E> = E extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'balance'> } : never;
function withBalance<E extends Extract<LotEvent, { data: { balance: unknown } }>>(state: LotState, event: WithoutBalance<E>): E {
  const placeholder = { ...event, data: { ...event.data, balance: balanceOf(state) } } as unknown as E;
  const next = evolve(state, placeholder);
  return { ...placeholder, data: { ...placeholder.data, balance: balanceOf(next) } };
}

/** Converts to the lot's unit and checks 0 < amount ≤ available. */
function takeFromAvailable(state: LotState, requested: Quantity): { requested: Quantity; quantity: Quantity } {
  assertValidQuantity(requested, 'quantity');
  const quantity = convert(requested, state.quantity.unit, 'quantity');
  if (!isPositive(quantity)) throw new ValidationError('quantity.amount', 'quantity must be positive', { quantity: requested });
  const free = available(state);
  if (compare(quantity, free) > 0) {
    throw new BusinessRuleError(
      'INSUFFICIENT_QUANTITY',
      `lot ${state.traceCode} has ${formatQuantity(free)} available, ${formatQuantity(requested)} requested`,
      { traceCode: state.traceCode, requested, requestedInLotUnit: quantity, available: free },
    );
  }
  return { requested: { amount: requested.amount, unit: requested.unit }, quantity };
}

function openReservation(state: LotState, transferId: string): Quantity {
  requireText(transferId, 'transferId', 100);
  const reservation = state.reserved[transferId];
  if (!reservation) {
    const settled = state.settledTransfers[transferId];
    throw new InvalidStateError(
      settled ? `reservation for transfer ${transferId} was already ${settled}` : `no reservation for transfer ${transferId}`,
      { transferId, settled: settled ?? null },
    );
  }
  return reservation;
}

function validateCreate(d: CreateLot['data'], ctx: LotContext): CreateLot['data'] {
  const parts = traceCodeParts(d.traceCode);
  if (!parts) throw new ValidationError('traceCode', 'traceCode is not a well-formed, normalized trace code', { traceCode: d.traceCode });
  requireText(d.entityId, 'entityId', 100);
  if (!isValidEid(d.eid)) throw new ValidationError('eid', 'eid is not a valid e-ID', { eid: d.eid });
  if (parts.entitySegment !== entitySegmentOfEid(d.eid)) {
    throw new ValidationError('traceCode', 'the trace code’s entity segment does not belong to this eid', { traceCode: d.traceCode, eid: d.eid });
  }
  requireText(d.entityName, 'entityName');
  requireText(d.product, 'product', 200);
  assertValidQuantity(d.quantity, 'quantity');
  if (!isPositive(d.quantity)) throw new ValidationError('quantity.amount', 'quantity must be positive');
  if (!isIsoDate(d.productionDate)) throw new ValidationError('productionDate', 'productionDate must be YYYY-MM-DD');
  if (d.productionDate > cstDateString(ctx.now)) {
    throw new ValidationError('productionDate', 'productionDate is in the future', { productionDate: d.productionDate });
  }
  if (parts.productionDate !== d.productionDate) {
    throw new ValidationError('traceCode', 'the trace code’s date segment does not match productionDate', {
      traceCode: d.traceCode,
      productionDate: d.productionDate,
    });
  }
  return {
    traceCode: d.traceCode,
    entityId: d.entityId,
    eid: d.eid,
    entityName: d.entityName,
    product: d.product,
    quantity: { amount: d.quantity.amount, unit: d.quantity.unit },
    productionDate: d.productionDate,
    base: validateLotBase(d.base),
    origin: validateOrigin(d.origin, d.traceCode),
  };
}

function validateLotBase(b: LotBase): LotBase {
  if (typeof b !== 'object' || b === null) throw new ValidationError('base', 'base is required');
  requireText(b.baseId, 'base.baseId', 100);
  requireText(b.name, 'base.name');
  requireRegionCode(b.regionCode, 'base.regionCode');
  requireLatLon(b.lat, b.lon, 'base');
  return { baseId: b.baseId, name: b.name, regionCode: b.regionCode, lat: b.lat, lon: b.lon };
}

function validateOrigin(o: LotOrigin, traceCode: string): LotOrigin {
  if (typeof o !== 'object' || o === null) throw new ValidationError('origin', 'origin is required');
  if (o.kind === 'produced') return { kind: 'produced' };
  if (o.kind === 'transfer') {
    if (!traceCodeParts(o.parentTraceCode)) throw new ValidationError('origin.parentTraceCode', 'parentTraceCode is not a well-formed trace code');
    if (o.parentTraceCode === traceCode) throw new ValidationError('origin.parentTraceCode', 'a lot cannot be its own parent');
    return { kind: 'transfer', parentTraceCode: o.parentTraceCode, transferId: requireText(o.transferId, 'origin.transferId', 100) };
  }
  throw new ValidationError('origin.kind', "origin.kind must be 'produced' or 'transfer'");
}

export function validateReceiver(r: OffLedgerReceiver, field: string): OffLedgerReceiver {
  if (typeof r !== 'object' || r === null) throw new ValidationError(field, `${field} is required`);
  const name = requireText(r.name, `${field}.name`);
  const phone = optionalText(r.phone, `${field}.phone`, 40);
  const address = optionalText(r.address, `${field}.address`);
  return { name, ...(phone !== undefined ? { phone } : {}), ...(address !== undefined ? { address } : {}) };
}

function validateMarket(m: Market): Market {
  if (typeof m !== 'object' || m === null) throw new ValidationError('market', 'market is required');
  const name = requireText(m.name, 'market.name');
  if (!(MARKET_KINDS as readonly string[]).includes(m.kind)) {
    throw new ValidationError('market.kind', `market.kind must be one of ${MARKET_KINDS.join(', ')}`);
  }
  return { name, kind: m.kind, regionCode: requireRegionCode(m.regionCode, 'market.regionCode') };
}
