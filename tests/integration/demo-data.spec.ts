import { CommandBus } from '@nestjs/cqrs';
import { loadDemoData, type DemoSummary } from '../../infrastructure/demo/load-demo-data';
import { asMinistry } from './support/quality-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The demo dataset, loaded once for the file: the producer's side (entities, chains, a market entry) and the
 * regulator's side (the failed 豇豆 sample and its consequences). One load, because on the distributed read
 * side (FerretDB v1, whose updates scan the collection) projecting the demo's months of history takes minutes.
 */
describe('demo dataset', () => {
  let t: TestApp;
  let summary: DemoSummary;
  beforeAll(async () => {
    t = await startTestApp();
    const started = Date.now();
    summary = await loadDemoData(t.app.get(CommandBus), new Date());
    const head = await t.platform.adapters.eventStore.headPosition();
    const loaded = Date.now();
    while (!(await t.platform.runner.waitFor(head, 20_000))) {
      // Still projecting (bounded by the hook's timeout). Where it stands, for a run that never gets there: on
      // FerretDB this hook hung twice in a clean-clone CI's mixed step (docs/reliability.md).
      const behind = (await t.platform.runner.status()).filter((p) => p.checkpoint < head).map((p) => `${p.name}@${p.checkpoint}`);
      console.warn(`demo data: ${head} events loaded in ${loaded - started} ms; after ${Date.now() - loaded} ms still projecting: ${behind.join(', ')}`);
    }
  }, 900_000);
  afterAll(async () => t.close(), 300_000);

  it('loads a realistic demo through the command bus: ≥ 3 provinces, ≥ 20 entities with bases, multi-hop chains, a market entry', async () => {
    const entities = await t.platform.readModels.find('entities', {});
    expect(entities.length).toBeGreaterThanOrEqual(20);
    expect(entities.every((e) => (e.bases as unknown[]).length >= 1)).toBe(true);
    const provinces = new Set(entities.map((e) => String(e.regionCode).slice(0, 2)));
    expect(provinces.size).toBeGreaterThanOrEqual(3);
    expect(entities.filter((e) => e.status === 'approved').length).toBeGreaterThanOrEqual(20);

    const deep = await t.platform.readModels.find('lots', { depth: { $gte: 3 } });
    expect(deep.length).toBeGreaterThan(0);
    const chain = await t.http.get(`/api/v1/trace/${summary.showcaseTraceCode}`).expect(200);
    expect(chain.body.chain.length).toBeGreaterThanOrEqual(4);

    const certified = await t.platform.readModels.find('lots', {});
    expect(certified.some((l) => (l.certificates as unknown[]).length > 0)).toBe(true);
    const rejected = await t.platform.readModels.find('transfers', { status: 'rejected' });
    expect(rejected.length).toBeGreaterThan(0);

    const verify = await t.http.get('/api/v1/audit/verify').expect(200);
    expect(verify.body.ok).toBe(true);
  });

  it('includes a failed 豇豆 sample (噻虫胺, 克百威) whose consequences are visible: case, warnings, lots on hold', async () => {
    const { quality } = summary;
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
    const taskSummary = await t.http.get(`/api/v1/tasks/${quality.taskId}/summary`).set(asMinistry()).expect(200);
    expect(taskSummary.body).toMatchObject({ samples: 2, tested: 2, passed: 1, failed: 1, passRate: 0.5 });
  });

  it('is deterministic in its command ids: loading twice appends nothing the second time', async () => {
    await t.platform.quality.reactor.waitFor(await t.platform.adapters.eventStore.headPosition(), 10_000);
    const head = await t.platform.adapters.eventStore.headPosition();
    await loadDemoData(t.app.get(CommandBus), new Date());
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);
  }, 300_000);
});
