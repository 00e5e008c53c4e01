import { CommandBus } from '@nestjs/cqrs';
import { loadDemoData } from '../../infrastructure/demo/load-demo-data';
import { startTestApp, type TestApp } from './support/test-app';

describe('demo dataset', () => {
  let t: TestApp;
  // On the distributed read side (FerretDB) the demo's months of history take minutes to project and drop.
  beforeAll(async () => {
    t = await startTestApp();
  }, 180_000);
  afterAll(async () => t.close(), 180_000);

  it('loads a realistic demo through the command bus: ≥ 3 provinces, ≥ 20 entities with bases, multi-hop chains, a market entry', async () => {
    const summary = await loadDemoData(t.app.get(CommandBus), new Date());
    const head = await t.platform.adapters.eventStore.headPosition();
    while (!(await t.platform.runner.waitFor(head, 20_000))) {
      /* still projecting: bounded by the test's timeout */
    }

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
  }, 300_000);

  it('is deterministic in its command ids: loading twice appends nothing the second time', async () => {
    const head = await t.platform.adapters.eventStore.headPosition();
    await loadDemoData(t.app.get(CommandBus), new Date());
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);
  }, 300_000);
});
