import { startTestApp, type TestApp } from './support/test-app';

/**
 * Origin records over HTTP (issue 13 parts 1, 3, 5, 6): a township collector collects a record in its township
 * (a 400 naming the field for a 5-decimal point), the county returns it with a reason and a deadline, the
 * collector fixes it (信息变更, history kept), the county approves; a neighbouring township sees nothing, the
 * province sees completeness and the map points inside a bbox; the 附件2 contacts are set per region.
 */
const actor = (role: string, region: string, user: string, org = `org-${user}`) => ({ 'X-Role': role, 'X-Region': region, 'X-User-Id': user, 'X-Org-Id': org });
const COLLECTOR = actor('township-admin', '110101001', 'u-dhm');
const NEIGHBOUR = actor('township-admin', '110101002', 'u-jgs');
const COUNTY = actor('county-admin', '110101', 'u-dc');
const PROVINCE = actor('province-admin', '11', 'u-bj');
const OTHER_COUNTY = actor('county-admin', '110102', 'u-xc');

const fields = (over: Record<string, unknown> = {}) => ({
  producerName: '东华门豇豆专业合作社',
  producerType: 'cooperative',
  industry: 'planting',
  product: '豇豆',
  certification: 'green',
  address: { villageCode: '110101001001' },
  point: { lat: '39.9163447', lon: '116.3971546' },
  contact: { name: '王芳', mobile: '13800138000' },
  scale: { amount: '2.5', unit: '亩' },
  marketing: { from: '2026-05', to: '2026-09' },
  productionMethods: ['open-field'],
  traceMethods: ['compliance-certificate'],
  gridWorker: { name: '李强', mobile: '13912345678' },
  collector: { name: '赵敏', mobile: '15012345678' },
  ...over,
});

describe('origin records API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses a point with 5 decimals, naming the field, and appends nothing', async () => {
    const res = await t.http.post('/api/v1/origin/records').set(COLLECTOR).send({ fields: fields({ point: { lat: '39.91634', lon: '116.3971546' } }) }).expect(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'point.lat' } });
  });

  it('a township collector may not collect in a village of another township (403)', async () => {
    await t.http.post('/api/v1/origin/records').set(NEIGHBOUR).send({ fields: fields() }).expect(403);
  });

  it('collect → return with reason → fix → approve; scope, history and visibility', async () => {
    const created = (await t.http.post('/api/v1/origin/records').set(COLLECTOR).send({ fields: fields(), channel: 'map' }).expect(201)).body;
    const id = created.recordId as string;
    expect(created.reviewState).toBe('pending');

    const doc = (await t.http.get(`/api/v1/origin/records/${id}`).set(COLLECTOR).expect(200)).body;
    expect(doc.fields.point).toEqual({ lat: '39.9163447', lon: '116.3971546' });
    expect(doc).toMatchObject({ inScope: true, townshipCode: '110101001', reviewState: 'pending', channel: 'map' });
    await t.http.get(`/api/v1/origin/records/${id}`).set(NEIGHBOUR).expect(403);
    await t.http.get(`/api/v1/origin/records/${id}`).set(OTHER_COUNTY).expect(403);
    expect((await t.http.get('/api/v1/origin/records').set(NEIGHBOUR).expect(200)).body.total).toBe(0);

    // A collector cannot review; the county returns it with a reason and a deadline.
    await t.http.post(`/api/v1/origin/records/${id}/approve`).set(COLLECTOR).expect(403);
    await t.http.post(`/api/v1/origin/records/${id}/return`).set(COUNTY).send({ reason: '经纬度与村不符', deadline: '2099-01-01T00:00:00Z' }).expect(200);
    const queue = (await t.http.get('/api/v1/origin/records?reviewState=returned').set(COLLECTOR).expect(200)).body;
    expect(queue.items.map((d: { _id: string; returnReason: string }) => [d._id, d.returnReason])).toEqual([[id, '经纬度与村不符']]);

    // The same content again is no change; a real fix is 信息变更 and goes back to pending.
    expect((await t.http.put(`/api/v1/origin/records/${id}`).set(COLLECTOR).send({ fields: fields() }).expect(200)).body.changed).toBe(false);
    const fixed = (await t.http.put(`/api/v1/origin/records/${id}`).set(COLLECTOR).send({ fields: fields({ point: { lat: '39.9163450', lon: '116.3971550' } }) }).expect(200)).body;
    expect(fixed).toMatchObject({ changed: true, reviewState: 'pending' });
    await t.http.post(`/api/v1/origin/records/${id}/approve`).set(COUNTY).expect(200);
    const history = await t.platform.adapters.eventStore.readStream(`origin-${id}`);
    expect(history.map((e) => e.type)).toEqual(['OriginRecordCollected', 'OriginRecordReturned', 'OriginRecordChanged', 'OriginRecordApproved']);
    expect(history[2]!.data.changed).toEqual([
      { field: 'point.lat', before: '39.9163447', after: '39.9163450' },
      { field: 'point.lon', before: '116.3971546', after: '116.3971550' },
    ]);

    // The province sees completeness and the map points in a bbox; a bbox elsewhere holds none.
    const completeness = (await t.http.get('/api/v1/origin/completeness').set(PROVINCE).expect(200)).body;
    expect(completeness).toMatchObject({ region: '11', collected: 1, approved: 1, returned: 0, pending: 0, inScope: 1 });
    expect(completeness.byProduct.find((p: { product: string }) => p.product === 'cowpea')).toMatchObject({ collected: 1, approved: 1 });
    const points = (await t.http.get('/api/v1/origin/points?bbox=116.3,39.8,116.5,40.0').set(PROVINCE).expect(200)).body;
    expect(points.items).toEqual([{ id, product: 'cowpea', lat: '39.9163450', lon: '116.3971550', reviewState: 'approved', inScope: true }]);
    expect((await t.http.get('/api/v1/origin/points?bbox=110,18,111,19').set(PROVINCE).expect(200)).body.items).toEqual([]);
    await t.http.get('/api/v1/origin/completeness?region=12').set(PROVINCE).expect(403);
  });

  it('a record below the threshold is kept and marked 规模以下', async () => {
    const id = (await t.http.post('/api/v1/origin/records').set(COLLECTOR).send({ fields: fields({ producerName: '张三', producerType: 'household', scale: { amount: '0.3', unit: '亩' } }) }).expect(201)).body.recordId;
    expect((await t.http.get(`/api/v1/origin/records/${id}`).set(COUNTY).expect(200)).body).toMatchObject({ inScope: false, scope: { threshold: { amount: '0.5', unit: '亩' } } });
  });

  it('附件2 contacts: a county sets its own list, not another county’s; a bad mobile names the field', async () => {
    const contact = { leadUnit: '东城区农业农村局', leadName: '刘洋', leadTitle: '局长', leadLandline: '010-64012345', officerName: '陈晨', officerMobile: '13700001111', officerEmail: 'chen@example.cn' };
    await t.http.put('/api/v1/origin/contacts/110101').set(COUNTY).send({ contacts: [contact] }).expect(200);
    expect((await t.http.get('/api/v1/origin/contacts/110101').set(PROVINCE).expect(200)).body.contacts).toEqual([{ ...contact, leadMobile: null, officerLandline: null, note: null }]);
    await t.http.put('/api/v1/origin/contacts/110102').set(COUNTY).send({ contacts: [contact] }).expect(403);
    const bad = await t.http.put('/api/v1/origin/contacts/110101').set(COUNTY).send({ contacts: [{ ...contact, officerMobile: '12345' }] }).expect(400);
    expect(bad.body.details.field).toBe('contacts[0].officerMobile');
  });
});
