import { confirm, createLot, registeredEntity, ship } from './support/fixtures';
import { asLab, asProvince, FAILING_RESULT, openTask, PASSING_RESULT, recordResult, sampleLot } from './support/quality-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The public view is cached per trace code (application/trace/consumer-view-cache.ts, decision 0021), and a
 * cached view is never stale: a hold, inherited downstream, shows on the very next lookup after the
 * command's answer, and so does its lifting — though every one of these lots was looked up (and cached)
 * just before.
 */
describe('consumer view cache: a hold shows on the next lookup after the command’s answer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const status = async (code: string) => (await t.http.get(`/api/v1/trace/${code}`).expect(200)).body as { status: string; warnings: { holdId: string }[]; holdHistory: { event: string }[] };

  it('warm views of the sampled lot and its downstream child turn on-hold with the failed result, and normal with the passing re-test', async () => {
    const a = await registeredEntity(t);
    const b = await registeredEntity(t);
    const lot = await createLot(t, a.entityId, 500);
    const child = await confirm(t, b.entityId, await ship(t, a.entityId, lot, b.eid, 100));
    for (const code of [lot, child, lot, child]) expect((await status(code)).status).toBe('normal');

    const sampleId = await sampleLot(t, await openTask(t), lot);
    const failed = await recordResult(t, sampleId, FAILING_RESULT).expect(201);
    expect([...failed.body.heldLots].sort()).toEqual([lot, child].sort());
    for (const code of [lot, child]) {
      const view = await status(code);
      expect(view.status).toBe('on-hold');
      expect(view.warnings).toHaveLength(1);
      expect(view.holdHistory.map((e) => e.event)).toEqual(['held']);
    }

    await t.http.post(`/api/v1/samples/${sampleId}/retest`).set(asProvince()).send({ reason: '企业申请复检', retestLab: { orgId: 'lab-national', name: '国家蔬菜质检中心' }, requestedBy: '合作社' }).expect(201);
    await t.http.post(`/api/v1/samples/${sampleId}/results`).set(asLab('lab-national', '')).send({ analytes: PASSING_RESULT, testedAt: new Date(Date.now() - 1000).toISOString() }).expect(201);
    for (const code of [lot, child]) {
      const view = await status(code);
      expect(view.status).toBe('normal');
      expect(view.holdHistory.map((e) => e.event)).toEqual(['held', 'lifted']);
    }
  });
});
