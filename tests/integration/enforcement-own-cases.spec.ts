import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../../application/ports/clock';
import { rectificationDueAt } from '../../domain/enforcement';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { createLot, registeredEntity } from './support/fixtures';
import { asEnforcement } from './support/quality-fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * 自行立案 over HTTP: enforcement opens a case itself against a registered entity (taken from the registry) or
 * an unregistered party it records on site, in its own region only; orders to correct within a deadline
 * (责令限期整改) become overdue through the deadline job on the job queue, driven by a controllable clock
 * that the platform and the (embedded, persisted) queue share; verification (整改复查) and closing.
 */
const DAY = 86_400_000;

describe('enforcement opens cases itself; rectification deadlines on the job queue', () => {
  let t: TestApp;
  let offset = 0;
  const base = Date.parse('2026-12-01T02:00:00.000Z'); // 10:00 CST
  const clock: Clock = { now: () => new Date(base + offset) };
  const queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-cases-'));
  let jobQueue: SqliteJobQueue;

  beforeAll(async () => {
    jobQueue = new SqliteJobQueue(path.join(queueDir, 'jobs.sqlite'), { now: () => clock.now().getTime(), pollMs: 20 });
    t = await startTestApp({}, { clock, jobQueue });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(queueDir, { recursive: true, force: true });
  });

  /** Everything due at the clock's time has run and is projected (see quality-deadlines.spec.ts). */
  const settle = async () => {
    const events = t.platform.adapters.eventStore;
    for (let head = -1; ; ) {
      const now = await events.headPosition();
      if (now === head) return;
      head = now;
      await t.platform.quality.reactor.waitFor(head, 30_000);
      await jobQueue.idle();
      await t.platform.runner.waitFor(await events.headPosition(), 30_000);
    }
  };
  const getCase = async (id: string) => (await t.http.get(`/api/v1/cases/${id}`).set(asEnforcement()).expect(200)).body;
  const unregistered = { name: '佛罗镇无名豇豆收购点', regionCode: '469027', address: '乐东县佛罗镇丹村路口', responsible: '陈某', phone: '13800000000' };

  it('opens a case against a registered entity, its name and e-ID from the registry, with its lots', async () => {
    const entity = await registeredEntity(t);
    const lot = await createLot(t, entity.entityId);
    const opened = await t.http
      .post('/api/v1/cases')
      .set(asEnforcement())
      .send({ source: 'tip-off', ref: '12316-20261201-007', subject: { entityId: entity.entityId }, product: '豇豆', traceCodes: [lot], summary: '群众举报使用禁用农药' })
      .expect(201);
    const kase = await getCase(opened.body.caseId);
    expect(kase).toMatchObject({
      status: 'open',
      referral: { kind: 'own', source: 'tip-off', ref: '12316-20261201-007' },
      subject: { entityId: entity.entityId, eid: entity.eid, entityName: entity.name, regionCode: '469027', unregistered: null },
      unregistered: false,
      traceCodes: [lot],
      referredBy: { orgId: 'enf-469027' },
    });
    const own = await t.http.get('/api/v1/cases').query({ referralKind: 'own' }).set(asEnforcement()).expect(200);
    expect(own.body.items.map((c: { caseId: string }) => c.caseId)).toContain(kase.caseId);
  });

  it('records an unregistered party found on site; refuses another region, unknown lots and entities, a producer', async () => {
    const opened = await t.http.post('/api/v1/cases').set(asEnforcement()).send({ source: 'on-site', subject: { unregistered }, product: '豇豆', summary: '现场发现未注册收购点无凭证收购豇豆' }).expect(201);
    const kase = await getCase(opened.body.caseId);
    expect(kase.subject).toEqual({ entityId: null, eid: null, entityName: unregistered.name, regionCode: '469027', unregistered: { address: unregistered.address, responsible: '陈某', phone: '13800000000', creditCode: null } });
    expect(kase.unregistered).toBe(true);

    const elsewhere = await t.http.post('/api/v1/cases').set(asEnforcement('370686')).send({ source: 'on-site', subject: { unregistered }, summary: 'x' }).expect(403);
    expect(elsewhere.body.error).toBe('OUT_OF_SCOPE');
    const noLot = await t.http.post('/api/v1/cases').set(asEnforcement()).send({ source: 'on-site', subject: { unregistered }, traceCodes: ['46902726120100001ABCDEFGH'], summary: 'x' }).expect(400);
    expect(noLot.body.details.field).toBe('traceCodes[0]');
    await t.http.post('/api/v1/cases').set(asEnforcement()).send({ source: 'on-site', subject: { entityId: 'no-such-entity' }, summary: 'x' }).expect(404);
    await t.http.post('/api/v1/cases').set(asEnforcement()).send({ source: 'on-site', subject: { entityId: 'e', unregistered }, summary: 'x' }).expect(400);
    await t.http.post('/api/v1/cases').set(asProducer('ent-x')).send({ source: 'on-site', subject: { unregistered }, summary: 'x' }).expect(403);
    // A county administration may open one in its county.
    await t.http.post('/api/v1/cases').set(asCounty('469027')).send({ source: 'complaint', subject: { unregistered }, summary: '投诉转来' }).expect(201);
  });

  it('an order to correct becomes overdue when its deadline passes (end of the day, CST), not before; a verified one never does', async () => {
    const start = offset;
    const caseId = (await t.http.post('/api/v1/cases').set(asEnforcement()).send({ source: 'on-site', subject: { unregistered }, summary: '无进货查验记录' }).expect(201)).body.caseId as string;
    const noDeadline = await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'rectification-order', description: '建立进货查验记录' }).expect(400);
    expect(noDeadline.body.details.field).toBe('deadline');
    // Two orders: one due 2026-12-05 (left undone), one due 2026-12-10 (verified in time).
    await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'rectification-order', description: '建立进货查验记录', deadline: '2026-12-05' }).expect(201);
    await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'rectification-order', description: '清理过期农药', deadline: '2026-12-10' }).expect(201);
    await settle();
    expect((await getCase(caseId)).orders.map((o: { seq: number; status: string; dueAt: string }) => [o.seq, o.status, o.dueAt])).toEqual([
      [1, 'pending', rectificationDueAt('2026-12-05')],
      [2, 'pending', rectificationDueAt('2026-12-10')],
    ]);

    // 2026-12-05 23:59 CST: still the deadline day.
    offset = Date.parse('2026-12-05T15:59:00.000Z') - base;
    await settle();
    expect((await getCase(caseId)).overdueOrders).toBe(0);
    // 2026-12-06 00:00:01 CST: late.
    offset = Date.parse('2026-12-05T16:00:01.000Z') - base;
    await settle();
    const late = await getCase(caseId);
    expect(late.orders.map((o: { status: string }) => o.status)).toEqual(['overdue', 'pending']);
    expect(late.overdueOrders).toBe(1);
    expect(late.orders[0].overdueAt).toBe(new Date(base + offset).toISOString());
    const flagged = await t.http.get('/api/v1/cases').query({ overdue: 'true' }).set(asEnforcement()).expect(200);
    expect(flagged.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([caseId]);

    // The second is verified before its deadline; long after it, it is still complied with.
    await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'rectification-verified', description: '复查：过期农药已清理', orderSeq: 2 }).expect(201);
    offset = start + 30 * DAY;
    await settle();
    const after = await getCase(caseId);
    expect(after.orders.map((o: { status: string }) => o.status)).toEqual(['overdue', 'complied']);
    expect(after.orders[1].verifiedSeq).toBe(3);
    await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'rectification-verified', description: 'again', orderSeq: 2 }).expect(409);

    const closed = await t.http.post(`/api/v1/cases/${caseId}/close`).set(asEnforcement()).send({ outcome: 'penalized', summary: '逾期未整改，处罚款 2000 元', penaltyYuan: 2000 }).expect(200);
    expect(closed.body.status).toBe('closed');
    const events = await t.platform.adapters.eventStore.readStream(`case-${caseId}`);
    expect(events.map((e) => e.type)).toEqual(['CaseOpened', 'CaseActionRecorded', 'CaseActionRecorded', 'RectificationOverdue', 'CaseActionRecorded', 'CaseClosed']);
    expect(events[3]!.actor.role).toBe('system');
  });
});
