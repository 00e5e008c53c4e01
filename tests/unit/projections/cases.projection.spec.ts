import type { RecordedEvent } from '../../../application/ports/event-store';
import type { ReadDoc } from '../../../application/ports/read-store';
import { decider, type CaseCommand, type CaseEvent, type OpenCase } from '../../../domain/enforcement';
import { SYSTEM_ACTOR } from '../../../domain/shared/actor';
import { casesProjection } from '../../../projections/enforcement/cases.projection';
import type { ProjectionContext } from '../../../projections/runner/projection';

/**
 * The `cases` read model folded over events the decider really decides: an own case against an unregistered
 * party, two orders to correct, one overdue, one verified — the orders' standing and the overdue count follow.
 */
const ENF = { userId: 'u-enf', orgId: 'enf-1', role: 'enforcement' as const, regionCode: '469027' };
const own: OpenCase['data'] = {
  caseId: 'c-1',
  referral: { kind: 'own', source: 'on-site', ref: null },
  subject: { entityId: null, eid: null, entityName: '无名收购点', regionCode: '469027', unregistered: { address: '佛罗镇路口', responsible: null, phone: null, creditCode: null } },
  product: '豇豆',
  traceCodes: [],
  summary: '现场发现',
  referredBy: { orgId: 'enf-1', userId: 'u-enf' },
};

async function fold(steps: [CaseCommand, Date, typeof ENF | typeof SYSTEM_ACTOR][]): Promise<ReadDoc> {
  const docs = new Map<string, ReadDoc>();
  const ctx: ProjectionContext = {
    get: async (_c, id) => docs.get(id) ?? null,
    put: (_c, doc) => void docs.set(doc._id, { ...doc, _v: 0 } as ReadDoc),
    delete: (_c, id) => void docs.delete(id),
    index: () => undefined,
    unindex: () => undefined,
  };
  let state = decider.initialState();
  let position = 0;
  for (const [command, now, actor] of steps) {
    const events: CaseEvent[] = decider.decide(command, state, { now, actor });
    for (const e of events) {
      state = decider.evolve(state, e);
      await casesProjection.apply({ ...e, position: ++position } as unknown as RecordedEvent, ctx);
    }
  }
  return docs.get('c-1')!;
}

describe('cases projection: orders to correct', () => {
  it('keeps each order with its deadline and standing, and counts the overdue ones', async () => {
    const day = (d: string) => new Date(`${d}T02:00:00.000Z`);
    const doc = await fold([
      [{ type: 'OpenCase', data: own }, day('2026-12-01'), ENF],
      [{ type: 'RecordCaseAction', data: { kind: 'rectification-order', description: '建立进货查验记录', deadline: '2026-12-05' } }, day('2026-12-01'), ENF],
      [{ type: 'RecordCaseAction', data: { kind: 'rectification-order', description: '清理过期农药', deadline: '2026-12-10' } }, day('2026-12-01'), ENF],
      [{ type: 'CheckRectificationDeadlines', data: {} }, day('2026-12-06'), SYSTEM_ACTOR],
      [{ type: 'RecordCaseAction', data: { kind: 'rectification-verified', description: '复查合格', orderSeq: 2 } }, day('2026-12-08'), ENF],
    ]);
    expect(doc).toMatchObject({ unregistered: true, referralKind: 'own', overdueOrders: 1, subject: { unregistered: { address: '佛罗镇路口' } } });
    expect(doc.orders).toEqual([
      { seq: 1, deadline: '2026-12-05', dueAt: '2026-12-05T16:00:00.000Z', status: 'overdue', overdueAt: '2026-12-06T02:00:00.000Z', verifiedSeq: null },
      { seq: 2, deadline: '2026-12-10', dueAt: '2026-12-10T16:00:00.000Z', status: 'complied', overdueAt: null, verifiedSeq: 3 },
    ]);
    expect((doc.actions as { seq: number; deadline?: string }[]).map((a) => [a.seq, a.deadline ?? null])).toEqual([
      [1, '2026-12-05'],
      [2, '2026-12-10'],
      [3, null],
    ]);
  });
});
