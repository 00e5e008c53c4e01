import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../../application/ports/clock';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { confirm, createLot, registeredEntity, ship } from './support/fixtures';
import { asMinistry } from './support/quality-fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * Consumer lookups recorded by the repeatable job on a controllable clock (nothing before the interval, one
 * aggregated event after it, no personal data), and the monitoring evaluation (运行监测评价) over HTTP: a
 * county's composite and grade from its hand-overs, its enterprises ranked, the criteria as data that the
 * ministry changes, and the access policy's scope (a county sees its county, another is refused).
 */
const MIN = 60_000;

describe('statistics: consumer lookups and monitoring evaluation', () => {
  let t: TestApp;
  let offset = 0;
  const base = Date.parse('2026-11-20T02:00:00Z');
  const clock: Clock = { now: () => new Date(base + offset) };
  const queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-queue-'));
  let jobQueue: SqliteJobQueue;
  let lotCode = '';
  const LEDONG = '469027';

  const settle = async () => {
    const events = t.platform.adapters.eventStore;
    for (let head = -1; ; ) {
      const now = await events.headPosition();
      if (now === head) return;
      head = now;
      await jobQueue.idle();
      await t.platform.runner.waitFor(await events.headPosition(), 30_000);
    }
  };

  beforeAll(async () => {
    jobQueue = new SqliteJobQueue(path.join(queueDir, 'jobs.sqlite'), { now: () => clock.now().getTime(), pollMs: 20 });
    t = await startTestApp({ RATE_LIMIT_PUBLIC_PER_MIN: '100000' }, { clock, jobQueue });
    const a = await registeredEntity(t);
    const b = await registeredEntity(t);
    const c = await registeredEntity(t);
    lotCode = await createLot(t, a.entityId, 1000);
    // a: three hand-overs, two confirmed, one refused (2/3); b: one, confirmed (1/1).
    for (const [i, to] of [b, c, b].entries()) {
      const transferId = await ship(t, a.entityId, lotCode, to.eid, 10);
      if (i < 2) await confirm(t, to.entityId, transferId);
      else await t.http.post(`/api/v1/transfers/${transferId}/reject`).set(asProducer(to.entityId)).send({ reason: '数量不符' }).expect(200);
    }
    const lotB = await createLot(t, b.entityId, 100);
    await confirm(t, c.entityId, await ship(t, b.entityId, lotB, c.eid, 5));
    await settle();
  }, 120_000);
  afterAll(async () => {
    await t.close();
    fs.rmSync(queueDir, { recursive: true, force: true });
  });

  const lookupEvents = async () => (await t.platform.adapters.eventStore.readAll({ afterPosition: 0, maxCount: 10_000 })).filter((e) => e.type === 'PublicLookupsCounted');
  const lookups = async () => (await t.http.get(`/api/v1/statistics/overview?region=${LEDONG}&from=2026-11-01&to=2026-11-30`).set(asCounty(LEDONG)).expect(200)).body.cards.find((c: { key: string }) => c.key === 'lookups').value;

  it('counts public lookups in memory and records them as one aggregated event per interval, without personal data', async () => {
    for (let i = 0; i < 3; i++) await t.http.get(`/api/v1/trace/${lotCode}`).set('X-Forwarded-For', '203.0.113.7').expect(200);
    await settle();
    expect(await lookups()).toBe(0); // not recorded before the interval is over
    expect(t.platform.statistics.lookups.unrecorded()).toBe(3);

    offset += 10 * MIN;
    await settle();
    expect(await lookups()).toBe(3);
    const events = await lookupEvents();
    expect(events).toHaveLength(1);
    expect(Object.keys(events[0]!.data).sort()).toEqual(['counts', 'from', 'to']);
    expect(events[0]!.data.counts).toEqual([{ day: '2026-11-20', product: '豇豆', regionCode: LEDONG, lookups: 3 }]);
    expect(JSON.stringify(events[0])).not.toContain('203.0.113.7');

    // Nothing new looked up: the next interval appends nothing.
    offset += 10 * MIN;
    await settle();
    expect(await lookupEvents()).toHaveLength(1);
  });

  it('scores and grades the county from its hand-overs, ranks its enterprises, and follows the criteria the ministry sets', async () => {
    const q = '?from=2026-11&to=2026-11';
    const province = (await t.http.get(`/api/v1/statistics/evaluation${q}&region=46`).set(asMinistry()).expect(200)).body;
    const county = province.rows.find((r: { key: string }) => r.key.startsWith('4690'));
    expect(county).toBeDefined();
    const own = (await t.http.get(`/api/v1/statistics/evaluation${q}`).set(asCounty(LEDONG)).expect(200)).body;
    expect(own.region.code).toBe(LEDONG);
    // 3 of 4 hand-overs confirmed; reviews all on time (1.0); no samples, no origin records; the data-quality
    // score is the county's from the data-quality read model (its fixtures' findings), as a share.
    expect(own.own.indicators.confirmationRate.value).toBeCloseTo(0.75);
    expect(own.own.indicators.reviewOnTime.value).toBe(1);
    expect(own.own.indicators.passRate.value).toBeNull();
    expect(own.own.indicators.originTimeliness.value).toBeNull();
    const dq = (await t.http.get('/api/v1/data-quality/scores').set(asCounty(LEDONG)).expect(200)).body.region.score / 100;
    expect(own.own.indicators.dataQuality.value).toBeCloseTo(dq);
    // (1.0 × 25 + 0.75 × 25 + dq × 20) / 70, graded with the default cut-offs (90 / 80 / 60).
    const composite = Math.round(((25 + 0.75 * 25 + dq * 20) / 70) * 1000) / 10;
    const grade = (score: number, excellent: number) => (score >= excellent ? 'excellent' : score >= 80 ? 'good' : score >= 60 ? 'pass' : 'fail');
    expect(own.own.score).toBe(composite);
    expect(own.own.grade).toBe(grade(composite, 90));

    const enterprises = (await t.http.get(`/api/v1/statistics/evaluation/enterprises${q}`).set(asCounty(LEDONG)).expect(200)).body;
    expect(enterprises.top.map((r: { score: number }) => r.score)).toEqual([100, 66.7]);
    expect(enterprises.bottom[0].score).toBe(66.7);

    // The ministry lowers the 优秀 cut-off for Hainan to the county's score: the county becomes 优秀.
    const cut = Math.floor(composite);
    await t.http.put('/api/v1/statistics/evaluation/criteria/46').set(asCounty(LEDONG)).send({ grades: { excellent: cut } }).expect(403);
    await t.http.put('/api/v1/statistics/evaluation/criteria/46').set(asMinistry()).send({ grades: { excellent: cut } }).expect(200);
    const again = (await t.http.get(`/api/v1/statistics/evaluation${q}`).set(asCounty(LEDONG)).expect(200)).body;
    expect(again.own.grade).toBe('excellent');
    expect(again.criteria.grades).toEqual({ excellent: cut, good: 80, pass: 60 });
    // Not for Shandong: its criteria are still the defaults.
    expect((await t.http.get('/api/v1/statistics/evaluation/criteria?region=37').set(asMinistry()).expect(200)).body.effective.grades.excellent).toBe(90);

    // The trend scores each month on what the month holds (data quality and origin timeliness have no months).
    const trend = (await t.http.get(`/api/v1/statistics/evaluation/trend?from=2026-10&to=2026-11`).set(asCounty(LEDONG)).expect(200)).body;
    expect(trend.points.map((p: { period: string; score: number | null }) => [p.period, p.score])).toEqual([['2026-10', null], ['2026-11', 87.5]]);

    // Scope: a county asking for another county is refused; for its province it gets its own.
    await t.http.get(`/api/v1/statistics/evaluation${q}&region=370686`).set(asCounty(LEDONG)).expect(403);
    expect((await t.http.get(`/api/v1/statistics/evaluation${q}&region=46`).set(asCounty(LEDONG)).expect(200)).body.region.code).toBe(LEDONG);
  });
});
