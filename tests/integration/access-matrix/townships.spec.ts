import { createLot, entityBody, registeredEntity } from '../support/fixtures';
import { cstDate } from '../support/quality-fixtures';
import { asCounty, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 11 finding 5, townships: "Township accounts see nothing … yet they can write records." The registry
 * now locates an entity and its bases to a township (optional `townshipCode`), so a township account sees
 * the entities and lots located in it and no other; and a township (like any inspector or agency) records
 * and refers inspection visits only on a task that names it or lies in its region. Dev identity headers.
 */
const as = (role: string, region: string, user: string) => ({ 'X-Role': role, 'X-Region': region, 'X-Org-Id': `org-${user}`, 'X-User-Id': user });
const FOLUO = '469027108'; // 佛罗镇, 乐东
const WANCHONG = '469027101'; // 万冲镇, 乐东
const base = (townshipCode?: string) => ({ name: '豇豆基地', regionCode: '469027', ...(townshipCode ? { townshipCode } : {}), address: '乐东', lat: 18.6, lon: 108.78, products: ['豇豆'] });

describe('township accounts (issue 11 finding 5)', () => {
  let t: TestApp;
  const foluoAdmin = as('township-admin', FOLUO, 'u-foluo');
  let inFoluo: { entityId: string; eid: string };
  let baseInFoluo: { entityId: string; eid: string };
  let inWanchong: { entityId: string; eid: string };
  let countyOnly: { entityId: string; eid: string };
  const lots: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    inFoluo = await registeredEntity(t, { name: '佛罗甲合作社', townshipCode: FOLUO, bases: [base(FOLUO)] });
    baseInFoluo = await registeredEntity(t, { name: '万冲乙合作社', townshipCode: WANCHONG, bases: [base(FOLUO)] });
    inWanchong = await registeredEntity(t, { name: '万冲丙合作社', townshipCode: WANCHONG, bases: [base(WANCHONG)] });
    countyOnly = await registeredEntity(t, { name: '乐东丁合作社' });
    for (const [name, e] of Object.entries({ inFoluo, baseInFoluo, inWanchong, countyOnly })) lots[name] = await createLot(t, e.entityId, 100);
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
  });
  afterAll(async () => t?.close());

  const head = () => t.platform.adapters.eventStore.headPosition();
  const appendedSince = async (position: number) =>
    (await t.platform.adapters.eventStore.readAll({ afterPosition: position, maxCount: 1000 })).filter((e) => !e.streamId.startsWith('access-')).map((e) => e.type);

  describe('registration', () => {
    it.each([
      ['not nine digits', { townshipCode: '469027' }, 'townshipCode'],
      ['outside the declared county', { townshipCode: '460105001' }, 'townshipCode'],
      ['no such township', { townshipCode: '469027999' }, 'townshipCode'],
      ['a base’s township outside the base’s county', { bases: [{ ...base(), townshipCode: '460105001' }] }, 'bases[0].townshipCode'],
    ])('a township code %s is refused (400 naming the field), nothing appended', async (_n, over, field) => {
      const before = await head();
      const res = await t.http.post('/api/v1/entities').send(entityBody(over));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
      expect(await appendedSince(before)).toEqual([]);
    });

    it('the entity and lots read models carry the township codes (an application without one stays valid)', async () => {
      const entity = (await t.http.get(`/api/v1/entities/${baseInFoluo.entityId}`).set(asCounty('469027')).expect(200)).body;
      expect(entity).toMatchObject({ townshipCode: WANCHONG, townshipCodes: [WANCHONG, FOLUO], bases: [{ townshipCode: FOLUO }] });
      const lot = (await t.http.get(`/api/v1/lots/${lots.baseInFoluo}`).set(asCounty('469027')).expect(200)).body;
      expect(lot).toMatchObject({ holder: { townshipCode: WANCHONG }, base: { townshipCode: FOLUO }, townshipCodes: [WANCHONG, FOLUO] });
      const plain = (await t.http.get(`/api/v1/entities/${countyOnly.entityId}`).set(asCounty('469027')).expect(200)).body;
      expect(plain.townshipCodes).toEqual([]);
    });
  });

  describe('what a township sees', () => {
    it('lists the entities located in its township (registered there, or with a base there) and not its neighbour’s or county-only ones', async () => {
      const listed = await t.http.get('/api/v1/entities').set(foluoAdmin).expect(200);
      expect(listed.body.items.map((e: { _id: string }) => e._id).sort()).toEqual([inFoluo.entityId, baseInFoluo.entityId].sort());
      const neighbour = await t.http.get('/api/v1/entities').set(as('township-admin', WANCHONG, 'u-wanchong')).expect(200);
      expect(neighbour.body.items.map((e: { _id: string }) => e._id).sort()).toEqual([baseInFoluo.entityId, inWanchong.entityId].sort());
    });

    it('reads its township’s entity and lots; its neighbour’s and county-only ones are refused (403)', async () => {
      await t.http.get(`/api/v1/entities/${inFoluo.entityId}`).set(foluoAdmin).expect(200);
      await t.http.get(`/api/v1/lots/${lots.inFoluo}`).set(foluoAdmin).expect(200);
      await t.http.get(`/api/v1/lots/${lots.baseInFoluo}`).set(foluoAdmin).expect(200); // produced on a base in 佛罗
      expect((await t.http.get(`/api/v1/entities/${inWanchong.entityId}`).set(foluoAdmin)).status).toBe(403);
      expect((await t.http.get(`/api/v1/lots/${lots.inWanchong}`).set(foluoAdmin)).status).toBe(403);
      expect((await t.http.get(`/api/v1/lots/${lots.countyOnly}`).set(foluoAdmin)).status).toBe(403);
    });

    it('lists the lots located in its township only; a region filter outside it is refused', async () => {
      const listed = await t.http.get('/api/v1/lots').set(foluoAdmin).expect(200);
      expect(listed.body.items.map((l: { _id: string }) => l._id).sort()).toEqual([lots.inFoluo, lots.baseInFoluo].sort());
      expect((await t.http.get('/api/v1/lots').set(foluoAdmin).query({ region: WANCHONG })).status).toBe(403);
      // The county may narrow its lists to one township.
      const county = await t.http.get('/api/v1/entities').set(asCounty('469027')).query({ region: WANCHONG }).expect(200);
      expect(county.body.items.map((e: { _id: string }) => e._id).sort()).toEqual([baseInFoluo.entityId, inWanchong.entityId].sort());
    });
  });

  describe('what a township (or any inspector) may write', () => {
    const visit = (eid: string, findings: object[] = []) => ({ subject: { kind: 'registered', eid }, visitedAt: new Date(Date.now() - 60_000).toISOString(), findings, conclusion: '已巡查' });
    const publish = async (by: Record<string, string>, regionCode: string, inspectorId: string) =>
      (await t.http.post('/api/v1/inspections').set(by).send({ title: '豇豆基地巡查', regionCode, inspectors: [{ userId: inspectorId, name: '巡查员' }], dueDate: cstDate(10) }).expect(201)).body.inspectionId as string;

    it('a township may not publish an inspection task for its county (403), nothing appended', async () => {
      const before = await head();
      const res = await t.http.post('/api/v1/inspections').set(foluoAdmin).send({ title: '越权巡查', regionCode: '469027', inspectors: [{ userId: 'u-foluo', name: '佛罗' }], dueDate: cstDate(10) });
      expect(res.status).toBe(403);
      expect(await appendedSince(before)).toEqual([]);
    });

    it('on a county task that does not name it, a township records and refers nothing (403), nothing appended', async () => {
      const other = await publish(asCounty('469027'), '469027', 'u-someone-else');
      const before = await head();
      const res = await t.http.post(`/api/v1/inspections/${other}/records`).set(foluoAdmin).send(visit(inFoluo.eid));
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('OUT_OF_SCOPE');
      expect(await appendedSince(before)).toEqual([]);
    });

    it('an inspector or supervisor outside the task’s region records and refers nothing (403); the one named by it does', async () => {
      const task = await publish(asCounty('469027'), '469027', 'u-foluo');
      const outsiders = [as('inspector', '460105', 'u-haikou-inspector'), as('province-admin', '37', 'u-sd-province'), as('county-admin', '460105', 'u-haikou-county')];
      const before = await head();
      for (const who of outsiders) expect((await t.http.post(`/api/v1/inspections/${task}/records`).set(who).send(visit(inFoluo.eid))).status).toBe(403);
      expect(await appendedSince(before)).toEqual([]);

      // The named township records a visit with a finding; outsiders may not refer it, the township may.
      const recorded = await t.http.post(`/api/v1/inspections/${task}/records`).set(foluoAdmin).send(visit(inFoluo.eid, [{ description: '未按规定记录农药使用', severity: 'minor' }])).expect(201);
      const referral = `/api/v1/inspections/${task}/records/${recorded.body.recordId}/referral`;
      const beforeReferral = await head();
      for (const who of outsiders) expect((await t.http.post(referral).set(who).send({})).status).toBe(403);
      expect(await appendedSince(beforeReferral)).toEqual([]);
      const referred = await t.http.post(referral).set(foluoAdmin).send({}).expect(201);
      expect(referred.body.caseId).toEqual(expect.any(String));
      // Supervision of the task's region records too (the county itself, and the province).
      await t.http.post(`/api/v1/inspections/${task}/records`).set(as('province-admin', '46', 'u-hn-province')).send(visit(inWanchong.eid)).expect(201);
    });

    it('a township named on a task completes nothing: the agency of the task’s region does (403)', async () => {
      const task = await publish(asCounty('469027'), '469027', 'u-foluo');
      expect((await t.http.post(`/api/v1/inspections/${task}/complete`).set(foluoAdmin).send({ summary: '完成' })).status).toBe(403);
      await t.http.post(`/api/v1/inspections/${task}/complete`).set(asCounty('469027')).send({ summary: '完成' }).expect(200);
    });
  });
});
