import { entityBody } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

const SYSTEM = { 'X-Role': 'system', 'X-Org-Id': 'platform', 'X-User-Id': 'provincial-platform' };
const ref = (commandId: string, field: string) => ({ $ref: `${commandId}/${field}` });
const lotPayload = (entityId: unknown, amount: number) => ({ entityId, baseId: 'B1', product: '豇豆', quantity: { amount, unit: 'kg' }, productionDate: '2026-11-20' });

/** Two producers, a lot shipped from three times in one batch (its stream written by three items), each confirmed. */
function batch(tag: string) {
  const id = (s: string) => `${tag}-item-${s}`;
  const ship = (n: number) => ({
    commandId: id(`ship-${n}`),
    type: 'ship',
    payload: { fromTraceCode: ref(id('lot'), 'traceCode'), quantity: { amount: 10, unit: 'kg' }, to: { kind: 'registered', eid: ref(id('approve-b'), 'eid') } },
  });
  const confirm = (n: number) => ({ commandId: id(`confirm-${n}`), type: 'confirmTransfer', payload: { transferId: ref(id(`ship-${n}`), 'transferId') } });
  return [
    { commandId: id('apply-a'), type: 'applyForRegistration', payload: entityBody() },
    { commandId: id('apply-b'), type: 'applyForRegistration', payload: entityBody() },
    { commandId: id('approve-a'), type: 'approveRegistration', payload: { entityId: ref(id('apply-a'), 'entityId') } },
    { commandId: id('approve-b'), type: 'approveRegistration', payload: { entityId: ref(id('apply-b'), 'entityId') } },
    { commandId: id('lot'), type: 'createLot', payload: lotPayload(ref(id('apply-a'), 'entityId'), 100) },
    ship(1),
    ship(2),
    confirm(1),
    ship(3),
    confirm(2),
    confirm(3),
    // Refused (more than is left): nothing of it may be appended, and the chain goes on without it.
    { commandId: id('ship-too-much'), type: 'ship', payload: { fromTraceCode: ref(id('lot'), 'traceCode'), quantity: { amount: 500, unit: 'kg' }, to: { kind: 'registered', eid: ref(id('approve-b'), 'eid') } } },
  ];
}

/**
 * Decision 0020 end to end: a batch's events are hashed after deciding (on worker threads here:
 * HASH_WORKERS=1, every batch to the pool), decisions read through the stream and state caches — and
 * the ledger verifies, the lot's state is what the events say, a resent batch appends nothing.
 */
describe('write path: deferred and parallel hashing, cached decisions', () => {
  let t: TestApp;
  const saved = { workers: process.env.HASH_WORKERS, min: process.env.HASH_WORKERS_MIN_EVENTS };
  beforeAll(async () => {
    process.env.HASH_WORKERS = '1';
    process.env.HASH_WORKERS_MIN_EVENTS = '0';
    t = await startTestApp({});
  });
  afterAll(async () => {
    await t.close();
    for (const [key, value] of [['HASH_WORKERS', saved.workers], ['HASH_WORKERS_MIN_EVENTS', saved.min]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('a batch writing one lot stream from several items verifies, stream and ledger, and folds to the right quantities', async () => {
    const res = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands: batch('wp1') }).expect(200);
    const statuses = res.body.results.map((r: { status: string }) => r.status);
    expect(statuses).toEqual([...Array(11).fill('ok'), 'error']);
    const lot = res.body.results[4].result.traceCode as string;

    const stream = await t.http.get('/api/v1/audit/verify').query({ stream: `lot-${lot}` }).expect(200);
    // created, 3 reservations, 3 commits
    expect(stream.body).toMatchObject({ ok: true, scope: 'stream', eventsChecked: 7, breaks: [] });
    const ledger = await t.http.get('/api/v1/audit/verify').expect(200);
    expect(ledger.body).toMatchObject({ ok: true, scope: 'ledger', breaks: [] });

    // A second batch decides on the cached lot (three more shipments of 10 kg) and still verifies.
    const next = await t.http
      .post('/api/v1/batch')
      .set(SYSTEM)
      .send({ commands: [1, 2, 3].map((n) => ({ commandId: `wp2-item-ship-${n}`, type: 'ship', payload: { fromTraceCode: lot, quantity: { amount: 10, unit: 'kg' }, to: { kind: 'unregistered', name: `买家${n}` } } })) })
      .expect(200);
    expect(next.body.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'ok']);
    const source = await t.http.get(`/api/v1/lots/${lot}`).set(SYSTEM).expect(200);
    expect(source.body).toMatchObject({ available: 40, unit: 'kg' });
    const again = await t.http.get('/api/v1/audit/verify').query({ stream: `lot-${lot}` }).expect(200);
    expect(again.body).toMatchObject({ ok: true, eventsChecked: 10 });
  });

  it('resending a batch appends nothing and answers the same', async () => {
    const commands = batch('wp3');
    const first = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands }).expect(200);
    const head = (await t.http.get('/api/v1/audit/verify').expect(200)).body.eventsChecked as number;
    const again = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands }).expect(200);
    expect(again.body.results.slice(0, 11).every((r: { duplicate: boolean }) => r.duplicate)).toBe(true);
    expect(again.body.results[4].result.traceCode).toBe(first.body.results[4].result.traceCode);
    expect((await t.http.get('/api/v1/audit/verify').expect(200)).body).toMatchObject({ ok: true, eventsChecked: head });
  });
});
