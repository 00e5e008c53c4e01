import type { Actor, DecisionContext, Role } from '../shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import { assertValidQuantity, isPositive } from '../shared/quantity';
import { requireText } from '../shared/validate';
import { validateReceiver } from '../lots/decide';
import { traceCodeParts } from '../lots/trace-code';
import { entitySegmentOfEid, isValidEid } from '../registration/eid';
import type { InitiateTransfer, TransferCommand } from './commands';
import type { TransferEvent } from './events';
import type { TransferState } from './state';
import type { RegisteredReceiver } from './types';

export type TransferContext = DecisionContext;

/** Supervision admins may act for a receiver (e.g. to settle a stuck transfer); so may the platform itself. */
export const ADMIN_ROLES: readonly Role[] = ['ministry-admin', 'province-admin', 'city-admin', 'county-admin', 'township-admin'];

export function isAdminRole(role: Role): boolean {
  return ADMIN_ROLES.includes(role);
}

/** Only the receiving entity (its users' orgId is the entity id), the system, or an admin may answer a transfer. */
export function assertIsReceiver(actor: Actor, to: RegisteredReceiver): void {
  if (actor.role === 'system' || isAdminRole(actor.role)) return;
  if (actor.orgId !== to.entityId) {
    throw new BusinessRuleError('NOT_RECEIVER', 'only the receiving entity may confirm or reject this transfer', {
      receiverEntityId: to.entityId,
      actorOrgId: actor.orgId,
    });
  }
}

export function decide(command: TransferCommand, state: TransferState, ctx: TransferContext): TransferEvent[] {
  const now = ctx.now.toISOString();
  switch (command.type) {
    case 'InitiateTransfer': {
      requireStatus(state, 'none', 'initiate');
      return [{ type: 'TransferInitiated', data: { ...validateInitiate(command.data), initiatedAt: now } }];
    }
    case 'ConfirmTransfer': {
      const to = pendingReceiver(state, 'confirm');
      assertIsReceiver(ctx.actor, to);
      const { childTraceCode } = command.data;
      const parts = traceCodeParts(childTraceCode);
      if (!parts) throw new ValidationError('childTraceCode', 'childTraceCode is not a well-formed trace code');
      if (childTraceCode === state.fromTraceCode) throw new ValidationError('childTraceCode', 'the child lot needs its own trace code');
      if (parts.entitySegment !== entitySegmentOfEid(to.eid)) {
        throw new ValidationError('childTraceCode', 'the child trace code must carry the receiver’s e-ID segment', {
          childTraceCode,
          receiverEid: to.eid,
        });
      }
      return [
        {
          type: 'TransferConfirmed',
          data: {
            transferId: state.transferId,
            fromTraceCode: state.fromTraceCode,
            childTraceCode,
            product: state.product ?? '',
            quantity: state.quantity,
            fromEntityId: state.fromEntityId,
            to,
            confirmedAt: now,
            confirmedBy: ctx.actor.userId,
          },
        },
      ];
    }
    case 'RejectTransfer': {
      const to = pendingReceiver(state, 'reject');
      assertIsReceiver(ctx.actor, to);
      const reason = requireText(command.data.reason, 'reason', 2000);
      return [
        {
          type: 'TransferRejected',
          data: {
            transferId: state.transferId,
            fromTraceCode: state.fromTraceCode,
            quantity: state.quantity,
            fromEntityId: state.fromEntityId,
            to,
            reason,
            rejectedAt: now,
            rejectedBy: ctx.actor.userId,
          },
        },
      ];
    }
    case 'RecordOffLedgerShipment': {
      requireStatus(state, 'none', 'record');
      const d = command.data;
      requireText(d.transferId, 'transferId', 100);
      requireWellFormedTraceCode(d.fromTraceCode, 'fromTraceCode');
      requireText(d.fromEntityId, 'fromEntityId', 100);
      requirePositive(d.quantity);
      const receiver = validateReceiver(d.receiver, 'receiver');
      return [
        {
          type: 'OffLedgerShipmentRecorded',
          data: {
            transferId: d.transferId,
            fromTraceCode: d.fromTraceCode,
            fromEntityId: d.fromEntityId,
            quantity: { amount: d.quantity.amount, unit: d.quantity.unit },
            receiver,
            recordedAt: now,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

function requireStatus(state: TransferState, expected: TransferState['status'], verb: string): void {
  if (state.status !== expected) {
    throw new InvalidStateError(`cannot ${verb} a transfer that is ${state.status}`, { status: state.status, transferId: state.transferId });
  }
}

function pendingReceiver(state: TransferState, verb: string): RegisteredReceiver {
  requireStatus(state, 'pending', verb);
  if (state.to?.kind !== 'registered') throw new InvalidStateError(`cannot ${verb} a transfer without a registered receiver`);
  return state.to;
}

function requireWellFormedTraceCode(code: string, field: string): void {
  if (!traceCodeParts(code)) throw new ValidationError(field, `${field} is not a well-formed trace code`, { value: code });
}

function requirePositive(q: InitiateTransfer['data']['quantity']): void {
  assertValidQuantity(q, 'quantity');
  if (!isPositive(q)) throw new ValidationError('quantity.amount', 'quantity must be positive');
}

function validateInitiate(d: InitiateTransfer['data']): InitiateTransfer['data'] {
  requireText(d.transferId, 'transferId', 100);
  requireWellFormedTraceCode(d.fromTraceCode, 'fromTraceCode');
  requireText(d.fromEntityId, 'fromEntityId', 100);
  if (!isValidEid(d.fromEid)) throw new ValidationError('fromEid', 'fromEid is not a valid e-ID');
  requireText(d.product, 'product', 200);
  requirePositive(d.quantity);
  const to = d.to;
  if (typeof to !== 'object' || to === null || to.kind !== 'registered') {
    throw new ValidationError('to.kind', "to.kind must be 'registered' (use RecordOffLedgerShipment for unregistered parties)");
  }
  requireText(to.entityId, 'to.entityId', 100);
  if (!isValidEid(to.eid)) throw new ValidationError('to.eid', 'to.eid is not a valid e-ID');
  requireText(to.name, 'to.name');
  if (to.entityId === d.fromEntityId || to.eid === d.fromEid) {
    throw new BusinessRuleError('SELF_TRANSFER', 'an entity cannot transfer a lot to itself', { entityId: d.fromEntityId });
  }
  return {
    transferId: d.transferId,
    fromTraceCode: d.fromTraceCode,
    fromEntityId: d.fromEntityId,
    fromEid: d.fromEid,
    product: d.product,
    quantity: { amount: d.quantity.amount, unit: d.quantity.unit },
    to: { kind: 'registered', entityId: to.entityId, eid: to.eid, name: to.name },
  };
}
