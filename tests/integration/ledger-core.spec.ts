import { parseTraceCode } from '../../domain/lots';
import { createLot, confirm, registeredEntity, ship, entityBody } from './support/fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

describe('ledger core over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  describe('registration', () => {
    it('applies, records the 5-working-day review deadline, approves with an e-ID', async () => {
      const body = entityBody();
      const applied = await t.http.post('/api/v1/entities').send(body).expect(201);
      expect(applied.body.status).toBe('pending');
      expect(Date.parse(applied.body.reviewDeadline)).toBeGreaterThan(Date.now() + 4 * 86_400_000);
      const approved = await t.http.post(`/api/v1/entities/${applied.body.entityId}/approve`).set(asCounty('469027')).send({}).expect(200);
      expect(approved.body.eid).toMatch(/^469027[0-9A-Z]{6}$/);
      const entity = await t.http.get(`/api/v1/entities/${applied.body.entityId}`).expect(200);
      expect(entity.body).toMatchObject({ status: 'approved', eid: approved.body.eid, name: body.name });
      expect(entity.body.bases[0].lat).toBe(18.601234);
      expect(entity.body.bases[0].lon).toBe(108.780512);
    });

    it('rejects with a reason; approving a rejected entity is a 409', async () => {
      const applied = await t.http.post('/api/v1/entities').send(entityBody()).expect(201);
      await t.http.post(`/api/v1/entities/${applied.body.entityId}/reject`).send({ reason: '材料不全' }).expect(200);
      const again = await t.http.post(`/api/v1/entities/${applied.body.entityId}/approve`).send({}).expect(409);
      expect(again.body.error).toBe('INVALID_STATE');
    });

    it('keeps coordinates with more than 6 decimals exactly', async () => {
      const body = entityBody();
      body.bases[0]!.lat = 18.60123456;
      body.bases[0]!.lon = 108.78051234;
      const applied = await t.http.post('/api/v1/entities').send(body).expect(201);
      const entity = await t.http.get(`/api/v1/entities/${applied.body.entityId}`).expect(200);
      expect(entity.body.bases[0]).toMatchObject({ lat: 18.60123456, lon: 108.78051234 });
    });

    it.each([
      ['regionCode', { regionCode: '12' }],
      ['entityType', { entityType: 'bank' }],
      ['bases', { bases: [] }],
      ['bases.0.lat', { bases: [{ name: 'x', regionCode: '469027', address: 'a', lat: 'north', lon: 108.1, products: ['豇豆'] }] }],
      ['contactPhone', { contactPhone: 'call me' }],
      ['name', { name: '' }],
    ])('bad input names the field %s and appends nothing', async (field, override) => {
      const before = await t.platform.adapters.eventStore.headPosition();
      const res = await t.http.post('/api/v1/entities').send(entityBody(override)).expect(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field } });
      expect(res.body.message).toContain(field);
      expect(await t.platform.adapters.eventStore.headPosition()).toBe(before);
    });

    it('a region code that does not exist is rejected by the domain, naming the field', async () => {
      const res = await t.http.post('/api/v1/entities').send(entityBody({ regionCode: '999999' })).expect(400);
      expect(res.body.details.field).toBe('regionCode');
    });

    it('unknown entity → 404', async () => {
      const res = await t.http.post('/api/v1/entities/no-such-entity/approve').send({}).expect(404);
      expect(res.body.error).toBe('NOT_FOUND');
      await t.http.get('/api/v1/entities/no-such-entity').expect(404);
    });

    it('updates the registration', async () => {
      const e = await registeredEntity(t);
      await t.http.patch(`/api/v1/entities/${e.entityId}`).set(asProducer(e.entityId)).send({ address: '海南省乐东县新地址' }).expect(200);
      const entity = await t.http.get(`/api/v1/entities/${e.entityId}`).expect(200);
      expect(entity.body.address).toBe('海南省乐东县新地址');
    });
  });

  describe('lots and transfers', () => {
    it('creates a lot with a signed trace code and a label URL', async () => {
      const e = await registeredEntity(t);
      const res = await t.http
        .post('/api/v1/lots')
        .set(asProducer(e.entityId))
        .send({ entityId: e.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 500, unit: 'kg' }, productionDate: '2026-11-20' })
        .expect(201);
      expect(res.body.traceCode).toHaveLength(25);
      expect(parseTraceCode(res.body.traceCode, 'integration-test-secret-0123456789').ok).toBe(true);
      expect(res.body.labelUrl).toBe(`http://suyuan.test/t/${res.body.traceCode}`);
      const lot = await t.http.get(`/api/v1/lots/${res.body.traceCode}`).expect(200);
      expect(lot.body).toMatchObject({ product: '豇豆', available: 500, unit: 'kg', holder: { entityId: e.entityId, eid: e.eid } });
    });

    it('a pending (unapproved) entity cannot create lots', async () => {
      const applied = await t.http.post('/api/v1/entities').send(entityBody()).expect(201);
      const res = await t.http
        .post('/api/v1/lots')
        .set(asProducer(applied.body.entityId))
        .send({ entityId: applied.body.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 1, unit: 'kg' }, productionDate: '2026-11-20' })
        .expect(409);
      expect(res.body.error).toBe('ENTITY_NOT_APPROVED');
    });

    it.each([
      ['quantity.amount', { quantity: { amount: -5, unit: 'kg' } }],
      ['quantity.unit', { quantity: { amount: 5, unit: 'bushel' } }],
      ['productionDate', { productionDate: '20/11/2026' }],
      ['baseId', { baseId: 'B99' }],
    ])('bad lot input names %s', async (field, override) => {
      const e = await registeredEntity(t);
      const before = await t.platform.adapters.eventStore.headPosition();
      const res = await t.http
        .post('/api/v1/lots')
        .set(asProducer(e.entityId))
        .send({ entityId: e.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 5, unit: 'kg' }, productionDate: '2026-11-20', ...override })
        .expect(400);
      expect(res.body.details.field).toBe(field);
      expect(await t.platform.adapters.eventStore.headPosition()).toBe(before);
    });

    it('ships part of a lot, reserving it; the receiver confirms into a child lot linked to its source', async () => {
      const a = await registeredEntity(t);
      const b = await registeredEntity(t, { regionCode: '460108', bases: [{ name: '冷库', regionCode: '460108', address: '美兰区', lat: 20.001234, lon: 110.452345, products: ['豇豆'] }] });
      const code = await createLot(t, a.entityId, 1000);
      const transferId = await ship(t, a.entityId, code, b.eid, 400);
      let source = await t.http.get(`/api/v1/lots/${code}`).expect(200);
      expect(source.body).toMatchObject({ available: 600, reserved: 400, shipped: 0 });
      const pending = await t.http.get('/api/v1/transfers').query({ toEntityId: b.entityId, status: 'pending' }).expect(200);
      expect(pending.body.items.map((x: { transferId: string }) => x.transferId)).toContain(transferId);

      const child = await confirm(t, b.entityId, transferId);
      expect(child).not.toBe(code);
      expect(child.startsWith('460108')).toBe(true);
      source = await t.http.get(`/api/v1/lots/${code}`).expect(200);
      expect(source.body).toMatchObject({ available: 600, reserved: 0, shipped: 400 });
      const childLot = await t.http.get(`/api/v1/lots/${child}`).expect(200);
      expect(childLot.body).toMatchObject({ parentTraceCode: code, available: 400, holder: { entityId: b.entityId }, depth: 1, rootTraceCode: code });
    });

    it('confirming twice and rejecting a confirmed transfer are 409s; reject releases the reservation', async () => {
      const a = await registeredEntity(t);
      const b = await registeredEntity(t);
      const code = await createLot(t, a.entityId, 100);
      const t1 = await ship(t, a.entityId, code, b.eid, 30);
      await confirm(t, b.entityId, t1);
      const twice = await t.http.post(`/api/v1/transfers/${t1}/confirm`).set(asProducer(b.entityId)).send({}).expect(409);
      expect(twice.body.error).toBe('INVALID_STATE');
      const rejectConfirmed = await t.http.post(`/api/v1/transfers/${t1}/reject`).set(asProducer(b.entityId)).send({ reason: 'x' }).expect(409);
      expect(rejectConfirmed.body.error).toBe('INVALID_STATE');

      const t2 = await ship(t, a.entityId, code, b.eid, 50);
      await t.http.post(`/api/v1/transfers/${t2}/reject`).set(asProducer(b.entityId)).send({ reason: '质量不合格' }).expect(200);
      const source = await t.http.get(`/api/v1/lots/${code}`).expect(200);
      expect(source.body).toMatchObject({ available: 70, reserved: 0, shipped: 30 });
      const transfer = await t.http.get(`/api/v1/transfers/${t2}`).expect(200);
      expect(transfer.body).toMatchObject({ status: 'rejected', reason: '质量不合格' });
    });

    it('only the receiver may confirm', async () => {
      const a = await registeredEntity(t);
      const b = await registeredEntity(t);
      const code = await createLot(t, a.entityId, 100);
      const id = await ship(t, a.entityId, code, b.eid, 10);
      const res = await t.http.post(`/api/v1/transfers/${id}/confirm`).set(asProducer(a.entityId)).send({}).expect(403);
      expect(res.body.error).toBe('NOT_RECEIVER');
    });

    it('never ships more than the lot holds (409 with the available amount), and nothing is appended', async () => {
      const a = await registeredEntity(t);
      const b = await registeredEntity(t);
      const code = await createLot(t, a.entityId, 100);
      const before = await t.platform.adapters.eventStore.headPosition();
      const res = await t.http
        .post('/api/v1/transfers')
        .set(asProducer(a.entityId))
        .send({ fromTraceCode: code, quantity: { amount: 120, unit: 'kg' }, to: { kind: 'registered', eid: b.eid } })
        .expect(409);
      expect(res.body.error).toBe('INSUFFICIENT_QUANTITY');
      expect(await t.platform.adapters.eventStore.headPosition()).toBe(before);
    });

    it('converts units when shipping (斤 from a kg lot)', async () => {
      const a = await registeredEntity(t);
      const b = await registeredEntity(t);
      const code = await createLot(t, a.entityId, 100, 'kg');
      await ship(t, a.entityId, code, b.eid, 50, 'jin');
      const source = await t.http.get(`/api/v1/lots/${code}`).expect(200);
      expect(source.body).toMatchObject({ available: 75, reserved: 25 });
    });

    it('a shipment to an unregistered party is recorded by hand and ends the chain', async () => {
      const a = await registeredEntity(t);
      const code = await createLot(t, a.entityId, 100);
      const res = await t.http
        .post('/api/v1/transfers')
        .set(asProducer(a.entityId))
        .send({ fromTraceCode: code, quantity: { amount: 20, unit: 'kg' }, to: { kind: 'unregistered', name: '农贸市场摊主', phone: '13800138000' } })
        .expect(201);
      expect(res.body.status).toBe('closed');
      const chain = await t.http.get(`/api/v1/trace/${code}/chain`).query({ direction: 'forward' }).expect(200);
      expect(chain.body.edges).toEqual([expect.objectContaining({ kind: 'off-ledger', to: null, quantity: 20 })]);
      await t.http.post(`/api/v1/transfers/${res.body.transferId}/confirm`).set(asProducer(a.entityId)).send({}).expect(409);
    });

    it('shipping to an unknown or malformed e-ID: 404 / 400 naming to.eid', async () => {
      const a = await registeredEntity(t);
      const code = await createLot(t, a.entityId, 100);
      const bad = await t.http
        .post('/api/v1/transfers')
        .set(asProducer(a.entityId))
        .send({ fromTraceCode: code, quantity: { amount: 1, unit: 'kg' }, to: { kind: 'registered', eid: 'nonsense' } })
        .expect(400);
      expect(bad.body.details.field).toBe('to.eid');
      const unknown = await t.http
        .post('/api/v1/transfers')
        .set(asProducer(a.entityId))
        .send({ fromTraceCode: code, quantity: { amount: 1, unit: 'kg' }, to: { kind: 'registered', eid: a.eid.slice(0, 6) + 'ZZZZZ' + a.eid.slice(11) } });
      expect([400, 404]).toContain(unknown.status);
    });

    it('unknown transfer → 404', async () => {
      await t.http.post('/api/v1/transfers/00000000-0000-7000-8000-000000000000/confirm').set(asProducer('someone')).send({}).expect(404);
      await t.http.get('/api/v1/transfers/nope').expect(404);
    });

    it('is idempotent by commandId: a retried request appends nothing and returns the same answer', async () => {
      const a = await registeredEntity(t);
      const body = { entityId: a.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 5, unit: 'kg' }, productionDate: '2026-11-20', commandId: 'retry-test-0001' };
      const first = await t.http.post('/api/v1/lots').set(asProducer(a.entityId)).send(body).expect(201);
      const head = await t.platform.adapters.eventStore.headPosition();
      const second = await t.http.post('/api/v1/lots').set(asProducer(a.entityId)).send(body).expect(201);
      expect(second.body.traceCode).toBe(first.body.traceCode);
      expect(second.body.duplicate).toBe(true);
      expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);
    });

    it('issues a market-entry certificate with a QR payload pointing at the trace page', async () => {
      const a = await registeredEntity(t);
      const code = await createLot(t, a.entityId, 100);
      const res = await t.http
        .post('/api/v1/market-entries')
        .set(asProducer(a.entityId))
        .send({ traceCode: code, market: { name: '广州江南果菜批发市场', kind: 'wholesale', regionCode: '440111' }, quantity: { amount: 40, unit: 'kg' } })
        .expect(201);
      expect(res.body.certificateNo).toMatch(/^RS\d{8}[0-9A-Z]{8}$/);
      expect(res.body.qrPayload).toBe(`http://suyuan.test/t/${code}?cert=${res.body.certificateNo}`);
      const view = await t.http.get(`/api/v1/trace/${code}`).expect(200);
      expect(view.body.certificates).toEqual([expect.objectContaining({ certificateNo: res.body.certificateNo })]);
      const bad = await t.http.post('/api/v1/market-entries').set(asProducer(a.entityId)).send({ traceCode: code, market: { name: 'x', kind: 'bazaar', regionCode: '440111' }, quantity: { amount: 1, unit: 'kg' } }).expect(400);
      expect(bad.body.details.field).toBe('market.kind');
    });
  });
});
