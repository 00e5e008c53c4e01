import { CommandBus } from '@nestjs/cqrs';
import { loadDemoData } from '../../infrastructure/demo/load-demo-data';
import { asMinistry } from './support/quality-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('demo data: the regulator’s side', () => {
  let t: TestApp;
  // On the distributed read side (FerretDB) the demo's months of history take minutes to project and drop.
  beforeAll(async () => {
    t = await startTestApp();
  }, 180_000);
  afterAll(async () => t.close(), 180_000);

  it('includes a failed 豇豆 sample (噻虫胺, 克百威) whose consequences are visible: case, warnings, lots on hold', async () => {
    const { quality } = await loadDemoData(t.app.get(CommandBus), new Date());
    const head = await t.platform.adapters.eventStore.headPosition();
    while (!(await t.platform.runner.waitFor(head, 20_000))) {
      /* still projecting: bounded by the test's timeout */
    }
    expect(quality.caseId).toEqual(expect.any(String));
    expect(quality.warnings).toBe(2); // the 文昌 lot and the lot it became at 北京新发地

    const failed = await t.http.get(`/api/v1/trace/${quality.failedTraceCode}`).expect(200);
    expect(failed.body).toMatchObject({ status: 'on-hold', verdicts: [{ verdict: 'fail', failed: [{ name: '噻虫胺', value: 0.035 }, { name: '克百威', value: 0.046 }] }] });
    const chain = await t.http.get(`/api/v1/trace/${quality.failedTraceCode}/chain?direction=forward`).set(asMinistry()).expect(200);
    const downstream = chain.body.lots.map((l: { _id: string }) => l._id).filter((c: string) => c !== quality.failedTraceCode);
    expect(downstream).toHaveLength(1);
    expect((await t.http.get(`/api/v1/trace/${downstream[0]}`).expect(200)).body.status).toBe('on-hold');

    const warnings = await t.http.get('/api/v1/risk-warnings').query({ state: 'open', product: '豇豆', region: '46' }).set(asMinistry()).expect(200);
    expect(warnings.body.total).toBeGreaterThanOrEqual(1);
    const kase = await t.http.get(`/api/v1/cases/${quality.caseId}`).set(asMinistry()).expect(200);
    expect(kase.body).toMatchObject({ status: 'open', referral: { kind: 'sample', failed: ['噻虫胺', '克百威'] } });
    const summary = await t.http.get(`/api/v1/tasks/${quality.taskId}/summary`).set(asMinistry()).expect(200);
    expect(summary.body).toMatchObject({ samples: 2, tested: 2, passed: 1, failed: 1, passRate: 0.5 });
  }, 300_000);

  it('loading again appends nothing', async () => {
    await t.platform.quality.reactor.waitFor(await t.platform.adapters.eventStore.headPosition(), 10_000);
    const head = await t.platform.adapters.eventStore.headPosition();
    await loadDemoData(t.app.get(CommandBus), new Date());
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);
  }, 300_000);
});
