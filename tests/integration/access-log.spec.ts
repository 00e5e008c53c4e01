import type { AccessEntry } from '../../application/audit/access-log';
import { createLot, registeredEntity } from './support/fixtures';
import { asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * What goes into the access log (streams `access-{user}-{day}` in the ledger), request by request:
 * sensitive reads whatever their outcome below 500, every refusal for scope or ownership exactly once
 * (whether the guard or the handler refused), and nothing for public lookups, bad input or rate limits.
 */
describe('access log', () => {
  let t: TestApp;
  let producer: { entityId: string };
  let lot: string;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PUBLIC_PER_MIN: '3' });
    producer = await registeredEntity(t);
    lot = await createLot(t, producer.entityId);
  });
  afterAll(async () => t.close());

  /** Every access-log event of one user (all days), oldest first. */
  const entriesOf = async (userId: string): Promise<{ type: string; data: AccessEntry }[]> => {
    const streams = await t.platform.adapters.eventStore.listStreams(`access-${userId}-`, null, 100);
    const events = (await Promise.all(streams.map((s) => t.platform.adapters.eventStore.readStream(s)))).flat();
    return events.map((e) => ({ type: e.type, data: e.data as unknown as AccessEntry }));
  };
  const county = (region: string, userId: string) => ({ 'X-Role': 'county-admin', 'X-Org-Id': `county-${region}`, 'X-Region': region, 'X-User-Id': userId });

  it('a sensitive read is logged with its status and permission before the answer', async () => {
    await t.http.get(`/api/v1/lots/${lot}`).set(county('469027', 'reader-1')).expect(200);
    expect(await entriesOf('reader-1')).toEqual([
      { type: 'DataAccessed', data: expect.objectContaining({ method: 'GET', path: `/api/v1/lots/${lot}`, status: 200, permission: 'lot.read' }) },
    ]);
    expect((await entriesOf('reader-1'))[0]!.data.denied).toBeUndefined();
  });

  it('a sensitive read that fails below 500 is logged with the failure status', async () => {
    await t.http.get('/api/v1/entities/no-such-entity').set(county('469027', 'reader-2')).expect(404);
    expect(await entriesOf('reader-2')).toEqual([
      { type: 'DataAccessed', data: expect.objectContaining({ path: '/api/v1/entities/no-such-entity', status: 404, permission: 'entity.read' }) },
    ]);
  });

  it('a handler refusing for scope is logged once, as denied with the error code', async () => {
    await t.http.get(`/api/v1/lots/${lot}`).set(county('370686', 'outsider-1')).expect(403);
    expect(await entriesOf('outsider-1')).toEqual([
      { type: 'AccessDenied', data: expect.objectContaining({ status: 403, permission: 'lot.read', denied: 'OUT_OF_SCOPE' }) },
    ]);
  });

  it('a command refused for ownership is logged although the route is not a sensitive read', async () => {
    const other = await registeredEntity(t);
    const res = await t.http
      .post('/api/v1/transfers')
      .set({ ...asProducer(other.entityId), 'X-User-Id': 'not-the-holder' })
      .send({ fromTraceCode: lot, quantity: { amount: 1, unit: 'kg' }, to: { kind: 'unregistered', name: '张三', phone: '13800000000' } });
    expect(res.status).toBe(403);
    expect(await entriesOf('not-the-holder')).toEqual([
      { type: 'AccessDenied', data: expect.objectContaining({ method: 'POST', status: 403, permission: 'transfer.ship', denied: res.body.error }) },
    ]);
  });

  it('a route refused by the guard (missing permission) is logged once', async () => {
    await t.http.get('/api/v1/audit/log').set({ ...asProducer(producer.entityId), 'X-User-Id': 'no-audit-right' }).expect(403);
    const entries = await entriesOf('no-audit-right');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'AccessDenied', data: { status: 403, permission: 'audit.read' } });
  });

  it('non-sensitive reads, public lookups, bad input and rate limits log nothing', async () => {
    await t.http.get('/api/v1/lots').set(county('469027', 'lister')).expect(200);
    await t.http.post('/api/v1/lots').set({ ...asProducer(producer.entityId), 'X-User-Id': 'bad-input' }).send({ entityId: producer.entityId }).expect(400);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.http.get(`/api/v1/trace/${lot}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await entriesOf('lister')).toEqual([]);
    expect(await entriesOf('bad-input')).toEqual([]);
    // Without identity headers the dev identity is 'dev-user' (it also applied for the registrations: no entries).
    expect(await entriesOf('dev-user')).toEqual([]);
  });
});
