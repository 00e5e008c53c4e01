import { ensureBootstrapAdmin } from '../../application/accounts/bootstrap-admin';
import { decider as lotDecider, formatTraceCode, lotStreamId, traceCodeParts } from '../../domain/lots';
import { recallStreamId } from '../../domain/recall';
import type { Role } from '../../domain/shared/actor';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { entityBody } from './support/fixtures';
import { COWPEA_MODEL, cstDate, eventually, FAILING_RESULT } from './support/quality-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 12's acceptance, end to end with real accounts and tokens (AUTH=tokens): a failed sample of a
 * Hainan lot opens an incident whose chain runs to Guangdong and Beijing; the ministry leads, not the
 * county; while the response runs the origin's county admin sees the whole chain with contacts (every
 * read logged); the holders acknowledge and report until the recall is complete; the close lifts the
 * holds and ends the grant, and the same reads are refused again.
 */
const PASSWORD = 'Incident-Pass-2026';
type Headers = Record<string, string>;

describe('incident → chain → holds and recall notices → close, across three provinces (tokens)', () => {
  let t: TestApp;
  let ledong: Headers;
  let ledongUserId: string;
  let lab: Headers;
  let hnProvince: Headers;
  let baiyun: Headers;
  const producers: Record<'origin' | 'gd' | 'bj', { entityId: string; headers: Headers; lot: string }> = {} as never;
  let sampleId: string;
  let incidentId: string;

  const login = async (username: string, password: string) => {
    const res = await t.http.post('/api/v1/auth/login').send({ username, password }).expect(200);
    const userId = res.body.account.accountId as string;
    if (!res.body.account.mustChangePassword) return { headers: { Authorization: `Bearer ${res.body.token}` }, userId };
    // A password someone else chose opens only /auth/password: the owner sets their own first.
    const changed = await t.http.post('/api/v1/auth/password').set({ Authorization: `Bearer ${res.body.token}` }).send({ currentPassword: password, newPassword: `${password}-own` }).expect(200);
    return { headers: { Authorization: `Bearer ${changed.body.token}` }, userId };
  };
  const create = async (by: Headers, username: string, role: Role, regionCode: string) => {
    const made = await t.http.post('/api/v1/accounts').set(by).send({ username, password: PASSWORD, displayName: username, role, regionCode, orgName: username });
    if (made.status !== 201) throw new Error(`account ${username}: ${made.status} ${JSON.stringify(made.body)}`);
    return login(username, PASSWORD);
  };
  const producer = async (county: Headers, body: Record<string, unknown>) => {
    const applied = await t.http.post('/api/v1/entities').send(entityBody(body)).expect(201);
    const approved = (await t.http.post(`/api/v1/entities/${applied.body.entityId}/approve`).set(county).send({}).expect(200)).body;
    const { headers } = await login(approved.account.username, approved.account.initialPassword);
    return { entityId: applied.body.entityId as string, eid: approved.eid as string, headers };
  };
  const ship = async (from: Headers, fromTraceCode: string, eid: string, amount: number) =>
    (await t.http.post('/api/v1/transfers').set(from).send({ fromTraceCode, quantity: { amount, unit: 'kg' }, to: { kind: 'registered', eid } }).expect(201)).body.transferId as string;
  const confirm = async (to: Headers, transferId: string) => (await t.http.post(`/api/v1/transfers/${transferId}/confirm`).set(to).send({}).expect(200)).body.childTraceCode as string;
  const chainAs = async (h: Headers) => (await t.http.get(`/api/v1/incidents/${incidentId}/chain`).set(h).expect(200)).body;
  const recallOf = async (h: Headers) => (await t.http.get(`/api/v1/incidents/${incidentId}/recall`).set(h).expect(200)).body;
  const revision = async (streamId: string) => (await t.platform.ledger.store.readStream(streamId)).length;

  beforeAll(async () => {
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '1000', RATE_LIMIT_PUBLIC_PER_MIN: '100000' });
    await ensureBootstrapAdmin(t.platform, argon2Hasher, PASSWORD);
    const admin = (await login('admin', PASSWORD)).headers;
    // The delegation chains of seed 000 in three provinces.
    hnProvince = (await create(admin, 'hn-province', 'province-admin', '46')).headers;
    const hnCity = (await create(hnProvince, 'hn-city', 'city-admin', '4690')).headers;
    const ledongAccount = await create(hnCity, 'ledong-county', 'county-admin', '469027');
    ledong = ledongAccount.headers;
    ledongUserId = ledongAccount.userId;
    lab = (await create(ledong, 'ledong-lab', 'lab', '469027')).headers;
    const gdProvince = (await create(admin, 'gd-province', 'province-admin', '44')).headers;
    const gzCity = (await create(gdProvince, 'gz-city', 'city-admin', '4401')).headers;
    baiyun = (await create(gzCity, 'baiyun-county', 'county-admin', '440111')).headers;
    const bjProvince = (await create(admin, 'bj-province', 'province-admin', '11')).headers;
    const bjCity = (await create(bjProvince, 'bj-city', 'city-admin', '1101')).headers;
    const chaoyang = (await create(bjCity, 'chaoyang-county', 'county-admin', '110105')).headers;

    const origin = await producer(ledong, { name: '乐东佛罗豇豆合作社', contactPhone: '13807610001' });
    const gd = await producer(baiyun, {
      name: '广州江南果菜批发市场',
      regionCode: '440111',
      address: '广州市白云区',
      contactPhone: '13902010002',
      bases: [{ name: '冷库', regionCode: '440111', address: '白云区', lat: 23.201234, lon: 113.272345, products: ['豇豆'] }],
    });
    const bj = await producer(chaoyang, {
      name: '北京朝阳生鲜超市',
      regionCode: '110105',
      address: '北京市朝阳区',
      contactPhone: '13701100003',
      bases: [{ name: '门店', regionCode: '110105', address: '朝阳区', lat: 39.921234, lon: 116.443456, products: ['豇豆'] }],
    });
    const originLot = (await t.http.post('/api/v1/lots').set(origin.headers).send({ entityId: origin.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 1000, unit: 'kg' }, productionDate: cstDate(-2) }).expect(201)).body.traceCode as string;
    const gdLot = await confirm(gd.headers, await ship(origin.headers, originLot, gd.eid, 300));
    const bjLot = await confirm(bj.headers, await ship(gd.headers, gdLot, bj.eid, 100));
    producers.origin = { ...origin, lot: originLot };
    producers.gd = { ...gd, lot: gdLot };
    producers.bj = { ...bj, lot: bjLot };

    // A Hainan 豇豆 task whose (lead and undertaking) lab is the 乐东 station; its sample of the origin lot fails.
    const labOrg = { orgId: 'org-lab-469027-ledong-lab', name: '乐东县农产品质量安全检测站' };
    const taskId = (
      await t.http
        .post('/api/v1/tasks')
        .set(hnProvince)
        .send({ kind: 'special', title: '豇豆农药残留专项监测', regionCode: '460000', period: { from: cstDate(-10), to: cstDate(10) }, leadLab: labOrg, publisherName: '海南省农业农村厅' })
        .expect(201)
    ).body.taskId as string;
    await t.http.post(`/api/v1/tasks/${taskId}/model`).set(lab).send({ model: COWPEA_MODEL }).expect(200);
    await t.http.post(`/api/v1/tasks/${taskId}/distribute`).set(lab).send({ assignments: [{ ...labOrg, regionCode: '469027', quota: 20 }] }).expect(200);
    sampleId = (
      await t.http
        .post('/api/v1/samples')
        .set(lab)
        .send({ taskId, traceCode: originLot, place: { address: '乐东县佛罗镇丹村豇豆基地', regionCode: '469027', lat: 18.601234, lon: 108.780512 }, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), sampler: { name: '王抽样', certificateNo: 'HN-0231' }, quantity: { amount: 2, unit: 'kg' } })
        .expect(201)
    ).body.sampleId as string;
    await t.http.post(`/api/v1/samples/${sampleId}/results`).set(lab).send({ analytes: FAILING_RESULT, testedAt: new Date(Date.now() - 60_000).toISOString(), reportNo: 'R-HN-0001' }).expect(201);
  }, 180_000);
  afterAll(async () => t.close());

  it('refuses an unknown trace code (404) and a malformed one (400 naming the field), appending nothing', async () => {
    const before = await t.platform.ledger.store.headPosition();
    const body = {
      title: '消费者投诉',
      description: '购买的豇豆食用后不适',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      place: { address: '乐东县', regionCode: '469027' },
      category: 'product-safety',
      level: 'general',
      source: { kind: 'complaint', complainant: '张女士', contact: '13800000000' },
      responsible: { userId: ledongUserId, name: '乐东县农业农村局 李科长', phone: '0898-85521234' },
    };
    // A correctly signed code whose sequence was never issued: no lot carries it.
    const unknown = formatTraceCode({ ...traceCodeParts(producers.origin.lot)!, sequence: 9999 }, 'integration-test-secret-0123456789');
    const notFound = await t.http.post('/api/v1/incidents').set(ledong).send({ ...body, traceCodes: [unknown] }).expect(404);
    expect(notFound.body).toMatchObject({ error: 'NOT_FOUND', details: { what: 'lot', id: unknown } });
    const malformed = await t.http.post('/api/v1/incidents').set(ledong).send({ ...body, traceCodes: ['NOT-A-CODE'] }).expect(400);
    expect(malformed.body.details.field).toBe('traceCodes[0]');
    expect(await t.platform.ledger.store.headPosition()).toBe(before);
  });

  it('opens the incident from the failed sample; the ministry leads (the chain spans three provinces), not the county', async () => {
    const opened = await t.http
      .post(`/api/v1/samples/${sampleId}/incident`)
      .set(ledong)
      .send({ responsible: { userId: ledongUserId, name: '乐东县农业农村局 李科长', phone: '0898-85521234' }, level: 'serious' })
      .expect(201);
    incidentId = opened.body.incidentId;
    expect(opened.body).toMatchObject({ status: 'recorded', leadRegionCode: '' });
    const incident = (await t.http.get(`/api/v1/incidents/${incidentId}`).set(ledong).expect(200)).body;
    expect(incident).toMatchObject({ leadLevel: 'ministry', source: { kind: 'failed-result', sampleId }, level: 'serious', levelLabel: '较大', categoryLabel: '产品安全' });
    expect(incident.regionsTouched).toEqual(['110105', '440111', '469027']);
    expect(new Set(incident.traceCodes)).toEqual(new Set([producers.origin.lot, producers.gd.lot, producers.bj.lot]));

    // Before the response: the origin county sees its own node only; Guangdong and Beijing are redacted.
    const chain = await chainAs(ledong);
    expect(chain.redactedCount).toBe(2);
    expect(chain.openedByGrantOf).toBeNull();
    expect(JSON.stringify(chain)).not.toContain('13902010002');
  });

  it('only the responsible person reviews; starting the response holds every lot and notifies every holder', async () => {
    await t.http.post(`/api/v1/incidents/${incidentId}/review`).set(hnProvince).send({ decision: 'start-response', opinion: '启动' }).expect(403);
    const reviewed = await t.http.post(`/api/v1/incidents/${incidentId}/review`).set(ledong).send({ decision: 'start-response', opinion: '同意启动应急处置', recallDeadlineHours: 48 }).expect(200);
    expect(reviewed.body).toMatchObject({ status: 'responding', leadRegionCode: '' });
    for (const p of Object.values(producers)) {
      const lot = await t.platform.ledger.load(lotStreamId(p.lot), lotDecider);
      expect(lot.state.holds[`incident-${incidentId}`]).toMatchObject({ owner: { kind: 'incident', id: incidentId } });
    }
    const inbox = (await t.http.get('/api/v1/recalls').set(producers.bj.headers).expect(200)).body;
    expect(inbox.unanswered).toBe(1);
    expect(inbox.items[0]).toMatchObject({ incidentId, status: 'notified', lots: [{ traceCode: producers.bj.lot, affected: 100, accountedFor: 0 }] });
    const gdInbox = (await t.http.get('/api/v1/recalls').set(producers.gd.headers).expect(200)).body;
    expect(gdInbox.items[0].lots).toEqual([expect.objectContaining({ traceCode: producers.gd.lot, received: 300, passedOn: 100, affected: 200 })]);
  });

  it('during the response the origin county admin sees the whole chain with every holder’s contact, and each read is logged', async () => {
    const chain = await chainAs(ledong);
    expect(chain.redactedCount).toBe(0);
    expect(chain.openedByGrantOf).toBe(incidentId);
    const phones = chain.nodes.map((n: { holder: { contact: { phone: string } } }) => n.holder.contact.phone);
    expect(new Set(phones)).toEqual(new Set(['13807610001', '13902010002', '13701100003']));
    // The affected Guangdong county sees the whole chain too (its agency is a grantee), the origin included.
    expect((await chainAs(baiyun)).redactedCount).toBe(0);
    // The lot records themselves, through the access policy's grant (ACCESS consults the incidents GrantSource).
    await t.http.get(`/api/v1/lots/${producers.bj.lot}`).set(ledong).expect(200);

    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const log = await t.platform.ledger.store.readStream(`access-${ledongUserId}-${day}`);
    const chainReads = log.filter((e) => e.type === 'DataAccessed' && String(e.data.path).includes(`/incidents/${incidentId}/chain`));
    expect(chainReads.length).toBeGreaterThanOrEqual(2);
    const lotRead = log.find((e) => e.type === 'DataAccessed' && String(e.data.path).includes(`/lots/${producers.bj.lot}`));
    expect(lotRead).toBeDefined();
    expect(JSON.stringify(lotRead!.data)).toContain(incidentId);
  });

  it('holders acknowledge and report; another holder’s notice is not theirs, excess quantities are refused naming the field; progress reaches 100 %', async () => {
    const { origin, gd, bj } = producers;
    await t.http.post(`/api/v1/recalls/${incidentId}/${bj.entityId}/acknowledge`).set(gd.headers).send({}).expect(404);
    for (const p of [origin, gd, bj]) await t.http.post(`/api/v1/recalls/${incidentId}/${p.entityId}/acknowledge`).set(p.headers).send({ note: '已收到' }).expect(200);

    const stream = recallStreamId(incidentId, bj.entityId);
    const before = await revision(stream);
    const excess = await t.http.post(`/api/v1/recalls/${incidentId}/${bj.entityId}/report`).set(bj.headers).send({ lots: [{ traceCode: bj.lot, recovered: { amount: 150, unit: 'kg' } }] });
    expect(excess.status).toBe(409);
    expect(excess.body).toMatchObject({ error: 'RECALL_EXCEEDS_HOLDING', details: { field: 'lots[0].recovered' } });
    expect(await revision(stream)).toBe(before);

    const originReport = await t.http.post(`/api/v1/recalls/${incidentId}/${origin.entityId}/report`).set(origin.headers).send({ lots: [{ traceCode: origin.lot, recovered: { amount: 650, unit: 'kg' }, destroyed: { amount: 50_000, unit: 'g' } }] });
    expect([originReport.status, originReport.body.error]).toEqual([200, undefined]);
    await t.http.post(`/api/v1/recalls/${incidentId}/${gd.entityId}/report`).set(gd.headers).send({ lots: [{ traceCode: gd.lot, recovered: { amount: 150, unit: 'kg' }, soldToConsumers: { amount: 100, unit: 'jin' } }] }).expect(200);
    const halfway = await recallOf(ledong);
    expect(halfway.percent).toBeCloseTo((700 + 200) / 1000 * 100, 1);
    expect(halfway.byRegion['110105']).toMatchObject({ holders: 1, acknowledged: 1, percent: 0 });
    await t.http.post(`/api/v1/recalls/${incidentId}/${bj.entityId}/report`).set(bj.headers).send({ lots: [{ traceCode: bj.lot, destroyed: { amount: 100, unit: 'kg' } }] }).expect(200);
    const done = await recallOf(ledong);
    expect(done).toMatchObject({ percent: 100, totals: { kg: { affected: 1000, accountedFor: 1000 } } });
    expect(Object.keys(done.byRegion).sort()).toEqual(['110105', '440111', '469027']);
    expect(done.holders.every((h: { percent: number }) => h.percent === 100)).toBe(true);
  });

  it('publishes a public notice to the consumer pages of the affected codes', async () => {
    await t.http.post(`/api/v1/incidents/${incidentId}/log`).set(ledong).send({ kind: 'action', description: '封存佛罗镇豇豆基地库存', people: [{ name: '李科长', role: '现场负责人', phone: null }] }).expect(201);
    await t.http.post(`/api/v1/incidents/${incidentId}/notices`).set(ledong).send({ title: '豇豆产品召回公告', body: '批次涉及农药残留超标，请停止食用并联系购买处退货。' }).expect(201);
    const page = (await t.http.get(`/api/v1/trace/${producers.bj.lot}`).expect(200)).body;
    expect(page.notices).toEqual([expect.objectContaining({ title: '豇豆产品召回公告' })]);
  });

  it('closes with the handling record: holds lifted, the grant ends, the same reads are refused again', async () => {
    await t.http
      .post(`/api/v1/incidents/${incidentId}/close`)
      .set(ledong)
      .send({ record: { summary: '豇豆农残超标事件处置完毕', cause: '违规使用克百威', measures: '召回、销毁、立案查处', outcome: '全部批次已追回或销毁' } })
      .expect(200);
    const incident = (await t.http.get(`/api/v1/incidents/${incidentId}`).set(ledong).expect(200)).body;
    expect(incident).toMatchObject({ status: 'closed', record: { cause: '违规使用克百威' }, handlingLog: [expect.objectContaining({ seq: 1, kind: 'action' })] });
    for (const p of Object.values(producers)) {
      const lot = await t.platform.ledger.load(lotStreamId(p.lot), lotDecider);
      expect(lot.state.holds[`incident-${incidentId}`]).toBeUndefined();
    }
    expect(await t.platform.grants.activeGrantsFor({ role: 'county-admin', regionCode: '469027', orgId: 'x' }, new Date())).toEqual([]);
    const chain = await chainAs(ledong);
    expect(chain.redactedCount).toBe(2);
    expect(JSON.stringify(chain)).not.toContain('13701100003');
    await t.http.get(`/api/v1/lots/${producers.bj.lot}`).set(ledong).expect(403);
    // A closed incident takes no more answers, and its notice leaves the consumer page.
    const late = await t.http.post(`/api/v1/recalls/${incidentId}/${producers.bj.entityId}/report`).set(producers.bj.headers).send({ lots: [{ traceCode: producers.bj.lot, recovered: { amount: 1, unit: 'kg' } }] });
    expect(late.status).toBe(409);
    await t.http.post(`/api/v1/incidents/${incidentId}/log`).set(ledong).send({ kind: 'action', description: 'x' }).expect(409);
    expect((await eventually(async () => {
      const page = (await t.http.get(`/api/v1/trace/${producers.bj.lot}`).expect(200)).body;
      return page.notices.length === 0 ? page : null;
    })).notices).toEqual([]);
  });
});
