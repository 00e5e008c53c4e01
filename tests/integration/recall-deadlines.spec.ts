import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WebhookPayload, WebhookSender } from '../../application/notifications/webhooks';
import type { Clock } from '../../application/ports/clock';
import type { Notification, Notifier } from '../../application/ports/notifier';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { confirm, createLot, registeredEntity, ship } from './support/fixtures';
import { eventually } from './support/quality-fixtures';
import { asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * Recall notices go out (webhook, SMS through the Notifier port) and a holder who has not acknowledged by
 * the deadline is escalated — a delayed job on the controllable clock the quality deadline tests use. The
 * chain growing during the response (a pending hand-over confirmed) holds the new lot, notifies its holder
 * and escalates the lead agency.
 */
const H = 3_600_000;

describe('recall deliveries, deadlines and chain growth (controllable clock)', () => {
  let t: TestApp;
  let offset = 0;
  const base = Date.now();
  const clock: Clock = { now: () => new Date(base + offset) };
  const queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-recall-queue-'));
  const sent: Notification[] = [];
  const hooks: WebhookPayload[] = [];
  const notifier: Notifier = { send: async (n) => void sent.push(n) };
  const webhookSender: WebhookSender = { send: async (_url, payload) => void hooks.push(payload) };
  const county = { 'X-Role': 'county-admin', 'X-Org-Id': 'county-469027', 'X-Region': '469027', 'X-User-Id': 'u-ledong' };
  const ministry = { 'X-Role': 'ministry-admin', 'X-Org-Id': 'moa', 'X-Region': '', 'X-User-Id': 'u-moa' };

  beforeAll(async () => {
    const jobQueue = new SqliteJobQueue(path.join(queueDir, 'jobs.sqlite'), { now: () => clock.now().getTime(), pollMs: 20 });
    t = await startTestApp({ WEBHOOK_URLS: 'http://hooks.test/suyuan', WEBHOOK_BACKOFF_MS: '20' }, { clock, jobQueue, notifier, webhookSender });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(queueDir, { recursive: true, force: true });
  });

  it('notifies every holder by webhook and SMS, escalates the one who did not acknowledge in time, and follows the chain as it grows', async () => {
    const origin = await registeredEntity(t, { contactPhone: '13807610001' });
    const haikou = await registeredEntity(t, {
      name: '海口批发市场',
      regionCode: '460105',
      contactPhone: '13907610002',
      bases: [{ name: '冷库', regionCode: '460105', address: '秀英区', lat: 20.001234, lon: 110.281234, products: ['豇豆'] }],
    });
    const guangzhou = await registeredEntity(t, {
      name: '广州江南果菜批发市场',
      regionCode: '440111',
      contactPhone: '13902010003',
      bases: [{ name: '冷库', regionCode: '440111', address: '白云区', lat: 23.201234, lon: 113.272345, products: ['豇豆'] }],
    });
    const lot = await createLot(t, origin.entityId, 500);
    const haikouLot = await confirm(t, haikou.entityId, await ship(t, origin.entityId, lot, haikou.eid, 200));
    // Shipped before the response, confirmed during it: the chain grows into Guangdong.
    const pending = await ship(t, haikou.entityId, haikouLot, guangzhou.eid, 50);

    const recorded = await t.http
      .post('/api/v1/incidents')
      .set(county)
      .send({
        title: '豇豆农残投诉',
        description: '消费者投诉食用后不适',
        occurredAt: new Date(clock.now().getTime() - H).toISOString(),
        place: { address: '乐东县佛罗镇', regionCode: '469027' },
        category: 'product-safety',
        level: 'general',
        traceCodes: [lot],
        source: { kind: 'complaint', complainant: '张女士', contact: null },
        responsible: { userId: 'u-ledong', name: '李科长', phone: null },
      })
      .expect(201);
    const incidentId = recorded.body.incidentId as string;
    expect(recorded.body.leadRegionCode).toBe('46'); // two Hainan counties: the province
    await t.http.post(`/api/v1/incidents/${incidentId}/review`).set(county).send({ decision: 'start-response', opinion: '启动', recallDeadlineHours: 24 }).expect(200);

    await eventually(async () => sent.length >= 2);
    expect(sent.map((n) => [n.channel, n.to]).sort()).toEqual([
      ['sms', '13807610001'],
      ['sms', '13907610002'],
    ]);
    await eventually(async () => hooks.filter((h) => h.type === 'RecallNoticeIssued').length === 2);

    await t.http.post(`/api/v1/recalls/${incidentId}/${origin.entityId}/acknowledge`).set(asProducer(origin.entityId)).send({}).expect(200);

    // The pending hand-over is confirmed during the response.
    const guangzhouLot = await t.http.post(`/api/v1/transfers/${pending}/confirm`).set(asProducer(guangzhou.entityId)).send({}).expect(200);
    const incident = await eventually(async () => {
      const doc = (await t.http.get(`/api/v1/incidents/${incidentId}`).set(ministry).expect(200)).body;
      return doc.leadRegionCode === '' ? doc : null;
    });
    expect(incident.traceCodes).toContain(guangzhouLot.body.childTraceCode);
    expect(incident.escalations).toEqual([expect.objectContaining({ from: '46', to: '' })]);
    const gdInbox = await eventually(async () => {
      const res = (await t.http.get('/api/v1/recalls').set(asProducer(guangzhou.entityId)).expect(200)).body;
      return res.items.length === 1 ? res : null;
    });
    expect(gdInbox.items[0].lots[0]).toMatchObject({ traceCode: guangzhouLot.body.childTraceCode, affected: 50 });
    const haikouNotice = (await t.http.get(`/api/v1/recalls/${incidentId}/${haikou.entityId}`).set(asProducer(haikou.entityId)).expect(200)).body;
    expect(haikouNotice.lots[0]).toMatchObject({ passedOn: 50, affected: 150 });

    // Just before the deadline nobody is escalated; just after it, the two who did not acknowledge are.
    const progress = async () => (await t.http.get(`/api/v1/incidents/${incidentId}/recall`).set(ministry).expect(200)).body;
    offset = 24 * H - 60_000;
    expect((await progress()).holders.filter((h: { escalatedAt: string | null }) => h.escalatedAt).length).toBe(0);
    offset = 24 * H + 60_000;
    const escalated = await eventually(async () => {
      const p = await progress();
      return p.holders.filter((h: { escalatedAt: string | null }) => h.escalatedAt).length === 2 ? p : null;
    });
    expect(escalated.holders.filter((h: { escalatedAt: string | null }) => h.escalatedAt).map((h: { holderEntityId: string }) => h.holderEntityId).sort()).toEqual(
      [haikou.entityId, guangzhou.entityId].sort(),
    );
    await eventually(async () => sent.filter((n) => n.subject === '召回通知逾期未签收').length === 2);
  });
});
