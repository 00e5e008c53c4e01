import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../../application/ports/clock';
import type { Notification } from '../../application/ports/notifier';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { findCjkFont } from '../../infrastructure/http/labels/cjk-font';
import { confirm, createLot, entityBody, registeredEntity, ship } from './support/fixtures';
import { asMinistry, asProvince } from './support/quality-fixtures';
import { asCounty, startTestApp, type TestApp } from './support/test-app';

/**
 * 统计报表 and 数据传输监控 on a controllable clock, through the real job queue:
 *  - a provincial platform's batch uploads (valid, refused, resent items) are counted, recorded by the
 *    repeatable job once its interval passed (nothing before), and monitored per region, client and day, with
 *    export, in the caller's scope;
 *  - after the month closes, the daily job generates the monthly report of every region with figures (the
 *    country, the province, the city, the county), stores PDF and XLSX in the BlobStore, lists them by scope,
 *    serves them (its figures equal the dashboard's), and sends each region's contacts (附件2) one message;
 *    running again generates and sends nothing more.
 */
const HOUR = 3_600_000;
const LEDONG = '469027';
const PLATFORM = asProvince('46', 'org-hn-platform');

const binary = (res: import('supertest').Test) =>
  res.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('statistics: generated reports and upload monitoring', () => {
  let t: TestApp;
  let offset = 0;
  const base = Date.parse('2026-11-20T02:00:00Z');
  const clock: Clock = { now: () => new Date(base + offset) };
  const queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-queue-'));
  let jobQueue: SqliteJobQueue;
  const sent: Notification[] = [];

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
    t = await startTestApp({}, { clock, jobQueue, notifier: { send: async (n) => void sent.push(n) } });
    const a = await registeredEntity(t);
    const b = await registeredEntity(t);
    const lot = await createLot(t, a.entityId, 1000);
    await confirm(t, b.entityId, await ship(t, a.entityId, lot, b.eid, 100));
    // 附件2 contacts: the county's officer by e-mail, the ministry's by mobile; the province has none.
    const contact = { leadUnit: '乐东县农业农村局', leadName: '王强', leadTitle: '局长', leadLandline: null, officerName: '李娜', officerMobile: '13700001111', officerEmail: 'lina@ledong.example.cn' };
    await t.http.put(`/api/v1/origin/contacts/${LEDONG}`).set(asCounty(LEDONG)).send({ contacts: [contact] }).expect(200);
    await t.http.put('/api/v1/origin/contacts/national').set(asMinistry()).send({ contacts: [{ ...contact, leadUnit: '农业农村部', officerName: '赵敏', officerMobile: '13900002222', officerEmail: null }] }).expect(200);
    await settle();
  }, 120_000);
  afterAll(async () => {
    await t.close();
    fs.rmSync(queueDir, { recursive: true, force: true });
  });

  it('数据传输监控: a platform’s batches counted as valid, problem and resent, recorded after the interval, per region, client and day', async () => {
    const apply = (commandId: string, body: object) => ({ commandId, type: 'applyForRegistration', payload: body });
    const one = entityBody();
    const first = await t.http
      .post('/api/v1/batch')
      .set(PLATFORM)
      .send({ commands: [apply('upload-1', one), apply('upload-2', entityBody()), apply('upload-3', { ...entityBody(), regionCode: 'nowhere' })] })
      .expect(200);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'error']);
    const problemCode = first.body.results[2].error.code as string;
    // The first item again (补传/重传) and one new one.
    const again = await t.http.post('/api/v1/batch').set(PLATFORM).send({ commands: [apply('upload-1', one), apply('upload-4', entityBody())] }).expect(200);
    expect(again.body.results.map((r: { status: string; duplicate?: boolean }) => [r.status, r.duplicate])).toEqual([['ok', true], ['ok', false]]);

    // Before the interval has passed nothing is recorded; the job records one event once it has.
    await settle();
    const before = (await t.http.get('/api/v1/statistics/uploads').set(PLATFORM).expect(200)).body;
    expect(before.totals.items).toBe(0);
    expect(t.platform.statistics.uploads.unrecorded()).toBe(5);
    offset += 61_000;
    await settle();
    expect(t.platform.statistics.uploads.unrecorded()).toBe(0);

    const totals = (await t.http.get('/api/v1/statistics/uploads').set(PLATFORM).expect(200)).body;
    expect(totals.region).toEqual({ code: '46', name: '海南省', level: 1 });
    expect(totals.totals).toMatchObject({ items: 5, valid: 3, problems: 1, validRate: 0.75, byChannel: { batch: 5 }, problemCodes: { [problemCode]: 1 } });
    // 'upload-1' the second time: accepted before, so it is resent, not valid again.
    expect(totals.totals.resent).toBe(1);
    const clients = (await t.http.get('/api/v1/statistics/uploads?by=client').set(PLATFORM).expect(200)).body;
    expect(clients.rows).toEqual([expect.objectContaining({ key: 'org-hn-platform', role: 'province-admin', regionCode: '46', items: 5, valid: 3, problems: 1, resent: 1 })]);
    const days = (await t.http.get('/api/v1/statistics/uploads?by=day').set(PLATFORM).expect(200)).body;
    expect(days.rows).toEqual([expect.objectContaining({ key: '2026-11-20', items: 5, cumulative: 5 })]);
    // The country sees the province as a row; a county sees its own county (nothing uploaded there); another province is refused.
    const national = (await t.http.get('/api/v1/statistics/uploads').set(asMinistry()).expect(200)).body;
    expect(national.rows).toEqual([expect.objectContaining({ key: '46', items: 5, valid: 3 })]);
    expect((await t.http.get('/api/v1/statistics/uploads').set(asCounty(LEDONG)).expect(200)).body.totals.items).toBe(0);
    await t.http.get('/api/v1/statistics/uploads?region=37').set(PLATFORM).expect(403);

    const xlsx = await binary(t.http.get('/api/v1/statistics/uploads/export?by=client').set(PLATFORM)).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.getWorksheet('数据传输监控')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['客户端（机构）', '名称', '总数据量', '有效数据量', '问题数据量', '补传/重传']);
    expect((sheet.getRow(3).values as unknown[]).slice(1, 7)).toEqual(['org-hn-platform', 'org-hn-platform', 5, 3, 1, 1]);
  });

  it('统计报表: after November closes the daily job generates, stores, lists and sends the monthly reports once', async () => {
    // (The daily data-quality digest sends through the same notifier: only the reports' messages are looked at.)
    const reportsSent = () => sent.filter((n) => n.ref.kind === 'statistics-report');
    expect(reportsSent()).toEqual([]);
    // To 2 December (CST): the daily look-out is due.
    offset = Date.parse('2026-12-02T01:00:00Z') - base;
    await settle();
    const all = (await t.http.get('/api/v1/statistics/reports').set(asMinistry()).expect(200)).body.items as { reportId: string; regionCode: string; kind: string; period: string; formats: { format: string; href: string }[]; recipients: number }[];
    expect(all.map((r) => r.reportId)).toEqual(['monthly-2026-11-national', 'monthly-2026-11-46', 'monthly-2026-11-4690', `monthly-2026-11-${LEDONG}`]);
    const font = findCjkFont();
    expect(all[3]!.formats.map((f) => f.format)).toEqual(font ? ['pdf', 'xlsx'] : ['xlsx']);
    if (!font) console.warn('SKIPPED: the PDF of the generated reports — no CJK font installed (apt-get install fonts-noto-cjk); the XLSX is checked');
    expect(all.map((r) => r.recipients)).toEqual([1, 0, 0, 1]);

    // Scope: the county lists its own report only, and may not download the country's.
    const county = (await t.http.get('/api/v1/statistics/reports').set(asCounty(LEDONG)).expect(200)).body.items;
    expect(county.map((r: { reportId: string }) => r.reportId)).toEqual([`monthly-2026-11-${LEDONG}`]);
    await t.http.get('/api/v1/statistics/reports/monthly-2026-11-national/xlsx').set(asCounty(LEDONG)).expect(403);
    await t.http.get('/api/v1/statistics/reports?region=37').set(asCounty(LEDONG)).expect(403);

    // The county's XLSX holds the dashboard's November figures.
    const dashboard = (await t.http.get(`/api/v1/statistics/overview?from=2026-11&to=2026-11`).set(asCounty(LEDONG)).expect(200)).body;
    const lots = dashboard.cards.find((c: { key: string }) => c.key === 'lotsCreated').value;
    expect(lots).toBe(2);
    const file = await binary(t.http.get(`/api/v1/statistics/reports/monthly-2026-11-${LEDONG}/xlsx`).set(asCounty(LEDONG))).expect(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as ArrayBuffer);
    const summary = book.getWorksheet('汇总')!;
    const figures = new Map<string, unknown>();
    summary.eachRow((row) => figures.set(String(row.getCell(2).value), row.getCell(3).value));
    expect(String(summary.getRow(1).getCell(1).value)).toBe('海南省 乐东黎族自治县2026-11 月度信息调度');
    expect(figures.get('新建批次')).toBe(lots);
    expect(figures.get('注册申请')).toBe(dashboard.cards.find((c: { key: string }) => c.key === 'entitiesApplied').value);
    expect(figures.get('交接确认')).toBe(1);
    if (font) {
      const pdf = await binary(t.http.get(`/api/v1/statistics/reports/monthly-2026-11-${LEDONG}/pdf`).set(asProvince())).expect(200);
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    }

    // One message to each region's contact, with the figures and where to download.
    expect(reportsSent().map((n) => [n.channel, n.to, n.ref.id]).sort()).toEqual([
      ['email', 'lina@ledong.example.cn', `monthly-2026-11-${LEDONG}`],
      ['sms', '13900002222', 'monthly-2026-11-national'],
    ]);
    const mail = reportsSent().find((n) => n.channel === 'email')!;
    expect(mail.subject).toBe('海南省 乐东黎族自治县2026-11 月度信息调度');
    expect(mail.text).toContain(`新建批次 ${lots}`);
    expect(mail.text).toContain(`http://suyuan.test/#/statistics?reports=monthly-2026-11-${LEDONG}`);

    // The next day's look-out finds them all there: nothing generated or sent again.
    const head = await t.platform.adapters.eventStore.headPosition();
    offset += 25 * HOUR;
    await settle();
    expect((await t.http.get('/api/v1/statistics/reports').set(asMinistry()).expect(200)).body.items).toHaveLength(4);
    expect(reportsSent()).toHaveLength(2);
    const reportEvents = (await t.platform.adapters.eventStore.readAll({ afterPosition: head, maxCount: 10_000 })).filter((e) => e.type === 'StatisticsReportGenerated');
    expect(reportEvents).toEqual([]);
  });

  it('a supervisor has a closed period of its region generated now; an open period is refused', async () => {
    const october = (await t.http.post('/api/v1/statistics/reports/generate').set(asCounty(LEDONG)).send({ kind: 'monthly', period: '2026-10' }).expect(200)).body;
    expect(october).toMatchObject({ reportId: `monthly-2026-10-${LEDONG}`, regionCode: LEDONG, from: '2026-10-01', to: '2026-10-31' });
    // Asked again: the same report, nothing appended.
    const head = await t.platform.adapters.eventStore.headPosition();
    expect((await t.http.post('/api/v1/statistics/reports/generate').set(asCounty(LEDONG)).send({ kind: 'monthly', period: '2026-10' }).expect(200)).body.generatedAt).toBe(october.generatedAt);
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);
    const open = await t.http.post('/api/v1/statistics/reports/generate').set(asCounty(LEDONG)).send({ kind: 'monthly', period: '2026-12' }).expect(400);
    expect(open.body.details.field).toBe('period');
    await t.http.post('/api/v1/statistics/reports/generate').set(asCounty(LEDONG)).send({ kind: 'half-year', period: '2026-10' }).expect(400);
    await t.http.post('/api/v1/statistics/reports/generate').set(asCounty(LEDONG)).send({ kind: 'monthly', region: '37' }).expect(403);
    // The half-year that closed last (2026-H1) for the province: generated though it had no figures.
    const h1 = (await t.http.post('/api/v1/statistics/reports/generate').set(asProvince()).send({ kind: 'half-year' }).expect(200)).body;
    expect(h1).toMatchObject({ reportId: 'half-year-2026-H1-46', from: '2026-01-01', to: '2026-06-30', title: '海南省2026-H1 半年工作总结' });
  });
});
