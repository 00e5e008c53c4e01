import type { RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadStore } from '../../../../application/ports/read-store';
import { lotsProjection } from '../../../../projections/lots/lots.projection';
import { BatchContext } from '../../../../projections/runner/batch-context';

/**
 * The holds part of the `lots` read model, folded from events in order through the runner's own batch
 * context (which keeps one write per document and event), over an empty store.
 */
function memory() {
  const store = { get: async () => null } as unknown as ReadStore;
  let position = 0;
  let batch = new BatchContext(store, (c) => c);
  const docs = {
    get: (id: string) => batch.peek('lots', id),
    /** The lot's hold history: its own document, not part of the lot's (decision 0021). */
    history: (id: string) => batch.peek('lot_hold_history', id),
  };
  const apply = async (type: string, data: Record<string, unknown>) => {
    batch.position = ++position;
    await lotsProjection.apply({ type, data, position, streamId: 's', revision: 0, schemaVersion: 1 } as unknown as RecordedEvent, batch);
  };
  return { docs, apply, reset: () => (batch = new BatchContext(store, (c) => c)) };
}

const TRACE = 'LOT-A';
const created = {
  traceCode: TRACE, entityId: 'ent-1', eid: '469027ABCDE1234', entityName: '合作社', product: '豇豆', quantity: { amount: 100, unit: 'kg' },
  productionDate: '2026-11-20', base: { baseId: 'b', name: '基地', regionCode: '469027', lat: 18.6, lon: 108.7 }, origin: { kind: 'produced' }, createdAt: '2026-11-20T00:00:00Z',
};
const owner = { kind: 'failed-result', id: 'sample-1', caseId: 'case-1' };
const held = { traceCode: TRACE, holdId: 'HL1', owner, reason: '豇豆抽检不合格', inheritedFrom: null, heldAt: '2026-11-21T00:00:00Z' };
const warning = (id: string, sampleId = 'sample-1') => ({
  warningId: id, rule: { indicator: 'failedResult', level: 'orange' }, subject: { kind: 'lot', regionCode: '469027', traceCode: TRACE, entityId: 'ent-1', entityName: '合作社', product: '豇豆', transferId: null, sampleId },
  reason: '豇豆抽检不合格', cause: { kind: 'sample', ref: sampleId, sampleId, sourceTraceCode: TRACE, sourceWarningId: null }, hold: true, evidence: {}, raisedAt: '2026-11-21T00:00:00Z',
});

describe('lots read model: holds', () => {
  it('files a hold from the lot stream; its warning adds the level; closing the warning leaves it; the owner’s lifting removes it, and the history keeps both', async () => {
    const { docs, apply } = memory();
    await apply('LotCreated', created);
    await apply('LotPutOnHold', held);
    await apply('WarningRaised', warning('W1'));
    expect(docs.get(TRACE)!.holds).toEqual([expect.objectContaining({ holdId: 'HL1', caseId: 'case-1', warningId: 'W1', level: 'orange', legacy: false })]);
    expect(docs.get(TRACE)!.holdKeys).toEqual(expect.arrayContaining(['hold:HL1', 'sample:sample-1', 'case:case-1']));
    await apply('WarningClosed', { warningId: 'W1', subject: warning('W1').subject, hold: true, reason: 'x', resolution: 'handled', closedAt: 'z', closedBy: 'u' });
    expect(docs.get(TRACE)!.holds).toHaveLength(1);
    await apply('LotHoldLifted', { traceCode: TRACE, holdId: 'HL1', owner, decision: { kind: 'retest-passed', sampleId: 'sample-1' }, reason: '复检合格', liftedAt: '2026-11-22T00:00:00Z', liftedBy: 'u' });
    const lot = docs.get(TRACE)!;
    expect(lot.holds).toEqual([]);
    expect(lot.holdKeys).toEqual([]);
    expect(lot.holdHistory).toBeUndefined();
    expect((docs.history(TRACE)!.entries as { event: string; decisionKind: string | null }[]).map((e) => [e.event, e.decisionKind])).toEqual([['held', null], ['lifted', 'retest-passed']]);
    // A late warning of a sample whose hold the lot stream already lifted is not an old-ledger hold.
    await apply('WarningRaised', warning('W2'));
    expect(docs.get(TRACE)!.holds).toEqual([]);
  });

  it('an old ledger (hold only as a warning) still shows the hold until the warning closes', async () => {
    const { docs, apply } = memory();
    await apply('LotCreated', created);
    await apply('WarningRaised', warning('W-old', 'sample-old'));
    expect(docs.get(TRACE)!.holds).toEqual([expect.objectContaining({ holdId: 'W-old', legacy: true, level: 'orange' })]);
    await apply('WarningClosed', { warningId: 'W-old', subject: warning('W-old', 'sample-old').subject, hold: true, reason: 'x', resolution: 'handled', closedAt: 'z', closedBy: 'u' });
    expect(docs.get(TRACE)!.holds).toEqual([]);
  });
});
