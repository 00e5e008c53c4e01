import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import {
  decider,
  inheritedHolds,
  isOnHold,
  ownsHold,
  type CreateLot,
  type HoldOwner,
  type LotCommand,
  type LotEvent,
  type LotState,
} from '../../../../domain/lots';
import { NOW, PRODUCER, spec } from '../support/decider-spec';
import { BUYER_EID, FARM_EID, LOT_BASE, traceCode } from '../support/fixtures';

/** 暂停销售: a held lot keeps its goods in the chain until the decision that owns the hold lifts it. */
const TRACE = traceCode();
const CHILD = traceCode({ eid: BUYER_EID });
const at = NOW.toISOString();
const createData: CreateLot['data'] = {
  traceCode: TRACE,
  entityId: 'ent-1',
  eid: FARM_EID,
  entityName: '绿源合作社',
  product: '豇豆',
  quantity: { amount: 100, unit: 'kg' },
  productionDate: '2026-03-09',
  base: LOT_BASE,
  origin: { kind: 'produced' },
};
const kg = (amount: number) => ({ amount, unit: 'kg' as const });
const balance = (avail: number, reserved: number, shipped: number) => ({ available: kg(avail), reserved: kg(reserved), shipped: kg(shipped) });
const created: LotEvent = { type: 'LotCreated', data: { ...createData, createdAt: at } };
const reserved30: LotEvent = {
  type: 'QuantityReserved',
  data: { traceCode: TRACE, transferId: 't-1', quantity: kg(30), requested: kg(30), reservedAt: at, balance: balance(70, 30, 0) },
};

const failedResult: HoldOwner = { kind: 'failed-result', id: 'sample-1', caseId: 'case-1' };
const putOnHold: LotCommand = { type: 'PutOnHold', data: { holdId: 'hold-1', owner: failedResult, reason: '豇豆抽检不合格：噻虫胺' } };
const held: LotEvent = {
  type: 'LotPutOnHold',
  data: { traceCode: TRACE, holdId: 'hold-1', owner: failedResult, reason: '豇豆抽检不合格：噻虫胺', inheritedFrom: null, heldAt: at },
};
const retestPassed = { kind: 'retest-passed' as const, sampleId: 'sample-1' };
const lift = (decision: Extract<LotCommand, { type: 'LiftHold' }>['data']['decision'], reason = '复检合格'): LotCommand => ({
  type: 'LiftHold',
  data: { holdId: 'hold-1', decision, reason },
});

const ship: LotCommand = { type: 'ReserveQuantity', data: { transferId: 't-2', quantity: kg(10) } };
const sellOffLedger: LotCommand = { type: 'ShipOffLedger', data: { shipmentId: 's-1', quantity: kg(10), receiver: { name: '个体户' } } };
const certify: LotCommand = {
  type: 'IssueMarketEntryCertificate',
  data: { certificateNo: 'C-1', quantity: kg(10), market: { name: '新发地', kind: 'wholesale', regionCode: '110106' }, qrPayload: 'https://x.test/t/1' },
};

const lot = () => spec(decider);

describe('lot holds: PutOnHold', () => {
  it('puts the lot on hold, naming the owner', () => {
    const { state } = lot().given([created]).when(putOnHold).then([held]);
    expect(isOnHold(state)).toBe(true);
    expect(state.holds['hold-1']).toMatchObject({ owner: failedResult, inheritedFrom: null });
  });

  it('a hold is put once per lot', () => {
    lot().given([created, held]).when(putOnHold).thenThrows(InvalidStateError, 'INVALID_STATE');
  });

  it('names a known owner kind', () => {
    lot()
      .given([created])
      .when({ type: 'PutOnHold', data: { holdId: 'h', owner: { kind: 'rumour', id: 'x' } as unknown as HoldOwner, reason: 'r' } })
      .thenThrows(ValidationError, 'owner.kind');
  });

  it('needs a reason', () => {
    lot().given([created]).when({ type: 'PutOnHold', data: { holdId: 'h', owner: failedResult, reason: ' ' } }).thenThrows(ValidationError, 'reason');
  });
});

describe('lot holds: a held lot keeps its goods', () => {
  for (const [name, command] of [
    ['ship to a registered entity', ship],
    ['sell off the ledger', sellOffLedger],
    ['get a market-entry certificate', certify],
  ] as const) {
    it(`refuses to ${name} with LOT_ON_HOLD naming the hold and its case`, () => {
      const err = lot().given([created, held]).when(command).thenThrows(BusinessRuleError, 'LOT_ON_HOLD') as BusinessRuleError;
      expect(err.details).toMatchObject({ traceCode: TRACE, holdId: 'hold-1', reason: '豇豆抽检不合格：噻虫胺', caseId: 'case-1', sampleId: 'sample-1', incidentId: null });
    });
  }

  it('an incident hold names its incident', () => {
    const incidentHeld: LotEvent = { type: 'LotPutOnHold', data: { ...held.data, holdId: 'hold-i', owner: { kind: 'incident', id: 'inc-1' } } as never };
    const err = lot().given([created, incidentHeld]).when(certify).thenThrows(BusinessRuleError, 'LOT_ON_HOLD') as BusinessRuleError;
    expect(err.details).toMatchObject({ holdId: 'hold-i', incidentId: 'inc-1', caseId: null });
  });

  it('a pending transfer of a lot put on hold can still be confirmed (or rejected)', () => {
    lot()
      .given([created, reserved30, held])
      .when({ type: 'CommitReservation', data: { transferId: 't-1' } })
      .then([{ type: 'ReservationCommitted', data: { traceCode: TRACE, transferId: 't-1', quantity: kg(30), committedAt: at, balance: balance(70, 0, 30) } }]);
    lot()
      .given([created, reserved30, held])
      .when({ type: 'ReleaseReservation', data: { transferId: 't-1', reason: '拒收' } })
      .thenMatches((events) => expect(events[0]!.type).toBe('ReservationReleased'));
  });

  it('ships again once the hold is lifted', () => {
    const lifted: LotEvent = {
      type: 'LotHoldLifted',
      data: { traceCode: TRACE, holdId: 'hold-1', owner: failedResult, decision: retestPassed, reason: '复检合格', liftedAt: at, liftedBy: PRODUCER.userId },
    };
    lot().given([created, held, lifted]).when(sellOffLedger).thenMatches((events) => expect(events[0]!.type).toBe('ShippedOffLedger'));
  });
});

describe('lot holds: LiftHold, only by the owner’s decision', () => {
  it('a passing re-test of the same sample lifts a failed-result hold', () => {
    const { state } = lot()
      .given([created, held])
      .when(lift(retestPassed))
      .then([
        {
          type: 'LotHoldLifted',
          data: { traceCode: TRACE, holdId: 'hold-1', owner: failedResult, decision: retestPassed, reason: '复检合格', liftedAt: at, liftedBy: PRODUCER.userId },
        },
      ]);
    expect(isOnHold(state)).toBe(false);
  });

  it('enforcement closing the case it was referred to lifts it', () => {
    lot()
      .given([created, held])
      .when(lift({ kind: 'case-closed', caseId: 'case-1', outcome: 'rectified' }, '整改完成，准予销售'))
      .thenMatches((events, state) => {
        expect(events[0]).toMatchObject({ type: 'LotHoldLifted', data: { decision: { kind: 'case-closed', caseId: 'case-1' }, reason: '整改完成，准予销售' } });
        expect(isOnHold(state)).toBe(false);
      });
  });

  it.each([
    ['another sample’s re-test', { kind: 'retest-passed' as const, sampleId: 'sample-2' }],
    ['another case closing', { kind: 'case-closed' as const, caseId: 'case-2', outcome: 'no-violation' }],
    ['an incident closing', { kind: 'incident-closed' as const, incidentId: 'inc-1' }],
  ])('refuses %s (HOLD_NOT_OWNED)', (_name, decision) => {
    lot().given([created, held]).when(lift(decision)).thenThrows(BusinessRuleError, 'HOLD_NOT_OWNED');
  });

  it('lifting a hold the lot does not carry is refused', () => {
    lot().given([created]).when(lift(retestPassed)).thenThrows(InvalidStateError, 'INVALID_STATE');
  });

  it('lifting names its reason', () => {
    lot().given([created, held]).when(lift(retestPassed, '')).thenThrows(ValidationError, 'reason');
  });

  it('one lift leaves the other holds in place', () => {
    const incidentHeld: LotEvent = { type: 'LotPutOnHold', data: { ...held.data, holdId: 'hold-i', owner: { kind: 'incident', id: 'inc-1' } } as never };
    lot()
      .given([created, held, incidentHeld])
      .when(lift(retestPassed))
      .thenMatches((_e, state) => {
        expect(Object.keys(state.holds)).toEqual(['hold-i']);
      });
    lot().given([created, held, incidentHeld]).when(ship).thenThrows(BusinessRuleError, 'LOT_ON_HOLD');
  });
});

describe('lot holds: ownership', () => {
  it('a case hold is lifted only by that case closing; an incident hold only by that incident', () => {
    expect(ownsHold({ kind: 'case', id: 'c' }, { kind: 'case-closed', caseId: 'c', outcome: 'penalized' })).toBe(true);
    expect(ownsHold({ kind: 'case', id: 'c' }, { kind: 'retest-passed', sampleId: 'c' })).toBe(false);
    expect(ownsHold({ kind: 'incident', id: 'i' }, { kind: 'incident-closed', incidentId: 'i' })).toBe(true);
    expect(ownsHold({ kind: 'incident', id: 'i' }, { kind: 'case-closed', caseId: 'i', outcome: 'x' })).toBe(false);
    expect(ownsHold({ kind: 'failed-result', id: 's', caseId: null }, { kind: 'case-closed', caseId: 'null', outcome: 'x' })).toBe(false);
  });
});

describe('lot holds: a child born from a held lot is born held', () => {
  it('inherits every hold with the same id and owner, naming its parent', () => {
    const parent: LotState = [created, reserved30, held].reduce(decider.evolve, decider.initialState());
    const child: LotEvent = {
      type: 'LotCreated',
      data: { ...createData, traceCode: CHILD, eid: BUYER_EID, entityId: 'ent-2', quantity: kg(30), origin: { kind: 'transfer', parentTraceCode: TRACE, transferId: 't-1' }, createdAt: at },
    };
    const commands = inheritedHolds(parent);
    expect(commands).toEqual([
      { type: 'PutOnHold', data: { holdId: 'hold-1', owner: failedResult, reason: `上游批次 ${TRACE}：豇豆抽检不合格：噻虫胺`, inheritedFrom: TRACE } },
    ]);
    const { state } = lot()
      .given([child])
      .when(commands[0]!)
      .then([{ type: 'LotPutOnHold', data: { traceCode: CHILD, holdId: 'hold-1', owner: failedResult, reason: `上游批次 ${TRACE}：豇豆抽检不合格：噻虫胺`, inheritedFrom: TRACE, heldAt: at } }]);
    lot().given([child, { type: 'LotPutOnHold', data: { ...held.data, traceCode: CHILD, inheritedFrom: TRACE } }]).when(ship).thenThrows(BusinessRuleError, 'LOT_ON_HOLD');
    expect(isOnHold(state)).toBe(true);
  });

  it('a lot without holds passes none on', () => {
    expect(inheritedHolds([created].reduce(decider.evolve, decider.initialState()))).toEqual([]);
  });
});
