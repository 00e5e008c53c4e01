import { sealRangeCheckpoints } from '../../../application/audit/checkpoints';
import type { AccessGrant, GrantSource } from '../../../application/access/grants';
import { confirm, createLot, registeredEntity, ship } from '../support/fixtures';
import { asLab, asMinistry, cstDate, FAILING_RESULT, LEAD_LAB, openTask } from '../support/quality-fixtures';
import { asCounty, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 11, findings 3 (a lab acts outside its region) and 5 (scope leaks), each as it was reproduced:
 * these failed before the access policy and pass with it. Dev identity headers (X-Role, X-Region…).
 */
const as = (role: string, region: string, org = `org-${role}-${region}`, user = `u-${role}-${region}`) => ({ 'X-Role': role, 'X-Region': region, 'X-Org-Id': org, 'X-User-Id': user });

/** A grant source with one grant, matched as the incidents GrantSource does: the grantee region exactly (grants.ts). */
function fixedGrants(grants: AccessGrant[]): GrantSource {
  return { activeGrantsFor: async (actor) => grants.filter((g) => g.granteeRegionCodes.includes(actor.regionCode ?? '')) };
}

describe('issue 11 findings 3 and 5', () => {
  let t: TestApp;
  let taskId: string;
  const grant: AccessGrant = {
    grantId: 'grant-1',
    reason: { kind: 'incident-response', incidentId: 'incident-42' },
    granteeRegionCodes: ['37'],
    traceCodes: [],
    entityIds: [],
    from: '2026-01-01T00:00:00.000Z',
    until: null,
  };
  let hainan: { entityId: string; eid: string; name: string };
  let hainanBuyer: { entityId: string; eid: string; name: string };
  let household: { entityId: string; eid: string; name: string };
  let guangzhou: { entityId: string; eid: string; name: string };
  let shandong: { entityId: string; eid: string; name: string };
  let hainanLot: string;
  let guangzhouLot: string;
  let householdLot: string;

  beforeAll(async () => {
    t = await startTestApp({}, { grants: fixedGrants([grant]) });
    hainan = await registeredEntity(t, { name: '乐东甲合作社' });
    hainanBuyer = await registeredEntity(t, { name: '乐东乙合作社' });
    household = await registeredEntity(t, {
      name: '李春花', entityType: 'household', creditCode: undefined, regionCode: '469007',
      bases: [{ name: '李春花豇豆地', regionCode: '469007', address: '八所镇上名山村', lat: 19.101234, lon: 108.652345, products: ['豇豆'] }],
    });
    guangzhou = await registeredEntity(t, { name: '广州白云蔬菜公司', regionCode: '440111', address: '广州市白云区', bases: [{ name: '白云基地', regionCode: '440111', address: '白云区', lat: 23.2, lon: 113.3, products: ['豇豆'] }] });
    shandong = await registeredEntity(t, { name: '栖霞果品合作社', regionCode: '370686', address: '山东省栖霞市', bases: [{ name: '栖霞基地', regionCode: '370686', address: '栖霞', lat: 37.3, lon: 120.8, products: ['豇豆'] }] });
    hainanLot = await createLot(t, hainan.entityId, 500);
    guangzhouLot = await createLot(t, guangzhou.entityId, 300);
    householdLot = await createLot(t, household.entityId, 80);
    await confirm(t, hainanBuyer.entityId, await ship(t, hainan.entityId, hainanLot, hainanBuyer.eid, 120));
    grant.traceCodes.push(hainanLot);
    grant.entityIds.push(hainan.entityId);
    taskId = await openTask(t);
  });
  afterAll(async () => t.close());

  const head = () => t.platform.adapters.eventStore.headPosition();
  /** What a refused command left in the ledger besides the access log's record of the refusal: nothing. */
  const appendedSince = async (position: number) =>
    (await t.platform.adapters.eventStore.readAll({ afterPosition: position, maxCount: 1000 })).filter((e) => !e.streamId.startsWith('access-')).map((e) => e.type);
  const sampleBody = (source: object) => ({
    taskId,
    ...source,
    place: { address: '乐东县佛罗镇', regionCode: '469027' },
    sampledAt: new Date(Date.now() - 3_600_000).toISOString(),
    sampler: { name: '王抽样' },
  });

  describe('finding 3: a lab acts only inside its region', () => {
    it('a Hainan lab may not sample a Guangzhou lot under a Hainan task: 403, nothing appended', async () => {
      const before = await head();
      const res = await t.http.post('/api/v1/samples').set(asLab(LEAD_LAB.orgId, '46')).send(sampleBody({ traceCode: guangzhouLot }));
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('OUT_OF_SCOPE');
      expect(await appendedSince(before)).toEqual([]);
      // …and so no failed result can put Guangdong lots on hold or open a case in 440111.
      await t.platform.runner.waitFor(await head());
      expect((await t.http.get('/api/v1/cases').set(asMinistry()).query({ region: '440111' }).expect(200)).body.total).toBe(0);
    });

    it('a lab of the task claiming the national scope still samples only inside the task’s region', async () => {
      const before = await head();
      const res = await t.http.post('/api/v1/samples').set(asLab(LEAD_LAB.orgId, '')).send(sampleBody({ traceCode: guangzhouLot }));
      expect(res.status).toBe(403);
      expect(await appendedSince(before)).toEqual([]);
    });

    it('a hand-entered entityId of a Shandong co-op is refused (403), an unknown one is 404; nothing appended', async () => {
      const before = await head();
      const manual = (entityId: string) => sampleBody({ manual: { product: '豇豆', entityName: '随便写', regionCode: '469027', entityId } });
      const outside = await t.http.post('/api/v1/samples').set(asLab(LEAD_LAB.orgId, '46')).send(manual(shandong.entityId));
      expect(outside.status).toBe(403);
      expect((await t.http.post('/api/v1/samples').set(asLab(LEAD_LAB.orgId, '46')).send(manual('no-such-entity'))).status).toBe(404);
      expect(await appendedSince(before)).toEqual([]);
    });

    it('inside its region the lab samples and records a failing result as before', async () => {
      const taken = await t.http.post('/api/v1/samples').set(asLab(LEAD_LAB.orgId, '46')).send(sampleBody({ traceCode: hainanLot })).expect(201);
      const res = await t.http
        .post(`/api/v1/samples/${taken.body.sampleId}/results`)
        .set(asLab(LEAD_LAB.orgId, '46'))
        .send({ analytes: FAILING_RESULT, testedAt: new Date(Date.now() - 60_000).toISOString() });
      expect(res.status).toBe(201);
      expect(res.body.caseId).toEqual(expect.any(String));
    });
  });

  describe('finding 5: scope leaks', () => {
    it('the chain for an out-of-region caller carries no receiver’s entity id, e-ID or name', async () => {
      const res = await t.http.get(`/api/v1/trace/${hainanLot}/chain`).set(as('supervisor', '440111')).expect(200);
      const text = JSON.stringify(res.body);
      for (const leak of [hainanBuyer.entityId, hainanBuyer.eid, hainanBuyer.name, hainan.name, hainan.eid]) expect(text).not.toContain(leak);
      expect(res.body.edges[0].receiver).toEqual({ redacted: true });
      // In the region the receiver is shown.
      const own = await t.http.get(`/api/v1/trace/${hainanLot}/chain`).set(as('supervisor', '469027')).expect(200);
      expect(own.body.edges[0].receiver).toMatchObject({ name: hainanBuyer.name, eid: hainanBuyer.eid });
    });

    it('a provincial auditor’s checkpoints list no stream outside its province (trace codes, e-IDs, usernames)', async () => {
      // A ledger sealed the old way (per-range checkpoints listing stream heads, decision 0018), then a tree head
      // (which lists no streams at all): the old checkpoints are still redacted for a regional caller.
      await sealRangeCheckpoints(t.platform.ledger, t.platform.signer, () => t.platform.clock.now());
      await t.http.post('/api/v1/audit/checkpoints').set(asMinistry()).expect(200);
      const res = await t.http.get('/api/v1/audit/checkpoints').set(as('auditor', '44')).expect(200);
      const legacy = res.body.checkpoints.filter((c: { streamHeads?: Record<string, number> }) => c.streamHeads !== undefined);
      expect(res.body.checkpoints.length).toBeGreaterThan(legacy.length); // the tree head is listed too
      const streams = legacy.flatMap((c: { streamHeads: Record<string, number> }) => Object.keys(c.streamHeads));
      expect(streams.length).toBeGreaterThan(0);
      expect(streams.every((s: string) => s.startsWith('lot-44') || s.startsWith('eid-44') || s === `entity-${guangzhou.entityId}`)).toBe(true);
      const text = JSON.stringify(res.body);
      for (const leak of [hainanLot, hainan.eid, hainan.entityId, 'u-moa']) expect(text).not.toContain(leak);
      expect(res.body.checkpoints[0].withheldStreamHeads).toBeGreaterThan(0);
      // The national auditor gets the signed checkpoint whole.
      const national = await t.http.get('/api/v1/audit/checkpoints').set(as('auditor', '')).expect(200);
      expect(JSON.stringify(national.body)).toContain(hainanLot);
    });

    it('the public view masks a household’s base name like its name', async () => {
      const res = await t.http.get(`/api/v1/trace/${householdLot}`).expect(200);
      expect(res.body.origin.entity.name).toBe('李**');
      expect(JSON.stringify(res.body)).not.toContain('春花');
      expect(res.body.origin.base.name).toBe('李***');
    });

    it('a township account sees the inspection task that names it, and no county-only record', async () => {
      // 469027100 is 抱由镇.
      const township = as('township-admin', '469027100', 'org-township-469027100', 'u-township-foluo');
      const inspectionId = (
        await t.http.post('/api/v1/inspections').set(asCounty('469027')).send({ title: '佛罗镇豇豆基地巡查', regionCode: '469027', inspectors: [{ userId: 'u-township-foluo', name: '佛罗镇监管站' }], dueDate: cstDate(10) }).expect(201)
      ).body.inspectionId as string;
      await t.platform.runner.waitFor(await head());
      expect((await t.http.get(`/api/v1/inspections/${inspectionId}`).set(township)).status).toBe(200);
      const listed = await t.http.get('/api/v1/inspections').set(township).expect(200);
      expect(listed.body.items.map((i: { _id: string }) => i._id)).toEqual([inspectionId]);
      // These entities are registered without a township: county-only records are in no township's scope
      // (decision 0009; townships.spec.ts shows a township seeing the entities located in it).
      expect((await t.http.get('/api/v1/entities').set(township).expect(200)).body.total).toBe(0);
      expect((await t.http.get(`/api/v1/entities/${hainan.entityId}`).set(township)).status).toBe(403);
      // Another township of the county is not named and does not see it.
      expect((await t.http.get(`/api/v1/inspections/${inspectionId}`).set(as('township-admin', '469027200'))).status).toBe(403);
    });
  });

  describe('grants', () => {
    it('an incident grant opens the lot and its holder to the grantee region, and each such read is logged with the incident id', async () => {
      const sd = as('province-admin', '37', 'org-sd', 'u-sd-province');
      await t.http.get(`/api/v1/lots/${hainanLot}`).set(sd).expect(200);
      await t.http.get(`/api/v1/entities/${hainan.entityId}`).set(sd).expect(200);
      // Not what the grant does not name, nor to another region.
      expect((await t.http.get(`/api/v1/lots/${guangzhouLot}`).set(sd)).status).toBe(403);
      expect((await t.http.get(`/api/v1/lots/${hainanLot}`).set(as('province-admin', '44'))).status).toBe(403);
      // A grant is for the agency of the region it names, not the accounts below it (decision 0009).
      expect((await t.http.get(`/api/v1/lots/${hainanLot}`).set(as('city-admin', '3706', 'org-yt', 'u-yt-city'))).status).toBe(403);
      await t.platform.runner.waitFor(await head());
      const log = await t.http.get('/api/v1/audit/log').set(asMinistry()).query({ actor: 'u-sd-province', type: 'DataAccessed' }).expect(200);
      const granted = log.body.items.filter((i: { keywords: string }) => String(i.keywords).includes('incident-42'));
      expect(granted).toHaveLength(2);
    });
  });
});
