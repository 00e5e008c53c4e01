import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sheetRows } from '../../application/origin/import/spreadsheet-rows';
import { EXAMPLE_ROW, sheetWriter } from '../../application/origin/import/workbooks';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/quality-fixtures';

/**
 * 表格方式批量采集 (issue 13 part 4): a township collector downloads the template, fills it with good and bad rows,
 * uploads it and follows the job to its end; each row is accepted or refused naming the column and the rule;
 * the error workbook holds the refused rows with an error column; the same file again appends nothing (the log
 * head stays); one changed row appends one 信息变更; the export of the filtered set, re-imported as CSV, is a no-op.
 */
const actor = (role: string, region: string, user: string) => ({ 'X-Role': role, 'X-Region': region, 'X-User-Id': user, 'X-Org-Id': `org-${user}` });
const COLLECTOR = actor('township-admin', '110101001', 'u-dhm');
const NEIGHBOUR = actor('township-admin', '110101002', 'u-jgs');
const COUNTY = actor('county-admin', '110101', 'u-dc');

/** A row by column header (sub-columns as group/header), as a person fills the template. */
type Row = Record<string, string>;
const good = (over: Row = {}): Row => ({
  种养殖主体名称: '东华门豇豆专业合作社',
  主体类型: '农民专业合作社',
  所属行业: '种植业',
  产品名称: '豇豆',
  产品认证类型: '绿色',
  '基地地址/村级区划代码': '110101001001',
  '点位经纬度/纬度': '39.9163447',
  '点位经纬度/经度': '116.3971546',
  种养殖主体联系人: '王芳',
  种养殖主体联系方式: '13800138000',
  种养规模: '2.5',
  种养规模单位: '亩',
  上市时间: '2026-05',
  下市时间: '2026-09',
  生产方式: '露地',
  追溯方式: '承诺达标合格证、追溯码',
  网格员: '李强',
  网格员联系方式: '13912345678',
  信息采集员姓名: '赵敏',
  信息采集员联系方式: '15012345678',
  ...over,
});

/** The rows of the test file, in sheet order (data starts on sheet row 3, under the two header rows). */
const ROWS: (Row | null)[] = [
  good(), // 3: by village code
  good({ 种养殖主体名称: '银闸韭菜家庭农场', 主体类型: '家庭农场', 产品名称: '韭菜', '基地地址/村级区划代码': '', '基地地址/省': '北京市', '基地地址/市': '市辖区', '基地地址/县': '东城区', '基地地址/乡(镇)': '东华门街道', '基地地址/村': '银闸社区居委会', '点位经纬度/纬度': '39.9201112', '点位经纬度/经度': '116.4012223', 种养规模: '3' }), // 4: by names
  good({ 种养殖主体名称: '五位小数合作社', '点位经纬度/纬度': '39.91634' }), // 5
  good({ 种养殖主体名称: '错号合作社', 种养殖主体联系方式: '1380013800' }), // 6
  good({ 种养殖主体名称: '公司类型错', 主体类型: '公司' }), // 7
  good({ 种养殖主体名称: '隆福寺合作社', '基地地址/村级区划代码': '110101002001' }), // 8: the neighbour township's village
  good({ 种养殖主体名称: '东华门生猪养殖户', 主体类型: '农户', 所属行业: '畜牧业', 产品名称: '生猪', 种养规模: '20', 种养规模单位: '头', 上市时间: '', 下市时间: '', 生产方式: '', 追溯方式: '耳标', '点位经纬度/纬度': '39.9170001', '点位经纬度/经度': '116.3980002' }), // 9: below 30 头
  good({ 种养规模: '9' }), // 10: the same base as row 3 again
  null, // 11: blank
  good({ 种养殖主体名称: '大棚合作社', 生产方式: '大棚' }), // 12
];

const EXPECTED = [
  { row: 3, result: 'accepted', outcome: 'created' },
  { row: 4, result: 'accepted', outcome: 'created' },
  { row: 5, result: 'refused', column: '点位经纬度/纬度', field: 'point.lat', code: 'VALIDATION_FAILED' },
  { row: 6, result: 'refused', column: '种养殖主体联系方式(手机)', field: 'contact.mobile', code: 'VALIDATION_FAILED' },
  { row: 7, result: 'refused', column: '主体类型', field: 'producerType', code: 'VALIDATION_FAILED' },
  { row: 8, result: 'refused', column: '基地地址/村级区划代码', field: 'address.villageCode', code: 'OUT_OF_SCOPE' },
  { row: 9, result: 'accepted', outcome: 'created' },
  { row: 10, result: 'refused', column: '种养殖主体名称', field: 'producerName', code: 'DUPLICATE_ROW' },
  { row: 12, result: 'refused', column: '生产方式(露地、设施)', field: 'productionMethods[0]', code: 'VALIDATION_FAILED' },
];

async function filledTemplate(t: TestApp, rows: (Row | null)[]): Promise<Buffer> {
  const res = await t.http.get('/api/v1/origin/template.xlsx').set(COLLECTOR).buffer(true).parse(binary).expect(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as never);
  const sheet = book.worksheets[0]!;
  // Column index by header name: a plain header is merged over both rows; a sub-header sits under its group.
  const index = new Map<string, number>();
  for (let c = 1; c <= sheet.columnCount; c++) {
    const top = sheet.getRow(1).getCell(c);
    const sub = sheet.getRow(2).getCell(c);
    const group = String(top.master.value ?? '').replace(/\*/g, '');
    const plain = sub.isMerged && sub.master.address === top.master.address;
    index.set(plain ? group.split(/[(:]/)[0]! : `${group}/${String(sub.value)}`, c);
  }
  sheet.spliceRows(3, 1); // the example row
  rows.forEach((row, i) => {
    const r = sheet.getRow(3 + i);
    if (row) for (const [name, value] of Object.entries(row)) {
      const c = index.get(name);
      if (!c) throw new Error(`no column ${name} in the template (${[...index.keys()].join(' | ')})`);
      r.getCell(c).value = value;
    }
    r.commit();
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

function binary(res: { on(event: string, listener: (chunk?: Buffer) => void): unknown }, callback: (err: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('origin import (表格方式批量采集)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Uploads and follows the import through its status route until the job is done. */
  async function importFile(body: Buffer, filename: string): Promise<{ importId: string; status: Record<string, unknown>; results: Record<string, unknown>[] }> {
    const started = await t.http.post(`/api/v1/origin/imports?filename=${encodeURIComponent(filename)}`).set(COLLECTOR).set('Content-Type', 'application/octet-stream').send(body).expect(202);
    const importId = started.body.importId as string;
    expect(started.body.state).toBe('queued');
    // The job runs on the queue: follow its status route as the web page does, until it has ended.
    const status = await eventually(async () => {
      const now = (await t.http.get(`/api/v1/origin/imports/${importId}`).set(COLLECTOR).expect(200)).body as Record<string, unknown>;
      return now.state === 'done' || now.state === 'failed' ? now : null;
    }, 120_000);
    const results = (await t.http.get(`/api/v1/origin/imports/${importId}/results?pageSize=1000`).set(COLLECTOR).expect(200)).body.items as Record<string, unknown>[];
    return { importId, status, results };
  }

  const shape = (results: Record<string, unknown>[]) => results.map(({ row, result, outcome, column, field, code }) => JSON.parse(JSON.stringify({ row, result, outcome, column, field, code })));

  it('gives exact per-row results, an error workbook, a no-op re-import and one update for one changed row', async () => {
    const file = await filledTemplate(t, ROWS);
    const first = await importFile(file, '东华门街道采集表.xlsx');
    expect(first.status).toMatchObject({ state: 'done', rowsRead: 9, accepted: 3, refused: 6, created: 3, updated: 0, unchanged: 0, error: null });
    expect(shape(first.results)).toEqual(EXPECTED);
    expect(first.results.find((r) => r.row === 5)!.rule).toMatch(/at least 6 decimals/);
    expect(first.results.find((r) => r.row === 10)!.rule).toMatch(/row 3/);

    // The records are there, the pig farm below 30 头 kept as 规模以下, all pending review by the county.
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
    const listed = (await t.http.get('/api/v1/origin/records?pageSize=50').set(COUNTY).expect(200)).body;
    expect(listed.total).toBe(3);
    const pigs = listed.items.find((d: { productName: string }) => d.productName === '生猪');
    expect(pigs).toMatchObject({ inScope: false, reviewState: 'pending', channel: 'import', importId: first.importId });
    const byNames = listed.items.find((d: { fields: { producerName: string } }) => d.fields.producerName === '银闸韭菜家庭农场');
    expect(byNames.fields.address).toMatchObject({ villageCode: '110101001002', townshipName: '东华门街道' });
    expect(byNames.fields.point).toEqual({ lat: '39.9201112', lon: '116.4012223' });
    // A neighbouring township sees none of them, nor the import.
    expect((await t.http.get('/api/v1/origin/records').set(NEIGHBOUR).expect(200)).body.total).toBe(0);
    await t.http.get(`/api/v1/origin/imports/${first.importId}`).set(NEIGHBOUR).expect(403);

    // The error workbook: the six refused rows in the template's layout, with the original row and an error column.
    const errors = await t.http.get(`/api/v1/origin/imports/${first.importId}/errors.xlsx`).set(COLLECTOR).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(errors.body as never);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map((v) => (v === null || v === undefined ? '' : String(v)));
    const errorCol = header.indexOf('错误');
    const rowCol = header.indexOf('原行号');
    expect(errorCol).toBeGreaterThan(0);
    const errorRows: [string, string][] = [];
    for (let r = 3; r <= sheet.rowCount; r++) errorRows.push([String(sheet.getRow(r).getCell(rowCol).value), String(sheet.getRow(r).getCell(errorCol).value)]);
    expect(errorRows.map(([row]) => row)).toEqual(['5', '6', '7', '8', '10', '12']);
    expect(errorRows[0]![1]).toMatch(/^点位经纬度\/纬度：.*6 decimals/);
    expect(sheet.getRow(3).getCell(header.indexOf('种养殖主体名称*')).value).toBe('五位小数合作社');

    // The same file again: every accepted row unchanged, nothing appended.
    const head = await t.platform.adapters.eventStore.headPosition();
    const again = await importFile(file, '东华门街道采集表.xlsx');
    expect(again.status).toMatchObject({ state: 'done', accepted: 3, refused: 6, created: 0, updated: 0, unchanged: 3 });
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);

    // One changed row (规模 3 → 4.5 亩): one 信息变更 event, the rest unchanged.
    const changedRows = ROWS.map((r, i) => (i === 1 ? { ...r!, 种养规模: '4.5' } : r));
    const changed = await importFile(await filledTemplate(t, changedRows), '东华门街道采集表-改.xlsx');
    expect(changed.status).toMatchObject({ accepted: 3, created: 0, updated: 1, unchanged: 2 });
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head + 1);
    const updated = changed.results.find((r) => r.row === 4)!;
    const stream = await t.platform.adapters.eventStore.readStream(`origin-${updated.recordId as string}`);
    expect(stream.map((e) => e.type)).toEqual(['OriginRecordCollected', 'OriginRecordChanged']);
    expect(stream[1]!.data.changed).toEqual([{ field: 'scale.amount', before: '3', after: '4.5' }]);
  });

  it('exports the filtered set in the template layout; the export re-imported as CSV changes nothing', async () => {
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
    const products = (await t.http.get('/api/v1/origin/products').set(COLLECTOR).expect(200)).body.items as { code: string; name: string }[];
    const cowpea = products.find((p) => p.name === '豇豆')!.code;
    const exported = await t.http.get(`/api/v1/origin/records/export?product=${cowpea}`).set(COLLECTOR).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported.body as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(3); // two header rows, the one 豇豆 record
    expect(sheet.getRow(3).getCell(2).value).toBe('东华门豇豆专业合作社');

    const csv = await t.http.get('/api/v1/origin/records/export?format=csv').set(COLLECTOR).buffer(true).parse(binary).expect(200);
    expect((csv.body as Buffer).toString('utf8').split('\r\n').filter((l) => l !== '')).toHaveLength(4); // header + 3 records
    const head = await t.platform.adapters.eventStore.headPosition();
    const again = await importFile(csv.body as Buffer, 'export.csv');
    expect(again.status).toMatchObject({ state: 'done', rowsRead: 3, accepted: 3, unchanged: 3, refused: 0, error: null });
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);
  });

  it('reads every Chinese cell of a large XLSX exactly (no character cut at an inflate-chunk boundary)', async () => {
    // exceljs's own streaming reader turns ~1 cell in 1,000 of such a file into U+FFFD (its issues #2063, #2084).
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'origin-utf8-')), 'many.xlsx');
    const out = fs.createWriteStream(file);
    const finished = new Promise<void>((resolve) => out.on('finish', () => resolve()));
    const w = sheetWriter(out, { title: '采集表' });
    const names = Array.from({ length: 3000 }, (_, i) => `海南省乐东黎族自治县抱由镇第${i}号豇豆专业合作社基地`);
    for (const producerName of names) w.addRow({ ...EXAMPLE_ROW, producerName });
    await w.done();
    await finished;
    const read: string[] = [];
    for await (const r of sheetRows(file, 'xlsx')) read.push(r.cells.producerName);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    expect(read.filter((n) => n.includes('\uFFFD'))).toEqual([]);
    expect(read).toEqual(names);
  });

  it('refuses a file without the template header as a whole, and an upload from a non-collector', async () => {
    const bad = await importFile(Buffer.from('\uFEFFname,phone\r\nfoo,1\r\n'), 'other.csv');
    expect(bad.status).toMatchObject({ state: 'failed', rowsRead: 0, error: { code: 'VALIDATION_FAILED' } });
    await t.http.post('/api/v1/origin/imports?filename=a.csv').set(actor('supervisor', '110101', 'u-sup')).set('Content-Type', 'text/csv').send('x').expect(403);
  });
});
