import { startTestApp, type TestApp } from './support/test-app';

/** Liveness answers as soon as HTTP listens; readiness only once start-up is done and the projections reached its head. */
describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is live at once, and ready only after start-up has begun readiness and the projections reached that head', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    await t.http.get('/healthz').expect(200, { status: 'ok' });
    const before = await t.http.get('/health/ready').expect(503);
    expect(before.body).toMatchObject({ status: 'starting', ready: false, dependencies: { eventStore: { status: 'up' } } });

    const head = await t.platform.adapters.eventStore.headPosition();
    await t.platform.readiness.begin(t.platform.runner, head, () => t.platform.clock.now());
    const after = await t.http.get('/health/ready').expect(200);
    expect(after.body).toMatchObject({ status: 'ready', ready: true, targetHead: head });
    expect(after.body.projections.length).toBeGreaterThan(5);
    expect(typeof after.body.readyAt).toBe('string');
    expect(after.body.dependencies).toMatchObject({ eventStore: { status: 'up' }, readStore: { status: 'up' }, search: { status: 'up' }, queue: { status: 'up' } });
  });

  it('is degraded, not down, when a read-side dependency fails (the ledger still takes commands)', async () => {
    await t.platform.adapters.jobQueue.close();
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'degraded', dependencies: { eventStore: { status: 'up' }, queue: { status: 'down' } } });
  });
});
