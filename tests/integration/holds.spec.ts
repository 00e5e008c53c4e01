import { confirm, createLot, registeredEntity, ship } from './support/fixtures';
import { asEnforcement, asLab, asProvince, FAILING_RESULT, openTask, PASSING_RESULT, recordResult, sampleLot } from './support/quality-fixtures';
import { asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 11, finding 4 — holds hold. A failed result puts the sampled lot on hold (暂停销售) on its own stream;
 * while held it refuses a shipment, an off-ledger sale and a market-entry certificate (409 LOT_ON_HOLD,
 * naming the hold and its case, nothing appended). A pending transfer may still be confirmed, but the child
 * is born held. Only the owner's decision lifts the hold: a passing re-test, or enforcement closing the case.
 */
describe('holds: a held lot keeps its goods until the owner lifts the hold', () => {
  let t: TestApp;
  const MARKET = { name: '广州江南果菜批发市场', kind: 'wholesale', regionCode: '440111' };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  /** A lot with a pending transfer to `b`, sampled under a task; answers once the failed result is in. */
  async function failedLot() {
    const a = await registeredEntity(t);
    const b = await registeredEntity(t);
    const lot = await createLot(t, a.entityId, 500);
    const pending = await ship(t, a.entityId, lot, b.eid, 100);
    const sampleId = await sampleLot(t, await openTask(t), lot);
    const failed = await recordResult(t, sampleId, FAILING_RESULT).expect(201);
    return { a, b, lot, pending, sampleId, caseId: failed.body.caseId as string, failed: failed.body };
  }

  /** Refusals must leave no trace: wait until the process manager is idle, then compare the log's head. */
  async function quietHead(): Promise<number> {
    const head = await t.platform.adapters.eventStore.headPosition();
    await t.platform.quality.reactor.waitFor(head, 10_000);
    return t.platform.adapters.eventStore.headPosition();
  }

  it('a failed result puts the lot on hold; ship, off-ledger sale and market entry are refused with LOT_ON_HOLD and nothing is appended', async () => {
    const { a, b, lot, caseId, sampleId, failed } = await failedLot();
    expect(failed.heldLots).toEqual([lot]);
    const doc = await t.http.get(`/api/v1/lots/${lot}`).set(asProvince()).expect(200);
    expect(doc.body.holds).toEqual([expect.objectContaining({ owner: { kind: 'failed-result', id: sampleId, caseId }, caseId, legacy: false })]);
    const holdId = doc.body.holds[0].holdId as string;

    const before = await quietHead();
    const lotRevision = await t.platform.adapters.eventStore.streamRevision(`lot-${lot}`);
    const refusals = [
      t.http.post('/api/v1/transfers').set(asProducer(a.entityId)).send({ fromTraceCode: lot, quantity: { amount: 10, unit: 'kg' }, to: { kind: 'registered', eid: b.eid } }),
      t.http.post('/api/v1/transfers').set(asProducer(a.entityId)).send({ fromTraceCode: lot, quantity: { amount: 10, unit: 'kg' }, to: { kind: 'unregistered', name: '路边摊主', phone: '13800138000' } }),
      t.http.post('/api/v1/market-entries').set(asProducer(a.entityId)).send({ traceCode: lot, market: MARKET, quantity: { amount: 10, unit: 'kg' } }),
    ];
    for (const refusal of refusals) {
      const res = await refusal.expect(409);
      expect(res.body).toMatchObject({ error: 'LOT_ON_HOLD', details: { traceCode: lot, holdId, caseId, sampleId, incidentId: null } });
      expect(res.body.details.reason).toContain('抽检不合格');
    }
    expect(await t.platform.adapters.eventStore.streamRevision(`lot-${lot}`)).toBe(lotRevision);
    expect(await quietHead()).toBe(before);
    const view = await t.http.get(`/api/v1/trace/${lot}`).expect(200);
    expect(view.body).toMatchObject({ status: 'on-hold', certificates: [] });
  });

  it('closing the warning is not the owner’s decision: the lot stays on hold', async () => {
    const { a, lot, failed } = await failedLot();
    const warningId = failed.warnings.find((w: { traceCode: string }) => w.traceCode === lot).warningId as string;
    await t.http.post(`/api/v1/risk-warnings/${warningId}/close`).set(asProvince()).send({ reason: '已责令下架', resolution: 'handled' }).expect(200);
    expect((await t.http.get(`/api/v1/trace/${lot}`).expect(200)).body.status).toBe('on-hold');
    const res = await t.http.post('/api/v1/market-entries').set(asProducer(a.entityId)).send({ traceCode: lot, market: MARKET, quantity: { amount: 1, unit: 'kg' } }).expect(409);
    expect(res.body.error).toBe('LOT_ON_HOLD');
  });

  it('a pending transfer is confirmed, the child is born held; a passing re-test lifts both, and the consumer view shows each event', async () => {
    const { b, lot, pending, sampleId, caseId } = await failedLot();
    const child = await confirm(t, b.entityId, pending);
    const childDoc = await t.http.get(`/api/v1/lots/${child}`).set(asProvince()).expect(200);
    const parentDoc = await t.http.get(`/api/v1/lots/${lot}`).set(asProvince()).expect(200);
    expect(childDoc.body.holds).toEqual([expect.objectContaining({ holdId: parentDoc.body.holds[0].holdId, caseId, sourceTraceCode: lot })]);
    const refused = await t.http.post('/api/v1/transfers').set(asProducer(b.entityId)).send({ fromTraceCode: child, quantity: { amount: 5, unit: 'kg' }, to: { kind: 'unregistered', name: '个体户' } }).expect(409);
    expect(refused.body.details).toMatchObject({ caseId, holdId: parentDoc.body.holds[0].holdId });

    await t.http.post(`/api/v1/samples/${sampleId}/retest`).set(asProvince()).send({ reason: '企业申请复检', retestLab: { orgId: 'lab-national', name: '国家蔬菜质检中心' }, requestedBy: '合作社' }).expect(201);
    const retest = await t.http.post(`/api/v1/samples/${sampleId}/results`).set(asLab('lab-national', '')).send({ analytes: PASSING_RESULT, testedAt: new Date(Date.now() - 1000).toISOString() }).expect(201);
    expect([...retest.body.liftedLots].sort()).toEqual([lot, child].sort());

    for (const code of [lot, child]) {
      const view = await t.http.get(`/api/v1/trace/${code}`).expect(200);
      expect(view.body.status).toBe('normal');
      expect(view.body.warnings).toEqual([]);
      expect(view.body.holdHistory.map((e: { event: string; decision: string | null }) => [e.event, e.decision])).toEqual([
        ['held', null],
        ['lifted', 'retest-passed'],
      ]);
      expect(view.body.holdHistory[1].reason).toContain('复检合格');
      expect(JSON.stringify(view.body.holdHistory)).not.toContain(caseId);
    }
    await t.http.post('/api/v1/transfers').set(asProducer(b.entityId)).send({ fromTraceCode: child, quantity: { amount: 5, unit: 'kg' }, to: { kind: 'unregistered', name: '个体户' } }).expect(201);
  });

  it('enforcement closing the case with a reason lifts the holds it owns', async () => {
    const { a, b, lot, pending, caseId } = await failedLot();
    const child = await confirm(t, b.entityId, pending);
    const closed = await t.http.post(`/api/v1/cases/${caseId}/close`).set(asEnforcement()).send({ outcome: 'rectified', summary: '不合格产品已销毁，整改验收合格' }).expect(200);
    expect([...closed.body.liftedLots].sort()).toEqual([lot, child].sort());
    for (const code of [lot, child]) {
      const view = await t.http.get(`/api/v1/trace/${code}`).expect(200);
      expect(view.body.status).toBe('normal');
      expect(view.body.holdHistory.at(-1)).toMatchObject({ event: 'lifted', decision: 'case-closed', reason: expect.stringContaining('整改验收合格') });
    }
    const history = await t.http.get(`/api/v1/audit/streams/lot-${lot}`).set(asProvince()).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['LotPutOnHold', 'LotHoldLifted']));
    await t.http.post('/api/v1/market-entries').set(asProducer(a.entityId)).send({ traceCode: lot, market: MARKET, quantity: { amount: 10, unit: 'kg' } }).expect(201);
  });
});
