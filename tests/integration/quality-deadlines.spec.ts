import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../../application/ports/clock';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { createLot, entityBody, registeredEntity, ship } from './support/fixtures';
import { asMinistry, eventually } from './support/quality-fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * Deadlines through the JobQueue port on a controllable clock: the platform and the (embedded, persisted)
 * queue read the same clock, so moving it forward makes the delayed jobs due — fault escalation at 2 h /
 * 6 h, level-3 overdue marks at 12 h / 24 h, the post-recovery integrity check, registration reviews late
 * after 5 working days, transfers left unconfirmed for 72 h.
 */
const H = 3_600_000;

describe('quality deadlines on the job queue (controllable clock)', () => {
  let t: TestApp;
  let offset = 0;
  const base = Date.now();
  const clock: Clock = { now: () => new Date(base + offset) };
  const advanceTo = (ms: number) => {
    offset = ms;
  };
  const queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-queue-'));

  beforeAll(async () => {
    jobQueue = new SqliteJobQueue(path.join(queueDir, 'jobs.sqlite'), { now: () => clock.now().getTime(), pollMs: 20 });
    t = await startTestApp({}, { clock, jobQueue });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(queueDir, { recursive: true, force: true });
  });

  const fault = async (id: string) => (await t.http.get(`/api/v1/faults/${id}`).set(asMinistry()).expect(200)).body;
  const report = (level: 1 | 2 | 3) =>
    t.http
      .post('/api/v1/faults')
      .set(asCounty('469027'))
      .send({
        level,
        occurredAt: new Date(clock.now().getTime() - 10 * 60_000).toISOString(),
        place: '国家追溯平台 主数据中心 A 区',
        description: '部分用户扫码交易提交超时',
        affectedScope: '扫码交易（华南地区用户）',
        measures: '切换至备用应用服务器，排查数据库连接池',
        expectedRecoveryAt: new Date(clock.now().getTime() + H).toISOString(),
        reporter: { name: '运维值班员', contact: '010-59198539' },
      })
      .expect(201);
  let jobQueue: SqliteJobQueue;
  /**
   * Everything due at the clock's current time has happened, and nothing else: the reactor has seen the whole
   * log (so every deadline job is enqueued), the queue has run every job due now, and the read models include
   * what those jobs appended — repeated until the log stops growing. A negative check after it can fail only
   * if a job ran early, never because the machine was slow.
   */
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

  it('escalates a level-1 fault at 2 h and 8 h, marks level 3 overdue at 12 h and 24 h, then checks the ledger after recovery', async () => {
    const start = offset;
    const { body } = await report(1);
    const id = body.faultId as string;
    expect(body).toMatchObject({ status: 'open', level: 1 });
    const reportedAt = Date.parse((await fault(id)).reportedAt);

    advanceTo(start + 2 * H - 60_000);
    await settle();
    expect((await fault(id)).level).toBe(1);

    advanceTo(start + 2 * H + 1000);
    const l2 = await eventually(async () => ((await fault(id)).level === 2 ? fault(id) : null));
    expect(l2.escalations[0]).toMatchObject({ fromLevel: 1, toLevel: 2, automatic: true, dueAt: new Date(reportedAt + 2 * H).toISOString() });

    advanceTo(start + 8 * H + 1000);
    const l3 = await eventually(async () => ((await fault(id)).level === 3 ? fault(id) : null));
    expect(l3.escalations[1]).toMatchObject({ fromLevel: 2, toLevel: 3, dueAt: new Date(reportedAt + 8 * H).toISOString() });

    advanceTo(start + 20 * H + 1000);
    await eventually(async () => (await fault(id)).overdue.length === 1);
    advanceTo(start + 32 * H + 1000);
    const overdue = await eventually(async () => ((await fault(id)).overdue.length === 2 ? fault(id) : null));
    expect(overdue.overdue.map((o: { hours: number; dueAt: string }) => [o.hours, o.dueAt])).toEqual([
      [12, new Date(reportedAt + 20 * H).toISOString()],
      [24, new Date(reportedAt + 32 * H).toISOString()],
    ]);

    const resolved = await t.http.post(`/api/v1/faults/${id}/resolve`).set(asMinistry()).send({ resolution: '数据库主备切换完成，业务恢复' }).expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', level: 3 });
    const checked = await eventually(async () => ((await fault(id)).lastIntegrityCheck ? fault(id) : null));
    expect(checked).toMatchObject({ status: 'resolved', withinLimit: false, lastIntegrityCheck: { ok: true, breaks: 0 } });
    expect(checked.lastIntegrityCheck.eventsChecked).toBeGreaterThan(0);

    const inbox = await t.http.get('/api/v1/notifications').set(asMinistry()).expect(200);
    expect(inbox.body.items.filter((n: { ref: { id: string } }) => n.ref.id === id).map((n: { title: string }) => n.title)).toEqual(
      expect.arrayContaining(['故障升级：1级 → 2级', '故障升级：2级 → 3级', '三级故障已超过24小时未解除', '平台已恢复正常运行']),
    );
  });

  it('a fault resolved within its limit never escalates, whatever the clock does afterwards', async () => {
    const start = offset;
    const id = (await report(2)).body.faultId as string;
    advanceTo(start + 5 * H);
    await t.http.post(`/api/v1/faults/${id}/resolve`).set(asMinistry()).send({ resolution: '重启服务后恢复' }).expect(200);
    advanceTo(start + 40 * H);
    await eventually(async () => (await fault(id)).lastIntegrityCheck);
    expect(await fault(id)).toMatchObject({ level: 2, withinLimit: true, escalations: [], overdue: [], minutesOpen: 300 });
  });

  it('raises a warning when a registration is still unreviewed after 5 working days; the review closes it', async () => {
    const applied = await t.http.post('/api/v1/entities').send(entityBody()).expect(201);
    const entityId = applied.body.entityId as string;
    const deadline = Date.parse(applied.body.reviewDeadline);
    const openWarning = async () => {
      const res = await t.http.get('/api/v1/risk-warnings').query({ indicator: 'registrationReviewOverdue', entityId }).set(asMinistry()).expect(200);
      return res.body.items[0];
    };
    advanceTo(deadline - base - 60_000);
    await settle();
    expect(await openWarning()).toBeUndefined();
    advanceTo(deadline - base + 60_000);
    const warning = await eventually(openWarning);
    expect(warning).toMatchObject({ state: 'raised', level: 'blue', regionCode: '469027', subject: { kind: 'entity', entityId } });
    await t.http.post(`/api/v1/entities/${entityId}/approve`).set(asCounty('469027')).send({}).expect(200);
    await eventually(async () => (await openWarning())?.state === 'closed');
  });

  it('raises a warning when a transfer stays unconfirmed for 72 h; confirming closes it', async () => {
    const a = await registeredEntity(t);
    const b = await registeredEntity(t);
    const code = await createLot(t, a.entityId, 100);
    const transferId = await ship(t, a.entityId, code, b.eid, 10);
    const start = offset;
    const warningOf = async () => {
      const res = await t.http.get('/api/v1/risk-warnings').query({ indicator: 'transferUnconfirmed', traceCode: code }).set(asMinistry()).expect(200);
      return res.body.items[0];
    };
    advanceTo(start + 71 * H);
    await settle();
    expect(await warningOf()).toBeUndefined();
    advanceTo(start + 72 * H + 60_000);
    expect(await eventually(warningOf)).toMatchObject({ state: 'raised', subject: { kind: 'transfer', transferId, entityId: b.entityId } });
    await t.http.post(`/api/v1/transfers/${transferId}/confirm`).set(asProducer(b.entityId)).send({}).expect(200);
    await eventually(async () => (await warningOf())?.state === 'closed');
  });
});
