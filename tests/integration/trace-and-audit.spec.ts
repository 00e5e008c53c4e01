import { createLot, confirm, registeredEntity, ship } from './support/fixtures';
import { asProducer, startTestApp, type TestApp } from './support/test-app';

const SECRET = 'integration-test-secret-0123456789';

describe('trace, chain, audit and search over HTTP', () => {
  let t: TestApp;
  let farm: { entityId: string; eid: string; name: string };
  let market: { entityId: string; eid: string; name: string };
  let shop: { entityId: string; eid: string; name: string };
  let household: { entityId: string; eid: string; name: string };
  let origin: string;
  let middle: string;
  let leaf: string;
  let sibling: string;
  let afterCreation: string;

  beforeAll(async () => {
    t = await startTestApp();
    household = await registeredEntity(t, { name: '李春花', entityType: 'household', creditCode: undefined, contactPhone: '13698760003', regionCode: '469007',
      bases: [{ name: '李春花豇豆地', regionCode: '469007', address: '八所镇上名山村', lat: 19.101234, lon: 108.652345, products: ['豇豆'] }] });
    farm = await registeredEntity(t, { name: '乐东佛罗豇豆合作社' });
    market = await registeredEntity(t, { name: '海口南北批发市场', regionCode: '460108', address: '海南省海口市美兰区', bases: [{ name: '冷库', regionCode: '460108', address: '美兰区', lat: 20.001234, lon: 110.452345, products: ['豇豆'] }] });
    shop = await registeredEntity(t, { name: '北京新发地', regionCode: '110106', address: '北京市丰台区新发地', bases: [{ name: '交易区', regionCode: '110106', address: '丰台区', lat: 39.812345, lon: 116.372345, products: ['豇豆'] }] });
    origin = await createLot(t, household.entityId, 800);
    afterCreation = new Date().toISOString();
    // The next events must be recorded strictly after `afterCreation` (asOf queries below): wait for the clock to move.
    while (Date.now() <= Date.parse(afterCreation)) await new Promise((r) => setImmediate(r));
    middle = await confirm(t, market.entityId, await ship(t, household.entityId, origin, market.eid, 600));
    leaf = await confirm(t, shop.entityId, await ship(t, market.entityId, middle, shop.eid, 200));
    sibling = await confirm(t, farm.entityId, await ship(t, market.entityId, middle, farm.eid, 100));
  });
  afterAll(async () => t.close());

  it('consumer view: origin, masked household, chain of custody origin → this lot', async () => {
    const res = await t.http.get(`/api/v1/trace/${leaf}`).expect(200);
    expect(res.body.product).toBe('豇豆');
    expect(res.body.status).toBe('normal');
    expect(res.body.origin.entity.name).toBe('李**');
    expect(res.body.origin.base.lat).toBe(19.1); // a private person's plot is shown coarsely
    expect(res.body.origin.base.regionName).toContain('东方市');
    expect(res.body.chain.map((s: { traceCode: string }) => s.traceCode)).toEqual([origin, middle, leaf]);
    expect(res.body.chain[2].holder.name).toBe('北京新发地');
    expect(JSON.stringify(res.body)).not.toContain('13698760003');
  });

  it('accepts a displayed (hyphenated, lower-case) code', async () => {
    const display = `${leaf.slice(0, 6)}-${leaf.slice(6, 12)}-${leaf.slice(12, 17)}-${leaf.slice(17, 21)}-${leaf.slice(21)}`.toLowerCase();
    const res = await t.http.get(`/api/v1/trace/${display}`).expect(200);
    expect(res.body.traceCode).toBe(leaf);
  });

  it('a forged or mistyped code is a 400 without lookup; a well-signed unknown code is a 404', async () => {
    const flipped = leaf.slice(0, 20) + (leaf[20] === '1' ? '2' : '1') + leaf.slice(21);
    const res = await t.http.get(`/api/v1/trace/${flipped}`).expect(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'traceCode', reason: 'checksum' } });
    await t.http.get('/api/v1/trace/hello').expect(400);
    const { formatTraceCode } = await import('../../domain/lots');
    const unknown = formatTraceCode({ regionCode: '110101', productionDate: '2026-01-01', entitySegment: 'ZZZZZ', sequence: 9 }, SECRET);
    await t.http.get(`/api/v1/trace/${unknown}`).expect(404);
  });

  it('chain backward ends at the origin; forward lists every downstream lot and holder; both', async () => {
    const back = await t.http.get(`/api/v1/trace/${leaf}/chain`).query({ direction: 'backward' }).expect(200);
    expect(back.body.origin).toBe(origin);
    expect(back.body.lots.map((l: { _id: string }) => l._id).sort()).toEqual([origin, middle, leaf].sort());

    const fwd = await t.http.get(`/api/v1/trace/${origin}/chain`).query({ direction: 'forward' }).expect(200);
    expect(fwd.body.lots.map((l: { _id: string }) => l._id).sort()).toEqual([origin, middle, leaf, sibling].sort());
    expect(fwd.body.edges).toHaveLength(3);
    const holders = fwd.body.holders.map((h: { entityId: string }) => h.entityId);
    expect(holders).toEqual(expect.arrayContaining([market.entityId, shop.entityId, farm.entityId]));

    const both = await t.http.get(`/api/v1/trace/${middle}/chain`).query({ direction: 'both' }).expect(200);
    expect(both.body.origin).toBe(origin);
    expect(both.body.lots).toHaveLength(4);

    const limited = await t.http.get(`/api/v1/trace/${origin}/chain`).query({ direction: 'forward', depth: 1 }).expect(200);
    expect(limited.body.truncated).toBe(true);
    expect(limited.body.lots.map((l: { _id: string }) => l._id).sort()).toEqual([origin, middle].sort());

    const bad = await t.http.get(`/api/v1/trace/${origin}/chain`).query({ direction: 'sideways' }).expect(400);
    expect(bad.body.details.field).toBe('direction');
  });

  it('audit: full history of a stream, and its state as of a moment by replay', async () => {
    const full = await t.http.get(`/api/v1/audit/streams/lot-${origin}`).expect(200);
    expect(full.body.events.map((e: { type: string }) => e.type)).toEqual([
      'LotCreated', 'QuantityReserved', 'ReservationCommitted',
    ]);
    expect(full.body.state.shipped).toEqual({ amount: 600, unit: 'kg' });
    expect(full.body.integrity.ok).toBe(true);
    for (const e of full.body.events) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);

    const past = await t.http.get(`/api/v1/audit/streams/lot-${origin}`).query({ asOf: afterCreation }).expect(200);
    expect(past.body.events.map((e: { type: string }) => e.type)).toEqual(['LotCreated']);
    expect(past.body.state.shipped.amount).toBe(0);
    expect(past.body.totalEvents).toBe(3);

    await t.http.get(`/api/v1/audit/streams/lot-${origin}`).query({ asOf: 'yesterday' }).expect(400);
    await t.http.get('/api/v1/audit/streams/lot-NOPE').expect(404);
  });

  it('verify: the untouched ledger verifies; a rewritten event is found and named', async () => {
    const ok = await t.http.get('/api/v1/audit/verify').expect(200);
    expect(ok.body).toMatchObject({ ok: true, scope: 'ledger', breaks: [] });
    expect(ok.body.eventsChecked).toBeGreaterThan(20);

    const one = await t.http.get('/api/v1/audit/verify').query({ stream: `lot-${middle}` }).expect(200);
    expect(one.body).toMatchObject({ ok: true, scope: 'stream', eventsChecked: 5 }); // created, 2 reservations, 2 commits

    // Rewrite history behind the ledger's back, as an attacker with file access would.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(`${t.dataDir}/events.sqlite`);
    const row = db.prepare("select position, data from events where stream_id = ? and type = 'LotCreated'").get(`lot-${origin}`) as { position: number; data: string };
    db.prepare('update events set data = ? where position = ?').run(row.data.replace('"amount":800', '"amount":8000'), row.position);
    db.close();
    const broken = await t.http.get('/api/v1/audit/verify').expect(200);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.breaks[0]).toMatchObject({ streamId: `lot-${origin}`, revision: 0, reason: 'hash-mismatch' });
    const stream = await t.http.get(`/api/v1/audit/streams/lot-${origin}`).expect(200);
    expect(stream.body.integrity.ok).toBe(false);
  });

  it('audit log by actor and type', async () => {
    const res = await t.http.get('/api/v1/audit/log').query({ actor: `u-${market.entityId}`, type: 'TransferInitiated' }).expect(200);
    expect(res.body.total).toBe(2);
    const kw = await t.http.get('/api/v1/audit/log').query({ q: leaf }).expect(200);
    expect(kw.body.total).toBeGreaterThan(0);
  });

  it('search: Chinese words, region prefix, product, kind, facets and paging', async () => {
    const byWord = await t.http.get('/api/v1/search').query({ q: '豇豆' }).expect(200);
    expect(byWord.body.total).toBeGreaterThanOrEqual(4);
    const byProvince = await t.http.get('/api/v1/search').query({ q: '海南', kind: 'entity' }).expect(200);
    const names = byProvince.body.hits.map((h: { title: string }) => h.title);
    expect(names).toEqual(expect.arrayContaining(['海口南北批发市场', '乐东佛罗豇豆合作社']));
    expect(names).not.toContain('北京新发地');
    const beijing = await t.http.get('/api/v1/search').query({ region: '11', kind: 'lot' }).expect(200);
    expect(beijing.body.hits.map((h: { payload: { traceCode: string } }) => h.payload.traceCode)).toEqual([leaf]);
    const facets = await t.http.get('/api/v1/search').query({ product: '豇豆', facets: 'kind,province' }).expect(200);
    expect(facets.body.facets.kind).toEqual(expect.arrayContaining([{ value: 'lot', count: 4 }]));
    expect(facets.body.facets.province).toEqual(expect.arrayContaining([{ value: '46', count: expect.any(Number) }, { value: '11', count: expect.any(Number) }]));
    const paged = await t.http.get('/api/v1/search').query({ q: '豇豆', size: 2, page: 2 }).expect(200);
    expect(paged.body.hits).toHaveLength(2);
    expect(paged.body.page).toBe(2);
    const inBox = await t.http.get('/api/v1/search').query({ bbox: '116,39,117,40', kind: 'base' }).expect(200);
    expect(inBox.body.hits.every((h: { location: { lat: number } }) => h.location.lat > 39)).toBe(true);
    expect(inBox.body.total).toBeGreaterThan(0);
    const bad = await t.http.get('/api/v1/search').query({ region: 'hainan' }).expect(400);
    expect(bad.body.details.field).toBe('region');
    const badBox = await t.http.get('/api/v1/search').query({ bbox: '1,2,3' }).expect(400);
    expect(badBox.body.details.field).toBe('bbox');
  });

  it('the label URL opens the consumer page; OpenAPI is served', async () => {
    const page = await t.http.get(`/t/${leaf}`).expect(200);
    expect(page.text).toContain('溯源');
    const doc = await t.http.get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/lots', '/api/v1/trace/{traceCode}', '/api/v1/audit/verify']));
    expect(doc.body.paths['/api/v1/entities'].post.requestBody.content['application/json'].schema.properties.bases).toBeDefined();
  });

  it('a producer may not ship from a lot it does not hold', async () => {
    const res = await t.http
      .post('/api/v1/transfers')
      .set(asProducer(farm.entityId))
      .send({ fromTraceCode: leaf, quantity: { amount: 1, unit: 'kg' }, to: { kind: 'registered', eid: market.eid } })
      .expect(403);
    expect(res.body.error).toBe('NOT_HOLDER');
  });
});
