import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../../application/ports/clock';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { entityBody } from './support/fixtures';
import { asMinistry, eventually } from './support/quality-fixtures';
import { asCounty, startTestApp, type TestApp } from './support/test-app';

/**
 * Clock jumps (issue 16): the wall clock moves backwards (an NTP step, a VM restored from a snapshot) or
 * forwards (a host suspended for a day) under the fault escalation and the registration review deadline.
 * The platform and the persisted job queue read one controllable clock, as in quality-deadlines.spec.ts.
 * A backwards jump must neither fire an escalation again nor lose the one still due; a forward jump fires
 * what became due, once, each at its own due time.
 */
const H = 3_600_000;
const DAY = 24 * H;

describe('clock jumps under fault escalation and review deadlines', () => {
  let t: TestApp;
  let offset = 0;
  const base = Date.now();
  const clock: Clock = { now: () => new Date(base + offset) };
  const setClock = (ms: number) => {
    offset = ms;
  };
  const queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-clock-jumps-'));
  let jobQueue: SqliteJobQueue;

  beforeAll(async () => {
    jobQueue = new SqliteJobQueue(path.join(queueDir, 'jobs.sqlite'), { now: () => clock.now().getTime(), pollMs: 20 });
    t = await startTestApp({}, { clock, jobQueue });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(queueDir, { recursive: true, force: true });
  });

  /** Everything due at the clock's current time has happened (see quality-deadlines.spec.ts): reactor, queue and read models, until the log stops growing. */
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
  const fault = async (id: string) => (await t.http.get(`/api/v1/faults/${id}`).set(asMinistry()).expect(200)).body;
  /** The fault's events in the ledger: the effect of the escalation job, counted where it cannot be deduplicated by a read model. */
  const faultEvents = async (id: string, type: string) =>
    ((await t.http.get(`/api/v1/audit/streams/fault-${id}`).set(asMinistry()).expect(200)).body.events as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type === type);
  const report = async (level: 1 | 2 | 3) =>
    (
      await t.http
        .post('/api/v1/faults')
        .set(asCounty('469027'))
        .send({
          level,
          occurredAt: new Date(clock.now().getTime() - 60_000).toISOString(),
          place: '国家追溯平台 主数据中心 B 区',
          description: '时钟跳变测试',
          affectedScope: '全部业务',
          measures: '切换备用服务器',
          expectedRecoveryAt: new Date(clock.now().getTime() + H).toISOString(),
          reporter: { name: '运维值班员' },
        })
        .expect(201)
    ).body.faultId as string;

  it('a backwards jump after an escalation neither fires it again nor loses the next one', async () => {
    const start = offset;
    const id = await report(1);
    const reportedAt = Date.parse((await fault(id)).reportedAt);

    setClock(start + 2 * H + 1000);
    await eventually(async () => (await fault(id)).level === 2);
    await settle();
    expect(await faultEvents(id, 'FaultEscalated')).toHaveLength(1);

    // The clock steps back to before the first deadline; a progress report is recorded at that earlier time.
    setClock(start + 30 * 60_000);
    await t.http.post(`/api/v1/faults/${id}/progress`).set(asCounty('469027')).send({ note: '时钟回拨后继续排查' }).expect(201);
    await settle();
    expect((await fault(id)).level).toBe(2);
    expect(await faultEvents(id, 'FaultEscalated')).toHaveLength(1);

    // Just before the second deadline (8 h after the report): still nothing.
    setClock(reportedAt - base + 8 * H - 60_000);
    await settle();
    expect(await faultEvents(id, 'FaultEscalated')).toHaveLength(1);

    // Past it: the 2 → 3 escalation fires once, stamped with its own due time.
    setClock(reportedAt - base + 8 * H + 1000);
    await eventually(async () => (await fault(id)).level === 3);
    await settle();
    const escalations = (await fault(id)).escalations as { fromLevel: number; toLevel: number; dueAt: string }[];
    expect(escalations.map((e) => [e.fromLevel, e.toLevel, e.dueAt])).toEqual([
      [1, 2, new Date(reportedAt + 2 * H).toISOString()],
      [2, 3, new Date(reportedAt + 8 * H).toISOString()],
    ]);
    expect(await faultEvents(id, 'FaultEscalated')).toHaveLength(2);
  });

  it('a forward jump over several deadlines records each one once, at its own due time', async () => {
    const start = offset;
    const id = await report(1);
    const reportedAt = Date.parse((await fault(id)).reportedAt);

    // Suspended for 30 h: 2 h (1 → 2), 8 h (2 → 3) and level 3's 12 h overdue mark (at 8 h + 12 h) all passed.
    setClock(start + 30 * H);
    await eventually(async () => (await fault(id)).overdue.length === 1);
    await settle();
    await settle();
    const after = await fault(id);
    expect(after.level).toBe(3);
    expect((after.escalations as { dueAt: string }[]).map((e) => e.dueAt)).toEqual([new Date(reportedAt + 2 * H).toISOString(), new Date(reportedAt + 8 * H).toISOString()]);
    expect((after.overdue as { hours: number; dueAt: string }[]).map((o) => [o.hours, o.dueAt])).toEqual([[12, new Date(reportedAt + 20 * H).toISOString()]]);
    expect(await faultEvents(id, 'FaultEscalated')).toHaveLength(2);

    // Another jump, past the 24 h mark: that one, once; nothing before it again.
    setClock(start + 3 * DAY);
    await eventually(async () => (await fault(id)).overdue.length === 2);
    await settle();
    expect(await faultEvents(id, 'FaultEscalated')).toHaveLength(2);
    expect(((await fault(id)).overdue as { hours: number }[]).map((o) => o.hours)).toEqual([12, 24]);
  });

  const warningsOf = async (entityId: string) =>
    (await t.http.get('/api/v1/risk-warnings').query({ indicator: 'registrationReviewOverdue', entityId }).set(asMinistry()).expect(200)).body.items as { state: string }[];
  const apply = async () => {
    const res = await t.http.post('/api/v1/entities').send(entityBody()).expect(201);
    return { entityId: res.body.entityId as string, deadline: Date.parse(res.body.reviewDeadline as string) };
  };

  it('a review deadline survives a backwards jump and fires once after a forward jump far past it', async () => {
    const { entityId, deadline } = await apply();
    // Back to two days before the application was made: nothing is due, nothing is lost.
    setClock(offset - 2 * DAY);
    await settle();
    expect(await warningsOf(entityId)).toEqual([]);
    // Forward, three weeks past the deadline (one jump over many would-be daily checks): one warning.
    setClock(deadline - base + 21 * DAY);
    await eventually(async () => (await warningsOf(entityId)).length === 1);
    await settle();
    expect((await warningsOf(entityId)).map((w) => w.state)).toEqual(['raised']);
    // Back before the deadline again, then forward again: still that one warning, not closed and not raised twice.
    setClock(deadline - base - DAY);
    await settle();
    expect((await warningsOf(entityId)).map((w) => w.state)).toEqual(['raised']);
    setClock(deadline - base + 30 * DAY);
    await settle();
    expect((await warningsOf(entityId)).map((w) => w.state)).toEqual(['raised']);
    // The review still closes it.
    await t.http.post(`/api/v1/entities/${entityId}/approve`).set(asCounty('469027')).send({}).expect(200);
    await eventually(async () => (await warningsOf(entityId))[0]?.state === 'closed');
  });
});
