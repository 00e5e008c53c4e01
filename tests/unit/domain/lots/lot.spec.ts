import { BusinessRuleError, InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import {
  available,
  decider,
  lotStreamId,
  remaining,
  type CreateLot,
  type OffLedgerReceiver,
  type LotEvent,
} from '../../../../domain/lots';
import { NOW, spec } from '../support/decider-spec';
import { BUYER_EID, FARM_EID, LOT_BASE, traceCode } from '../support/fixtures';

const TRACE = traceCode();
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
const create = (patch: Partial<CreateLot['data']> = {}) => ({ type: 'CreateLot' as const, data: { ...createData, ...patch } });
const created: LotEvent = { type: 'LotCreated', data: { ...createData, createdAt: at } };
const kg = (amount: number) => ({ amount, unit: 'kg' as const });
const balance = (avail: number, reserved: number, shipped: number) => ({ available: kg(avail), reserved: kg(reserved), shipped: kg(shipped) });

const reserved30: LotEvent = {
  type: 'QuantityReserved',
  data: { traceCode: TRACE, transferId: 't-1', quantity: kg(30), requested: kg(30), reservedAt: at, balance: balance(70, 30, 0) },
};
const committed30: LotEvent = {
  type: 'ReservationCommitted',
  data: { traceCode: TRACE, transferId: 't-1', quantity: kg(30), committedAt: at, balance: balance(70, 0, 30) },
};
const released30: LotEvent = {
  type: 'ReservationReleased',
  data: { traceCode: TRACE, transferId: 't-1', quantity: kg(30), reason: '拒收', releasedAt: at, balance: balance(100, 0, 0) },
};

const lot = () => spec(decider);

describe('lot: CreateLot', () => {
  it('creates an active lot', () => {
    const { state } = lot().given([]).when(create()).then([created]);
    expect(state.status).toBe('active');
    expect(available(state)).toEqual(kg(100));
    expect(lotStreamId(TRACE)).toBe(`lot-${TRACE}`);
  });

  it('creates a child lot from a transfer', () => {
    const child = traceCode({ eid: BUYER_EID });
    const origin = { kind: 'transfer' as const, parentTraceCode: TRACE, transferId: 't-1' };
    lot()
      .given([])
      .when(create({ traceCode: child, eid: BUYER_EID, entityId: 'ent-2', origin }))
      .thenMatches(([e], state) => {
        expect(e).toMatchObject({ type: 'LotCreated', data: { origin } });
        expect(state.origin).toEqual(origin);
      });
  });

  it('refuses to create an existing lot', () => {
    lot().given([created]).when(create()).thenThrows(InvalidStateError);
  });

  it.each([
    ['traceCode', { traceCode: 'NOT-A-CODE' }],
    ['traceCode', { traceCode: traceCode({ eid: BUYER_EID }) }], // entity segment of someone else
    ['traceCode', { traceCode: traceCode({ date: '2026-03-08' }) }], // date segment ≠ productionDate
    ['eid', { eid: 'XXXXXXXXXXXX' }],
    ['product', { product: '' }],
    ['quantity.amount', { quantity: kg(0) }],
    ['quantity.unit', { quantity: { amount: 1, unit: 'bag' as never } }],
    ['productionDate', { productionDate: '2026-3-9' }],
    ['base.lat', { base: { ...LOT_BASE, lat: 0 } }],
    ['base.regionCode', { base: { ...LOT_BASE, regionCode: '000000' } }],
    ['origin.parentTraceCode', { origin: { kind: 'transfer' as const, parentTraceCode: TRACE, transferId: 't' } }], // its own parent
    ['origin.transferId', { origin: { kind: 'transfer' as const, parentTraceCode: traceCode({ sequence: 2 }), transferId: '' } }],
  ])('rejects a bad %s', (field, patch) => {
    lot().given([]).when(create(patch)).thenThrows(ValidationError, field);
  });

  it('refuses a production date after today (CST)', () => {
    const tomorrow = '2026-03-11';
    lot()
      .given([])
      .when(create({ productionDate: tomorrow, traceCode: traceCode({ date: tomorrow }) }))
      .thenThrows(ValidationError, 'productionDate');
    // 2026-03-10 00:30 CST is still 2026-03-09 in UTC: today in CST is allowed.
    const ctx = { now: new Date('2026-03-09T16:30:00Z'), actor: { userId: 'u', orgId: 'ent-1', role: 'producer' as const } };
    lot().given([]).when(create({ productionDate: '2026-03-10', traceCode: traceCode({ date: '2026-03-10' }) }), ctx).thenMatches(([e]) => expect(e!.type).toBe('LotCreated'));
  });
});

describe('lot: ReserveQuantity', () => {
  it('reserves part of the lot, converting to the lot unit and keeping the request as given', () => {
    const { state } = lot()
      .given([created])
      .when({ type: 'ReserveQuantity', data: { transferId: 't-1', quantity: { amount: 60, unit: 'jin' } } })
      .then([
        {
          type: 'QuantityReserved',
          data: { traceCode: TRACE, transferId: 't-1', quantity: kg(30), requested: { amount: 60, unit: 'jin' }, reservedAt: at, balance: balance(70, 30, 0) },
        },
      ]);
    expect(available(state)).toEqual(kg(70));
    expect(remaining(state)).toEqual(kg(100));
  });

  it('refuses more than is available, with requested and available in the details', () => {
    const err = lot().given([created, reserved30]).when({ type: 'ReserveQuantity', data: { transferId: 't-2', quantity: kg(70.001) } }).thenThrows(BusinessRuleError, 'INSUFFICIENT_QUANTITY');
    expect((err as BusinessRuleError).details).toMatchObject({ requested: kg(70.001), available: kg(70) });
  });

  it('refuses zero, incompatible units, and precision the lot unit cannot hold', () => {
    lot().given([created]).when({ type: 'ReserveQuantity', data: { transferId: 't-2', quantity: kg(0) } }).thenThrows(ValidationError, 'quantity.amount');
    lot().given([created]).when({ type: 'ReserveQuantity', data: { transferId: 't-2', quantity: { amount: 3, unit: 'box' } } }).thenThrows(ValidationError, 'unit');
    lot().given([created]).when({ type: 'ReserveQuantity', data: { transferId: 't-2', quantity: { amount: 0.1, unit: 'g' } } }).thenThrows(ValidationError, 'quantity.amount');
  });

  it('refuses a transfer id that already reserved, even after settling', () => {
    lot().given([created, reserved30]).when({ type: 'ReserveQuantity', data: { transferId: 't-1', quantity: kg(1) } }).thenThrows(InvalidStateError);
    lot().given([created, reserved30, released30]).when({ type: 'ReserveQuantity', data: { transferId: 't-1', quantity: kg(1) } }).thenThrows(InvalidStateError);
  });

  it('refuses on a lot that does not exist', () => {
    lot().given([]).when({ type: 'ReserveQuantity', data: { transferId: 't-1', quantity: kg(1) } }).thenThrows(InvalidStateError);
  });
});

describe('lot: CommitReservation', () => {
  it('turns the reservation into shipped quantity', () => {
    const { state } = lot().given([created, reserved30]).when({ type: 'CommitReservation', data: { transferId: 't-1' } }).then([committed30]);
    expect(state.shipped).toEqual(kg(30));
    expect(state.reserved).toEqual({});
    expect(remaining(state)).toEqual(kg(70));
  });

  it('refuses an unknown or already settled reservation', () => {
    lot().given([created]).when({ type: 'CommitReservation', data: { transferId: 't-9' } }).thenThrows(InvalidStateError);
    lot().given([created, reserved30, committed30]).when({ type: 'CommitReservation', data: { transferId: 't-1' } }).thenThrows(InvalidStateError);
    lot().given([created, reserved30, released30]).when({ type: 'CommitReservation', data: { transferId: 't-1' } }).thenThrows(InvalidStateError);
  });
});

describe('lot: ReleaseReservation', () => {
  it('returns the reserved quantity to available', () => {
    const { state } = lot().given([created, reserved30]).when({ type: 'ReleaseReservation', data: { transferId: 't-1', reason: '拒收' } }).then([released30]);
    expect(available(state)).toEqual(kg(100));
  });

  it('needs a reason and an open reservation', () => {
    lot().given([created, reserved30]).when({ type: 'ReleaseReservation', data: { transferId: 't-1', reason: '' } }).thenThrows(ValidationError, 'reason');
    lot().given([created, reserved30, committed30]).when({ type: 'ReleaseReservation', data: { transferId: 't-1', reason: 'x' } }).thenThrows(InvalidStateError);
  });
});

describe('lot: ShipOffLedger', () => {
  const receiver = { name: '王五（个体摊贩）', phone: '13900000000' };

  it('deducts directly and depletes the lot when everything has gone', () => {
    const { state } = lot()
      .given([created, reserved30, committed30])
      .when({ type: 'ShipOffLedger', data: { shipmentId: 's-1', quantity: { amount: 0.07, unit: 't' }, receiver } })
      .then([
        {
          type: 'ShippedOffLedger',
          data: { traceCode: TRACE, shipmentId: 's-1', quantity: kg(70), requested: { amount: 0.07, unit: 't' }, receiver, shippedAt: at, balance: balance(0, 0, 100) },
        },
      ]);
    expect(state.status).toBe('depleted');
  });

  it('refuses over-shipping, a duplicate shipment id, or a nameless receiver', () => {
    const ship = (shipmentId: string, amount: number, r: OffLedgerReceiver = receiver) => ({ type: 'ShipOffLedger' as const, data: { shipmentId, quantity: kg(amount), receiver: r } });
    lot().given([created, reserved30]).when(ship('s-1', 71)).thenThrows(BusinessRuleError, 'INSUFFICIENT_QUANTITY');
    const shipped: LotEvent = { type: 'ShippedOffLedger', data: { traceCode: TRACE, shipmentId: 's-1', quantity: kg(1), requested: kg(1), receiver, shippedAt: at, balance: balance(99, 0, 1) } };
    lot().given([created, shipped]).when(ship('s-1', 1)).thenThrows(InvalidStateError);
    lot().given([created]).when(ship('s-2', 1, { name: '' })).thenThrows(ValidationError, 'receiver.name');
  });
});

describe('lot: IssueMarketEntryCertificate', () => {
  const market = { name: '新发地农产品批发市场', kind: 'wholesale' as const, regionCode: '110106' };
  const certify = (certificateNo: string, amount: number, m = market) => ({
    type: 'IssueMarketEntryCertificate' as const,
    data: { certificateNo, market: m, quantity: kg(amount), qrPayload: `https://example.test/t/${TRACE}` },
  });

  it('certifies part of the lot, several times', () => {
    const first: LotEvent = {
      type: 'MarketEntryCertified',
      data: { traceCode: TRACE, certificateNo: 'C-1', market, quantity: kg(40), requested: kg(40), qrPayload: `https://example.test/t/${TRACE}`, certifiedAt: at, balance: balance(60, 0, 40) },
    };
    lot().given([created]).when(certify('C-1', 40)).then([first]);
    lot()
      .given([created, first])
      .when(certify('C-2', 60))
      .thenMatches((events, after) => {
        expect(events[0]).toMatchObject({ type: 'MarketEntryCertified', data: { balance: balance(0, 0, 100) } });
        expect(after.certificates).toEqual(['C-1', 'C-2']);
        expect(after.status).toBe('depleted');
      });
  });

  it('refuses more than available, a reused number, or a bad market', () => {
    lot().given([created, reserved30]).when(certify('C-1', 80)).thenThrows(BusinessRuleError, 'INSUFFICIENT_QUANTITY');
    const first: LotEvent = {
      type: 'MarketEntryCertified',
      data: { traceCode: TRACE, certificateNo: 'C-1', market, quantity: kg(1), requested: kg(1), qrPayload: 'x', certifiedAt: at, balance: balance(99, 0, 1) },
    };
    lot().given([created, first]).when(certify('C-1', 1)).thenThrows(InvalidStateError);
    lot().given([created]).when(certify('C-1', 1, { ...market, kind: 'supermarket' as never })).thenThrows(ValidationError, 'market.kind');
    lot().given([created]).when(certify('C-1', 1, { ...market, regionCode: '1101' })).thenThrows(ValidationError, 'market.regionCode');
  });
});
