import type { Actor } from '../../../../domain/shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import {
  decider,
  transferStreamId,
  type InitiateTransfer,
  type TransferEvent,
} from '../../../../domain/transfers';
import { NOW, PRODUCER, spec } from '../support/decider-spec';
import { BUYER_EID, FARM_EID, traceCode } from '../support/fixtures';

const at = NOW.toISOString();
const FROM = traceCode();
const CHILD = traceCode({ eid: BUYER_EID, region: '110101' });
const to = { kind: 'registered' as const, entityId: 'ent-2', eid: BUYER_EID, name: '东城鲜品超市' };
const initiateData: InitiateTransfer['data'] = {
  transferId: 'tr-1',
  fromTraceCode: FROM,
  fromEntityId: 'ent-1',
  fromEid: FARM_EID,
  product: '豇豆',
  quantity: { amount: 30, unit: 'kg' },
  to,
};
const initiate = (patch: Partial<InitiateTransfer['data']> = {}) => ({ type: 'InitiateTransfer' as const, data: { ...initiateData, ...patch } });
const initiated: TransferEvent = { type: 'TransferInitiated', data: { ...initiateData, initiatedAt: at } };

const RECEIVER: Actor = { userId: 'u-buyer', orgId: 'ent-2', role: 'producer' };
const asReceiver = { now: NOW, actor: RECEIVER };
const confirmed: TransferEvent = {
  type: 'TransferConfirmed',
  data: {
    transferId: 'tr-1',
    fromTraceCode: FROM,
    childTraceCode: CHILD,
    product: '豇豆',
    quantity: { amount: 30, unit: 'kg' },
    fromEntityId: 'ent-1',
    to,
    confirmedAt: at,
    confirmedBy: 'u-buyer',
  },
};
const rejected: TransferEvent = {
  type: 'TransferRejected',
  data: { transferId: 'tr-1', fromTraceCode: FROM, quantity: { amount: 30, unit: 'kg' }, fromEntityId: 'ent-1', to, reason: '质量不符', rejectedAt: at, rejectedBy: 'u-buyer' },
};
const confirm = (childTraceCode = CHILD) => ({ type: 'ConfirmTransfer' as const, data: { childTraceCode } });
const reject = (reason = '质量不符') => ({ type: 'RejectTransfer' as const, data: { reason } });

const transfer = () => spec(decider);

describe('transfer: InitiateTransfer', () => {
  it('opens a pending transfer to a registered entity', () => {
    const { state } = transfer().given([]).when(initiate()).then([initiated]);
    expect(state.status).toBe('pending');
    expect(transferStreamId('tr-1')).toBe('transfer-tr-1');
  });

  it('refuses shipping to yourself', () => {
    transfer().given([]).when(initiate({ to: { ...to, entityId: 'ent-1' } })).thenThrows(BusinessRuleError, 'SELF_TRANSFER');
    transfer().given([]).when(initiate({ to: { ...to, eid: FARM_EID } })).thenThrows(BusinessRuleError, 'SELF_TRANSFER');
  });

  it.each([
    ['fromTraceCode', { fromTraceCode: 'abc' }],
    ['fromEid', { fromEid: 'abc' }],
    ['product', { product: '' }],
    ['quantity.amount', { quantity: { amount: -1, unit: 'kg' as const } }],
    ['to.kind', { to: { ...to, kind: 'unregistered' as never } }],
    ['to.eid', { to: { ...to, eid: 'abc' } }],
    ['to.name', { to: { ...to, name: '' } }],
  ])('rejects a bad %s', (field, patch) => {
    transfer().given([]).when(initiate(patch)).thenThrows(ValidationError, field);
  });

  it('refuses to initiate the same transfer twice', () => {
    transfer().given([initiated]).when(initiate()).thenThrows(InvalidStateError);
  });
});

describe('transfer: ConfirmTransfer', () => {
  it('is confirmed by the receiver, naming the child lot', () => {
    const { state } = transfer().given([initiated]).when(confirm(), asReceiver).then([confirmed]);
    expect(state).toMatchObject({ status: 'confirmed', childTraceCode: CHILD });
  });

  it('may be confirmed by the system or a supervision admin on the receiver’s behalf', () => {
    for (const actor of [
      { userId: 'system', orgId: 'platform', role: 'system' as const },
      { userId: 'u-admin', orgId: 'county-110101', role: 'county-admin' as const },
    ]) {
      transfer().given([initiated]).when(confirm(), { now: NOW, actor }).thenMatches(([e]) => expect(e!.type).toBe('TransferConfirmed'));
    }
  });

  it('refuses anyone else, including the sender', () => {
    transfer().given([initiated]).when(confirm(), { now: NOW, actor: PRODUCER }).thenThrows(BusinessRuleError, 'NOT_RECEIVER');
    transfer().given([initiated]).when(confirm(), { now: NOW, actor: { userId: 'x', orgId: 'ent-3', role: 'inspector' } }).thenThrows(BusinessRuleError, 'NOT_RECEIVER');
  });

  it('refuses confirming twice, confirming a rejected transfer, or one never initiated', () => {
    transfer().given([initiated, confirmed]).when(confirm(), asReceiver).thenThrows(InvalidStateError);
    transfer().given([initiated, rejected]).when(confirm(), asReceiver).thenThrows(InvalidStateError);
    transfer().given([]).when(confirm(), asReceiver).thenThrows(InvalidStateError);
  });

  it('needs a child trace code of the receiver, different from the parent', () => {
    transfer().given([initiated]).when(confirm('bad'), asReceiver).thenThrows(ValidationError, 'childTraceCode');
    transfer().given([initiated]).when(confirm(FROM), asReceiver).thenThrows(ValidationError, 'childTraceCode');
    transfer().given([initiated]).when(confirm(traceCode({ sequence: 7 })), asReceiver).thenThrows(ValidationError, 'childTraceCode');
  });
});

describe('transfer: RejectTransfer', () => {
  it('is rejected by the receiver with a reason', () => {
    const { state } = transfer().given([initiated]).when(reject(), asReceiver).then([rejected]);
    expect(state).toMatchObject({ status: 'rejected', rejectionReason: '质量不符' });
  });

  it('refuses others, an empty reason, and anything but a pending transfer', () => {
    transfer().given([initiated]).when(reject(), { now: NOW, actor: PRODUCER }).thenThrows(BusinessRuleError, 'NOT_RECEIVER');
    transfer().given([initiated]).when(reject(' '), asReceiver).thenThrows(ValidationError, 'reason');
    transfer().given([initiated, confirmed]).when(reject(), asReceiver).thenThrows(InvalidStateError);
    transfer().given([initiated, rejected]).when(reject(), asReceiver).thenThrows(InvalidStateError);
  });
});

describe('transfer: RecordOffLedgerShipment', () => {
  const data = { transferId: 'tr-9', fromTraceCode: FROM, fromEntityId: 'ent-1', quantity: { amount: 5, unit: 'kg' as const }, receiver: { name: '赵六', address: '东城区某菜市场' } };
  const record = (patch: Partial<typeof data> = {}) => ({ type: 'RecordOffLedgerShipment' as const, data: { ...data, ...patch } });
  const recorded: TransferEvent = { type: 'OffLedgerShipmentRecorded', data: { ...data, recordedAt: at } };

  it('closes at once: the chain ends with an unregistered party', () => {
    const { state } = transfer().given([]).when(record()).then([recorded]);
    expect(state).toMatchObject({ status: 'closed', to: { kind: 'unregistered', name: '赵六' } });
  });

  it('cannot be confirmed, rejected or recorded again', () => {
    transfer().given([recorded]).when(confirm(), asReceiver).thenThrows(InvalidStateError);
    transfer().given([recorded]).when(reject(), asReceiver).thenThrows(InvalidStateError);
    transfer().given([recorded]).when(record()).thenThrows(InvalidStateError);
    transfer().given([initiated]).when(record()).thenThrows(InvalidStateError);
  });

  it('rejects a nameless receiver, zero quantity or a bad trace code', () => {
    transfer().given([]).when(record({ receiver: { name: '', address: 'x' } })).thenThrows(ValidationError, 'receiver.name');
    transfer().given([]).when(record({ quantity: { amount: 0, unit: 'kg' } })).thenThrows(ValidationError, 'quantity.amount');
    transfer().given([]).when(record({ fromTraceCode: '123' })).thenThrows(ValidationError, 'fromTraceCode');
  });
});
