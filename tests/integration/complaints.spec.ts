import { createLot, registeredEntity } from './support/fixtures';
import { asCounty, startTestApp, type TestApp } from './support/test-app';

/**
 * 12316 complaints over HTTP: the public submits from the consumer page (by trace code → the county where the
 * lot is), reads the answer with its receipt only; the county lists (phones masked) and answers; another
 * county neither sees nor answers it; nothing in the ledger holds the receipt or an unneeded phone number.
 */
describe('12316 complaints', () => {
  let t: TestApp;
  let lot: string;
  let entityId: string;
  const publicCaller = { 'X-Role': 'consumer' };
  beforeAll(async () => {
    t = await startTestApp();
    const entity = await registeredEntity(t);
    entityId = entity.entityId;
    lot = await createLot(t, entity.entityId);
  });
  afterAll(async () => t.close());
  const settled = async () => t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());

  it('a complaint about a lot goes to its county; the receipt reads the answer; phones are masked in lists', async () => {
    const submitted = await t.http
      .post('/api/v1/complaints')
      .set(publicCaller)
      .send({ traceCode: lot, content: '买到的豇豆有刺鼻农药味', contact: { name: '王女士', phone: '13807610001', callBack: true } })
      .expect(201);
    const { complaintId, receipt } = submitted.body as { complaintId: string; receipt: string };
    expect(receipt).toMatch(/^[0-9A-Z]{24}$/);
    await settled();

    const list = await t.http.get('/api/v1/complaints').set(asCounty('469027')).expect(200);
    const listed = list.body.items.find((c: { complaintId: string }) => c.complaintId === complaintId);
    expect(listed).toMatchObject({ traceCode: lot, product: '豇豆', regionCode: '469027', status: 'open', contact: { name: '王女士', phone: '138****0001', callBack: true } });
    expect(listed.receiptSha256).toBeUndefined();
    const one = await t.http.get(`/api/v1/complaints/${complaintId}`).set(asCounty('469027')).expect(200);
    expect(one.body.contact.phone).toBe('13807610001');

    // Another county: not in its list, refused on the record and on the answer.
    const elsewhere = await t.http.get('/api/v1/complaints').set(asCounty('370686')).expect(200);
    expect(elsewhere.body.items.map((c: { complaintId: string }) => c.complaintId)).not.toContain(complaintId);
    await t.http.get(`/api/v1/complaints/${complaintId}`).set(asCounty('370686')).expect(403);
    await t.http.post(`/api/v1/complaints/${complaintId}/answer`).set(asCounty('370686')).send({ answer: 'x' }).expect(403);
    await t.http.get('/api/v1/complaints').set(publicCaller).expect(403);

    // Before the answer: open, no answer; a wrong receipt learns nothing.
    const pending = await t.http.get(`/api/v1/complaints/${complaintId}/answer`).query({ receipt }).set(publicCaller).expect(200);
    expect(pending.body).toMatchObject({ status: 'open', answer: null });
    await t.http.get(`/api/v1/complaints/${complaintId}/answer`).query({ receipt: 'A'.repeat(24) }).set(publicCaller).expect(404);

    await t.http.post(`/api/v1/complaints/${complaintId}/answer`).set(asCounty('469027')).send({ answer: '已对该批次抽检，结果将在三个工作日内公布', incidentId: 'no-such-incident' }).expect(400);
    await t.http.post(`/api/v1/complaints/${complaintId}/answer`).set(asCounty('469027')).send({ answer: '已对该批次抽检，结果将在三个工作日内公布' }).expect(200);
    await t.http.post(`/api/v1/complaints/${complaintId}/answer`).set(asCounty('469027')).send({ answer: 'again' }).expect(409);
    await settled();
    const answered = await t.http.get(`/api/v1/complaints/${complaintId}/answer`).query({ receipt }).set(publicCaller).expect(200);
    expect(answered.body).toMatchObject({ status: 'answered', answer: '已对该批次抽检，结果将在三个工作日内公布' });

    const events = await t.platform.adapters.eventStore.readStream(`complaint-${complaintId}`);
    expect(JSON.stringify(events)).not.toContain(receipt);
  });

  it('without a call-back the number is not kept; a message names its county; a forged code is refused', async () => {
    const { complaintId } = (await t.http.post('/api/v1/complaints').set(publicCaller).send({ kind: 'message', regionCode: '469027', content: '建议公布抽检结果', contact: { phone: '13807610002' } }).expect(201)).body;
    const events = await t.platform.adapters.eventStore.readStream(`complaint-${complaintId}`);
    expect(JSON.stringify(events)).not.toContain('13807610002');
    const noPlace = await t.http.post('/api/v1/complaints').set(publicCaller).send({ content: 'x' }).expect(400);
    expect(noPlace.body.details.field).toBe('regionCode');
    const forged = await t.http.post('/api/v1/complaints').set(publicCaller).send({ traceCode: `${lot.slice(0, -1)}${lot.endsWith('0') ? '1' : '0'}`, content: 'x' }).expect(400);
    expect(forged.body.details.field).toBe('traceCode');
  });

  it('certificate verification: a genuine certificate is confirmed, a fake or another lot’s is refused', async () => {
    const issued = await t.http
      .post('/api/v1/market-entries')
      .set({ 'X-Role': 'producer', 'X-Org-Id': entityId, 'X-User-Id': `u-${entityId}` })
      .send({ traceCode: lot, market: { name: '乐东农贸市场', kind: 'retail', regionCode: '469027' }, quantity: { amount: 10, unit: 'kg' } })
      .expect(201);
    const certificateNo = issued.body.certificateNo as string;
    await settled();
    const ok = await t.http.get(`/api/v1/certificates/${certificateNo}`).query({ traceCode: lot }).set(publicCaller).expect(200);
    expect(ok.body).toMatchObject({ certificateNo, traceCode: lot, market: { name: '乐东农贸市场', kind: 'retail' }, quantity: { amount: 10, unit: 'kg' } });
    // Lower case as typed from the paper is the same number.
    await t.http.get(`/api/v1/certificates/${certificateNo.toLowerCase()}`).query({ traceCode: lot }).set(publicCaller).expect(200);
    const fake = `${certificateNo.slice(0, -1)}${certificateNo.endsWith('0') ? '1' : '0'}`;
    const refused = await t.http.get(`/api/v1/certificates/${fake}`).query({ traceCode: lot }).set(publicCaller).expect(404);
    expect(refused.body).toMatchObject({ error: 'NOT_FOUND', details: { what: 'certificate' } });
    const other = await createLot(t, entityId, 50);
    await t.http.get(`/api/v1/certificates/${certificateNo}`).query({ traceCode: other }).set(publicCaller).expect(404);
    const malformed = await t.http.get('/api/v1/certificates/12345').query({ traceCode: lot }).set(publicCaller).expect(400);
    expect(malformed.body.details.field).toBe('certificateNo');
    await t.http.get(`/api/v1/certificates/${certificateNo}`).set(publicCaller).expect(400);
  });
});
