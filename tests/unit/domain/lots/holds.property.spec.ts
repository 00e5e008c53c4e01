import fc from 'fast-check';
import { DomainError } from '../../../../domain/shared/errors';
import { decider, inheritedHolds, isOnHold, ownsHold, type HoldLiftDecision, type HoldOwner, type LotCommand, type LotEvent, type LotState } from '../../../../domain/lots';
import { NOW, defaultContext } from '../support/decider-spec';
import { FARM_EID, LOT_BASE, traceCode } from '../support/fixtures';

/**
 * The invariant behind 暂停销售: whatever the order of commands, nothing leaves a lot while it carries a
 * hold, and a hold disappears only through its owner's decision.
 */
const OWNERS: Record<string, HoldOwner> = {
  h1: { kind: 'failed-result', id: 's1', caseId: 'c1' },
  h2: { kind: 'case', id: 'c2' },
  h3: { kind: 'incident', id: 'i1' },
};
const DECISIONS: HoldLiftDecision[] = [
  { kind: 'retest-passed', sampleId: 's1' },
  { kind: 'retest-passed', sampleId: 's9' },
  { kind: 'case-closed', caseId: 'c1', outcome: 'rectified' },
  { kind: 'case-closed', caseId: 'c2', outcome: 'penalized' },
  { kind: 'incident-closed', incidentId: 'i1' },
  { kind: 'incident-closed', incidentId: 'i9' },
];
const LEAVING: LotEvent['type'][] = ['QuantityReserved', 'ShippedOffLedger', 'MarketEntryCertified'];

const kg = (amount: number) => ({ amount, unit: 'kg' as const });
const holdId = fc.constantFrom('h1', 'h2', 'h3');
const id = fc.constantFrom('t1', 't2', 't3', 'd1', 'd2', 'd3', 'd4');
const amount = fc.integer({ min: 1, max: 30 }).map(kg);

const command: fc.Arbitrary<LotCommand> = fc.oneof(
  fc.record({ transferId: id, quantity: amount }).map((data): LotCommand => ({ type: 'ReserveQuantity', data })),
  id.map((transferId): LotCommand => ({ type: 'CommitReservation', data: { transferId } })),
  id.map((transferId): LotCommand => ({ type: 'ReleaseReservation', data: { transferId, reason: '拒收' } })),
  fc.record({ shipmentId: id, quantity: amount }).map((d): LotCommand => ({ type: 'ShipOffLedger', data: { ...d, receiver: { name: '个体户' } } })),
  fc.record({ certificateNo: id, quantity: amount }).map(
    (d): LotCommand => ({ type: 'IssueMarketEntryCertificate', data: { ...d, market: { name: '市场', kind: 'retail', regionCode: '110106' }, qrPayload: 'q' } }),
  ),
  holdId.map((h): LotCommand => ({ type: 'PutOnHold', data: { holdId: h, owner: OWNERS[h]!, reason: '风险' } })),
  fc.record({ h: holdId, decision: fc.constantFrom(...DECISIONS) }).map(({ h, decision }): LotCommand => ({ type: 'LiftHold', data: { holdId: h, decision, reason: '解除' } })),
);

const TRACE = traceCode();
const created: LotEvent = {
  type: 'LotCreated',
  data: {
    traceCode: TRACE,
    entityId: 'ent-1',
    eid: FARM_EID,
    entityName: '绿源合作社',
    product: '豇豆',
    quantity: kg(200),
    productionDate: '2026-03-09',
    base: LOT_BASE,
    origin: { kind: 'produced' },
    createdAt: NOW.toISOString(),
  },
};

function run(commands: LotCommand[], check: (before: LotState, cmd: LotCommand, events: LotEvent[]) => void): LotState {
  let state = decider.evolve(decider.initialState(), created);
  for (const cmd of commands) {
    let events: LotEvent[] = [];
    try {
      events = decider.decide(cmd, state, defaultContext);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
    check(state, cmd, events);
    state = events.reduce(decider.evolve, state);
  }
  return state;
}

describe('lot holds (property)', () => {
  it('no sequence of commands moves goods out of a held lot', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), (commands) => {
        run(commands, (before, _cmd, events) => {
          if (isOnHold(before)) expect(events.filter((e) => LEAVING.includes(e.type))).toEqual([]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a hold goes only by its owner’s decision, and the state is what the events say', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60 }), (commands) => {
        const open = new Set<string>();
        const final = run(commands, (before, cmd, events) => {
          for (const e of events) {
            if (e.type === 'LotPutOnHold') open.add(e.data.holdId);
            if (e.type === 'LotHoldLifted') {
              expect(cmd.type).toBe('LiftHold');
              expect(ownsHold(before.holds[e.data.holdId]!.owner, e.data.decision)).toBe(true);
              open.delete(e.data.holdId);
            }
          }
        });
        expect(Object.keys(final.holds).sort()).toEqual([...open].sort());
        // A child born now would carry exactly the open holds, under the same ids and owners.
        expect(inheritedHolds(final).map((c) => [c.data.holdId, c.data.owner])).toEqual(Object.values(final.holds).map((h) => [h.holdId, h.owner]));
      }),
      { numRuns: 300 },
    );
  });
});
