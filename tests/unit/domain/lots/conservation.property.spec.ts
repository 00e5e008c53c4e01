import fc from 'fast-check';
import { DomainError } from '../../../../domain/shared/errors';
import { replay } from '../../../../domain/shared/decider';
import { add, compare, convert, toBaseUnit, type Quantity, type Unit } from '../../../../domain/shared/quantity';
import { available, balanceOf, decider, reservedTotal, type LotCommand, type LotEvent, type LotState } from '../../../../domain/lots';
import { NOW, defaultContext } from '../support/decider-spec';
import { FARM_EID, LOT_BASE, traceCode } from '../support/fixtures';

/** Lot units and, for each, units a command may use (one incompatible, which must be refused). */
const UNIT_FAMILIES: Record<string, Unit[]> = {
  kg: ['kg', 'g', 'jin', 't', 'box'],
  jin: ['jin', 'kg', 'g', 'piece'],
  t: ['t', 'kg', 'jin', 'head'],
  box: ['box', 'kg'],
};

const isCount = (unit: Unit) => unit === 'box' || unit === 'piece' || unit === 'head';

/**
 * Mostly a share (0.1 %–40 %) of the lot, written in the lot's unit or a compatible one; sometimes
 * zero, negative or an incompatible unit, which the decider must refuse.
 */
function quantityArb(lot: Quantity, units: Unit[]): fc.Arbitrary<Quantity> {
  const compatible = units.filter((u) => isCount(u) === isCount(lot.unit));
  const incompatible = units.filter((u) => isCount(u) !== isCount(lot.unit));
  const share = fc.integer({ min: 1, max: 400 }).chain((perMille) =>
    fc.constantFrom(...compatible).map((unit): Quantity => {
      const inLotUnit: Quantity = isCount(lot.unit)
        ? { amount: Math.max(1, Math.floor((lot.amount * perMille) / 1000)), unit: lot.unit }
        : { amount: Math.max(1, Math.floor(lot.amount * perMille)) / 1000, unit: lot.unit };
      try {
        return convert(inLotUnit, unit);
      } catch {
        return inLotUnit; // not representable in that unit: keep the lot's unit
      }
    }),
  );
  return fc.oneof(
    { weight: 8, arbitrary: share },
    { weight: 1, arbitrary: fc.constantFrom(0, -1).map((amount): Quantity => ({ amount, unit: lot.unit })) },
    { weight: 1, arbitrary: fc.constantFrom(...incompatible).map((unit): Quantity => ({ amount: 1, unit })) },
  );
}

function commandArb(lot: Quantity, units: Unit[]): fc.Arbitrary<LotCommand> {
  // Few transfer ids, so commits and releases often find the reservation; more document ids.
  const id = fc.constantFrom('t1', 't2', 't3');
  const docId = fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8');
  const quantity = quantityArb(lot, units);
  return fc.oneof(
    fc.record({ transferId: id, quantity }).map((data): LotCommand => ({ type: 'ReserveQuantity', data })),
    id.map((transferId): LotCommand => ({ type: 'CommitReservation', data: { transferId } })),
    id.map((transferId): LotCommand => ({ type: 'ReleaseReservation', data: { transferId, reason: 'rejected by receiver' } })),
    fc.record({ shipmentId: docId, quantity }).map((d): LotCommand => ({ type: 'ShipOffLedger', data: { ...d, receiver: { name: '个体户' } } })),
    fc.record({ certificateNo: docId, quantity }).map(
      (d): LotCommand => ({
        type: 'IssueMarketEntryCertificate',
        data: { ...d, market: { name: '批发市场', kind: 'wholesale', regionCode: '110106' }, qrPayload: 'https://x.test/t/1' },
      }),
    ),
  );
}

const scenario = fc
  .constantFrom(...Object.keys(UNIT_FAMILIES))
  .chain((lotUnit) =>
    (lotUnit === 'box' ? fc.integer({ min: 1, max: 200 }) : fc.integer({ min: 1, max: 200_000 }).map((m) => m / 1000)).map(
      (amount): Quantity => ({ amount, unit: lotUnit as Unit }),
    ),
  )
  .chain((initial) =>
    fc.record({ initial: fc.constant(initial), commands: fc.array(commandArb(initial, UNIT_FAMILIES[initial.unit]!), { minLength: 5, maxLength: 40, size: 'medium' }) }),
  );

const base = (q: Quantity) => toBaseUnit(q).amount;

function assertConserved(state: LotState): void {
  const { available: free, reserved, shipped } = balanceOf(state);
  for (const part of [free, reserved, shipped]) expect(base(part)).toBeGreaterThanOrEqual(0);
  expect(base(free) + base(reserved) + base(shipped)).toBe(base(state.quantity));
  expect(compare(add(add(free, reserved), shipped), state.quantity)).toBe(0);
  expect(state.status).toBe(base(shipped) === base(state.quantity) ? 'depleted' : 'active');
}

describe('lot quantity conservation (property)', () => {
  it('quantity = available + reserved + shipped after any sequence of accepted commands; nothing negative', () => {
    const acceptedByType: Record<string, number> = {};
    fc.assert(
      fc.property(scenario, ({ initial, commands }) => {
        const lotUnit = initial.unit;
        const created: LotEvent = {
          type: 'LotCreated',
          data: {
            traceCode: traceCode(),
            entityId: 'ent-1',
            eid: FARM_EID,
            entityName: '合作社',
            product: '豇豆',
            quantity: initial,
            productionDate: '2026-03-09',
            base: LOT_BASE,
            origin: { kind: 'produced' },
            createdAt: NOW.toISOString(),
          },
        };
        const log: LotEvent[] = [created];
        let state = decider.evolve(decider.initialState(), created);
        assertConserved(state);

        for (const command of commands) {
          let events: LotEvent[];
          try {
            events = decider.decide(command, state, defaultContext);
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError); // refused commands fail cleanly, never with a crash
            continue;
          }
          acceptedByType[command.type] = (acceptedByType[command.type] ?? 0) + 1;
          const before = base(available(state));
          for (const event of events) {
            state = decider.evolve(state, event);
            log.push(event);
            if ('balance' in event.data) expect(event.data.balance).toEqual(balanceOf(state));
            if ('quantity' in event.data && event.type !== 'LotCreated') expect(event.data.quantity.unit).toBe(lotUnit);
          }
          assertConserved(state);
          // Only a release may increase what is available.
          if (command.type !== 'ReleaseReservation') expect(base(available(state))).toBeLessThanOrEqual(before);
        }

        expect(replay(decider, log)).toEqual(state); // replaying the log rebuilds the same state
        expect(base(reservedTotal(state))).toBe(Object.values(state.reserved).reduce((s, q) => s + base(q), 0));
      }),
      { numRuns: 300 },
    );
    // The generator must reach every command often enough for the property to mean something.
    for (const type of ['ReserveQuantity', 'CommitReservation', 'ReleaseReservation', 'ShipOffLedger', 'IssueMarketEntryCertificate']) {
      expect(acceptedByType[type] ?? 0).toBeGreaterThan(50);
    }
  });
});
