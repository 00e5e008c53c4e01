import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../../application/ports/clock';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Seed 003 六(三) on the job queue and a controllable clock: a record the county returned and that is not fixed by
 * its deadline is flagged overdue once (the deadline job), which counts against its collector; a fix in time
 * counts nothing, a fix after the deadline counts as late. And 目标任务: completeness measured against the
 * expected counts the county sets, which the province sums.
 */
const H = 3_600_000;
const actor = (role: string, region: string, user: string) => ({ 'X-Role': role, 'X-Region': region, 'X-User-Id': user, 'X-Org-Id': `org-${user}` });
const COLLECTOR = actor('township-admin', '110101001', 'u-dhm');
const COUNTY = actor('county-admin', '110101', 'u-dc');
const OTHER_COUNTY = actor('county-admin', '110102', 'u-xc');
const PROVINCE = actor('province-admin', '11', 'u-bj');

const fields = (over: Record<string, unknown> = {}) => ({
  producerName: '东华门豇豆专业合作社',
  producerType: 'cooperative',
  industry: 'planting',
  product: '豇豆',
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

describe('origin deadlines and targets (controllable clock)', () => {
  let t: TestApp;
  let jobQueue: SqliteJobQueue;
  let offset = 0;
  const base = Date.now();
  const clock: Clock = { now: () => new Date(base + offset) };
  const queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-origin-queue-'));

  beforeAll(async () => {
    jobQueue = new SqliteJobQueue(path.join(queueDir, 'jobs.sqlite'), { now: () => clock.now().getTime(), pollMs: 20 });
    t = await startTestApp({}, { clock, jobQueue });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(queueDir, { recursive: true, force: true });
  });

  /** Everything due at the clock's time has happened: the origin reactor saw the log, the queue ran what is due, the read models include it. */
  const settle = async () => {
    const events = t.platform.adapters.eventStore;
    for (let head = -1; ; ) {
      const now = await events.headPosition();
      if (now === head) return;
      head = now;
      await t.platform.origin.runtime.reactor.waitFor(head, 30_000);
      await jobQueue.idle();
      await t.platform.runner.waitFor(await events.headPosition(), 30_000);
    }
  };
  const collect = async (over: Record<string, unknown>) => (await t.http.post('/api/v1/origin/records').set(COLLECTOR).send({ fields: fields(over) }).expect(201)).body.recordId as string;
  const returnIt = (id: string, deadline: Date) => t.http.post(`/api/v1/origin/records/${id}/return`).set(COUNTY).send({ reason: '经纬度与地块不符', deadline: deadline.toISOString() }).expect(200);
  const types = async (id: string) => (await t.platform.adapters.eventStore.readStream(`origin-${id}`)).map((e) => e.type);
  const collectors = async () => (await t.http.get('/api/v1/origin/collectors').set(COUNTY).expect(200)).body.items as Record<string, unknown>[];

  it('flags a return left unfixed past its deadline once, for its collector; a fix in time counts nothing, a late fix counts late', async () => {
    const late = await collect({ producerName: '逾期未改合作社' });
    const fixed = await collect({ producerName: '按期修改合作社', point: { lat: '39.9170001', lon: '116.3980002' } });
    await returnIt(late, new Date(clock.now().getTime() + 48 * H));
    await returnIt(fixed, new Date(clock.now().getTime() + 48 * H));
    await settle();

    // Before the deadline: nothing flagged.
    offset += 47 * H;
    await settle();
    expect(await types(late)).toEqual(['OriginRecordCollected', 'OriginRecordReturned']);
    // The second record is fixed in time (信息变更 answers the return).
    await t.http.put(`/api/v1/origin/records/${fixed}`).set(COLLECTOR).send({ fields: fields({ producerName: '按期修改合作社', point: { lat: '39.9170011', lon: '116.3980012' } }) }).expect(200);

    // Past the deadline: the unfixed one is flagged, once; the fixed one not.
    offset += 2 * H;
    await settle();
    expect(await types(late)).toEqual(['OriginRecordCollected', 'OriginRecordReturned', 'OriginReturnOverdue']);
    expect(await types(fixed)).toEqual(['OriginRecordCollected', 'OriginRecordReturned', 'OriginRecordChanged']);
    expect((await t.http.get(`/api/v1/origin/records/${late}`).set(COUNTY).expect(200)).body).toMatchObject({ reviewState: 'returned', returnOverdue: true });
    expect(await collectors()).toEqual([{ userId: 'u-dhm', collectorName: '赵敏', countyCode: '110101', townshipCode: '110101001', overdueReturns: 1, lateFixes: 0 }]);
    offset += 24 * H;
    await settle();
    expect((await types(late)).filter((x) => x === 'OriginReturnOverdue')).toHaveLength(1);

    // The late fix: counted as late for the collector, and the record goes back to the county.
    await t.http.put(`/api/v1/origin/records/${late}`).set(COLLECTOR).send({ fields: fields({ producerName: '逾期未改合作社', point: { lat: '39.9163457', lon: '116.3971556' } }) }).expect(200);
    await settle();
    expect(await collectors()).toEqual([expect.objectContaining({ userId: 'u-dhm', overdueReturns: 1, lateFixes: 1 })]);
    // Another county sees no collector of this one; a township collector may not read the evaluation.
    expect((await t.http.get('/api/v1/origin/collectors').set(OTHER_COUNTY).expect(200)).body.items).toEqual([]);
    await t.http.get('/api/v1/origin/collectors').set(COLLECTOR).expect(403);
  });

  it('measures completeness against the 目标任务 the county sets; the province sums the counties’ tables', async () => {
    await t.http.put('/api/v1/origin/targets/110101').set(COUNTY).send({ targets: { 豇豆: 4, 韭菜: 2 } }).expect(200);
    // A township's own table stands under the county's, which counts for the county and above.
    await t.http.put('/api/v1/origin/targets/110101001').set(COUNTY).send({ targets: { cowpea: 3 } }).expect(200);
    const refused = await t.http.put('/api/v1/origin/targets/110101').set(COUNTY).send({ targets: { 苹果: 1 } }).expect(400);
    expect(refused.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'targets.苹果' } });
    await t.http.put('/api/v1/origin/targets/110101').set(COUNTY).send({ targets: { 豇豆: 1.5 } }).expect(400);
    await t.http.put('/api/v1/origin/targets/110101').set(OTHER_COUNTY).send({ targets: { 豇豆: 1 } }).expect(403);
    await t.http.put('/api/v1/origin/targets/110101').set(COLLECTOR).send({ targets: { 豇豆: 1 } }).expect(403);
    await settle();
    expect((await t.http.get('/api/v1/origin/targets/110101').set(PROVINCE).expect(200)).body.targets).toEqual({ cowpea: 4, 'chinese-chive': 2 });

    // Two 豇豆 records in scope (the previous test's), none approved: 2 of 4 expected for the county and the province.
    const county = (await t.http.get('/api/v1/origin/completeness').set(COUNTY).expect(200)).body;
    const cowpea = (c: { byProduct: { product: string }[] }) => c.byProduct.find((p) => p.product === 'cowpea');
    expect(county).toMatchObject({ region: '110101', inScope: 2, expected: 6, collectedRate: 0.333, approvedRate: 0 });
    expect(cowpea(county)).toMatchObject({ inScope: 2, expected: 4, collectedRate: 0.5, approvedInScope: 0, approvedRate: 0 });
    const township = (await t.http.get('/api/v1/origin/completeness').set(COLLECTOR).expect(200)).body;
    expect(township).toMatchObject({ region: '110101001', expected: 3 });
    expect(cowpea(township)).toMatchObject({ expected: 3, collectedRate: 0.667 });
    const province = (await t.http.get('/api/v1/origin/completeness').set(PROVINCE).expect(200)).body;
    expect(province).toMatchObject({ region: '11', expected: 6 });
    // A region with no table in it has nothing to measure against.
    expect((await t.http.get('/api/v1/origin/completeness').set(OTHER_COUNTY).expect(200)).body).toMatchObject({ expected: null, collectedRate: null });
  });

  it('classifies with the thresholds a province sets for itself (规模以下 there, 规模以上 elsewhere); only the province or the ministry sets them', async () => {
    await t.http.put('/api/v1/origin/scope-rules/11').set(COUNTY).send({ thresholds: { planting: '1' } }).expect(403);
    const bad = await t.http.put('/api/v1/origin/scope-rules/11').set(PROVINCE).send({ thresholds: { planting: '0' } }).expect(400);
    expect(bad.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'thresholds.planting' } });
    await t.http.put('/api/v1/origin/scope-rules/11').set(PROVINCE).send({ thresholds: { planting: '1' } }).expect(200);
    await settle();
    expect((await t.http.get('/api/v1/origin/scope-rules/11').set(COUNTY).expect(200)).body).toMatchObject({ overrides: { planting: { amount: '1', unit: '亩' } }, inForce: { planting: { amount: '1', unit: '亩' }, 'live-pig': { amount: '30', unit: '头' } } });
    // 0.8 亩 of 豇豆: below Beijing's own 1 亩, above the national 0.5 亩.
    const small = await collect({ producerName: '小块豇豆地', scale: { amount: '0.8', unit: '亩' }, point: { lat: '39.9180001', lon: '116.3990002' } });
    await settle();
    const doc = (await t.http.get(`/api/v1/origin/records/${small}`).set(COUNTY).expect(200)).body;
    expect(doc).toMatchObject({ inScope: false, scope: { ruleSet: '11', threshold: { amount: '1', unit: '亩' } } });
    expect((await t.http.get('/api/v1/origin/scope-rules/46').set(PROVINCE).expect(200)).body.overrides).toEqual({});
  });
});
