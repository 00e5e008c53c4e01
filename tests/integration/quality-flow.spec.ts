import { confirm, createLot, registeredEntity, ship } from './support/fixtures';
import { asLab, asMinistry, asProvince, eventually, FAILING_RESULT, LEDONG_LAB, openTask, PASSING_RESULT, recordResult, sampleLot } from './support/quality-fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * The path of issue 3 over HTTP: task → sample by trace code → failed result → case opened, warnings on the
 * lot and every lot downstream (holders notified), consumer view on hold → re-test passes → holds lifted.
 */
describe('quality flow: a failed result and its consequences', () => {
  let t: TestApp;
  let a: { entityId: string; eid: string };
  let b: { entityId: string; eid: string };
  let c: { entityId: string; eid: string };
  let d: { entityId: string; eid: string };
  let origin: string;
  let atB: string;
  let atC: string;
  let pendingToD: string;
  let atD: string;
  let taskId: string;
  let sampleId: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [a, b, c, d] = [await registeredEntity(t), await registeredEntity(t), await registeredEntity(t), await registeredEntity(t)];
    origin = await createLot(t, a.entityId, 1000);
    atB = await confirm(t, b.entityId, await ship(t, a.entityId, origin, b.eid, 600));
    atC = await confirm(t, c.entityId, await ship(t, b.entityId, atB, c.eid, 200));
    pendingToD = await ship(t, a.entityId, origin, d.eid, 100); // confirmed only after the failure
    taskId = await openTask(t);
  });
  afterAll(async () => t.close());

  it('takes a sample by scanning the trace code: the lot fills in product and holder', async () => {
    sampleId = await sampleLot(t, taskId, origin);
    const sample = await t.http.get(`/api/v1/samples/${sampleId}`).set(asProvince()).expect(200);
    expect(sample.body).toMatchObject({ product: '豇豆', traceCode: origin, source: 'lot', subject: { entityId: a.entityId, eid: a.eid, regionCode: '469027' }, status: 'taken', labOrgId: LEDONG_LAB.orgId });
  });

  it('a failed result opens a case and holds the lot and every lot downstream', async () => {
    const res = await recordResult(t, sampleId, FAILING_RESULT).expect(201);
    expect(res.body).toMatchObject({ round: 'initial', verdict: 'fail', finalVerdict: 'fail' });
    expect(res.body.outcomes.map((o: { name: string; verdict: string }) => [o.name, o.verdict])).toEqual([
      ['噻虫胺', 'fail'],
      ['克百威', 'fail'],
      ['灭蝇胺', 'pass'],
    ]);
    expect(res.body.outcomes[0].valueInLimitUnit).toBe(0.035);
    caseId = res.body.caseId;
    expect(caseId).toEqual(expect.any(String));
    expect(res.body.warnings.map((w: { traceCode: string }) => w.traceCode).sort()).toEqual([origin, atB, atC].sort());

    const kase = await t.http.get(`/api/v1/cases/${caseId}`).set(asCounty('469027')).expect(200);
    expect(kase.body).toMatchObject({ status: 'open', referral: { kind: 'sample', sampleId, verdict: 'fail', failed: ['噻虫胺', '克百威'] }, subject: { entityId: a.entityId } });
    expect([...kase.body.traceCodes].sort()).toEqual([origin, atB, atC].sort());
    const sample = await t.http.get(`/api/v1/samples/${sampleId}`).set(asProvince()).expect(200);
    expect(sample.body).toMatchObject({ verdict: 'fail', caseId, failed: ['噻虫胺', '克百威'] });
  });

  it('GET /risk-warnings lists them with filters on region, level, product, state', async () => {
    const all = await t.http.get('/api/v1/risk-warnings').query({ state: 'open', product: '豇豆', level: 'orange' }).set(asMinistry()).expect(200);
    const mine = all.body.items.filter((w: { cause: { sampleId: string } }) => w.cause.sampleId === sampleId);
    expect(mine.map((w: { traceCode: string }) => w.traceCode).sort()).toEqual([origin, atB, atC].sort());
    expect(mine.every((w: { hold: boolean; indicator: string; state: string }) => w.hold && w.indicator === 'failedResult' && w.state === 'raised')).toBe(true);
    const red = await t.http.get('/api/v1/risk-warnings').query({ level: 'red', product: '豇豆' }).set(asMinistry()).expect(200);
    expect(red.body.items.filter((w: { cause: { sampleId: string } }) => w.cause.sampleId === sampleId)).toEqual([]);
    const elsewhere = await t.http.get('/api/v1/risk-warnings').query({ region: '37' }).set(asMinistry()).expect(200);
    expect(elsewhere.body.total).toBe(0);
    const county = await t.http.get('/api/v1/risk-warnings').query({ state: 'open' }).set(asCounty('469027')).expect(200);
    expect(county.body.items.every((w: { regionCode: string }) => w.regionCode.startsWith('469027'))).toBe(true);
    await t.http.get('/api/v1/risk-warnings').query({ region: '37' }).set(asCounty('469027')).expect(403);
  });

  it('the consumer view of a downstream lot shows it on hold (不合格) with the inherited verdict', async () => {
    const view = await t.http.get(`/api/v1/trace/${atC}`).expect(200);
    expect(view.body.status).toBe('on-hold');
    expect(view.body.warnings[0]).toMatchObject({ label: '不合格 · 暂停销售', sourceTraceCode: origin, level: 'orange' });
    expect(view.body.verdicts[0]).toMatchObject({ verdict: 'fail', verdictLabel: '不合格', inherited: true, sampledTraceCode: origin });
    expect(view.body.verdicts[0].failed.map((f: { name: string }) => f.name)).toEqual(['噻虫胺', '克百威']);
    const sampled = await t.http.get(`/api/v1/trace/${origin}`).expect(200);
    expect(sampled.body).toMatchObject({ status: 'on-hold', verdicts: [{ verdict: 'fail', inherited: false, sampleId }] });
  });

  it('each holder is notified in-app', async () => {
    const inbox = await t.http.get('/api/v1/notifications').set(asProducer(c.entityId)).expect(200);
    expect(inbox.body.items.some((n: { kind: string; ref: { type: string } }) => n.kind === 'warning' && n.ref.type === 'warning')).toBe(true);
    const supervision = await t.http.get('/api/v1/notifications').set(asCounty('469027')).expect(200);
    expect(supervision.body.items.some((n: { kind: string }) => n.kind === 'warning')).toBe(true);
    const enforcement = await t.http.get('/api/v1/notifications').set({ 'X-Role': 'enforcement', 'X-Org-Id': 'enf-ledong', 'X-Region': '469027' }).expect(200);
    expect(enforcement.body.items.some((n: { kind: string; ref: { id: string } }) => n.kind === 'case' && n.ref.id === caseId)).toBe(true);
  });

  it('a lot made from a held lot after the failure inherits the hold (process manager)', async () => {
    atD = await confirm(t, d.entityId, pendingToD);
    const lot = await eventually(async () => {
      const view = await t.http.get(`/api/v1/trace/${atD}`).expect(200);
      return view.body.status === 'on-hold' ? view.body : null;
    });
    expect(lot.warnings[0]).toMatchObject({ sourceTraceCode: origin });
  });

  it('a passing re-test lifts every hold and is recorded on the case', async () => {
    await t.http.post(`/api/v1/samples/${sampleId}/retest`).set(asProvince()).send({ reason: '企业对检测结果有异议', retestLab: { orgId: 'lab-national', name: '农业农村部蔬菜质量监督检验测试中心' }, requestedBy: '测试豇豆合作社' }).expect(201);
    const retest = await t.http
      .post(`/api/v1/samples/${sampleId}/results`)
      .set(asLab('lab-national', ''))
      .send({ analytes: PASSING_RESULT, testedAt: new Date(Date.now() - 1000).toISOString() })
      .expect(201);
    expect(retest.body).toMatchObject({ round: 'retest', verdict: 'pass' });
    expect(retest.body.closedWarnings).toHaveLength(4);
    for (const code of [origin, atB, atC, atD]) {
      const view = await t.http.get(`/api/v1/trace/${code}`).expect(200);
      expect(view.body.status).toBe('normal');
    }
    const kase = await t.http.get(`/api/v1/cases/${caseId}`).set(asCounty('469027')).expect(200);
    expect(kase.body.actions[0]).toMatchObject({ kind: 'retest-result', seq: 1 });
    const open = await t.http.get('/api/v1/risk-warnings').query({ state: 'open', traceCode: atC }).set(asMinistry()).expect(200);
    expect(open.body.total).toBe(0);
  });

  it('the task summary rolls the samples up; reports go to the lead lab and the agency', async () => {
    const summary = await t.http.get(`/api/v1/tasks/${taskId}/summary`).set(asProvince()).expect(200);
    expect(summary.body).toMatchObject({ samples: 1, tested: 1, passed: 1, failed: 0, passRate: 1 });
    const labReport = await t.http.post(`/api/v1/tasks/${taskId}/lab-reports`).set(asLab(LEDONG_LAB.orgId, '469027')).send({ note: '完成抽样1批次' }).expect(201);
    expect(labReport.body.summary.samples).toBe(1);
    await t.http.post(`/api/v1/tasks/${taskId}/report`).set(asLab('lab-hn-center')).send({ conclusion: '复检合格' }).expect(201);
    const task = await t.http.get(`/api/v1/tasks/${taskId}`).set(asProvince()).expect(200);
    expect(task.body).toMatchObject({ status: 'reported', counts: { samples: 1, tested: 1, pass: 1, fail: 0 } });
    expect(task.body.labReports).toHaveLength(1);
  });

  it('an auditor replays the new streams with their deciders', async () => {
    for (const stream of [`sample-${sampleId}`, `case-${caseId}`, `task-${taskId}`]) {
      const history = await t.http.get(`/api/v1/audit/streams/${stream}`).set(asMinistry()).expect(200);
      expect(history.body.state).not.toBeNull();
      expect(history.body.integrity.ok).toBe(true);
    }
  });
});
