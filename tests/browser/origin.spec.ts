import { PassThrough } from 'node:stream';
import type { RowCells } from '../../application/origin/import/row-input';
import { EXAMPLE_ROW, sheetWriter } from '../../application/origin/import/workbooks';
import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/**
 * Origin data in the browser (issue 13): the 抱由镇 collector (demo-baoyou) imports a filled 采集表 and watches the
 * progress bar to the end, sees the refused rows and downloads the error workbook; the county (demo-ledong)
 * returns a record with a reason and a deadline; the collector fixes it (信息变更) and it is pending again; the
 * province (demo-hainan) sees completeness and the map with the points.
 */
const row = (over: Partial<RowCells>): RowCells => ({ ...EXAMPLE_ROW, seq: '', ...over });
const ROWS: RowCells[] = [
  row({ producerName: '抱由豇豆专业合作社', villageCode: '469027100200', lat: '18.7421536', lon: '109.1753412' }),
  row({ producerName: '乐富韭菜家庭农场', producerType: '家庭农场', product: '韭菜', villageCode: '469027100001', lat: '18.7450011', lon: '109.1801234' }),
  row({ producerName: '抱由生猪养殖户', producerType: '农户', industry: '畜牧业', product: '生猪', villageCode: '469027100200', lat: '18.7400123', lon: '109.1700456', scaleAmount: '120', scaleUnit: '头', marketingFrom: '', marketingTo: '', productionMethods: '', traceMethods: '耳标' }),
  row({ producerName: '五位小数合作社', villageCode: '469027100200', lat: '18.74215', lon: '109.1753412' }),
  row({ producerName: '万冲镇合作社', villageCode: '469027101200', lat: '18.8400001', lon: '109.3500001' }),
];

async function workbook(rows: RowCells[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  const w = sheetWriter(out, { title: '重点农产品产地溯源信息采集表' });
  for (const r of rows) w.addRow(r);
  await w.done();
  await ended;
  return Buffer.concat(chunks);
}

describeInChromium('origin data (产地溯源信息): import, review, fix, map', () => {
  const suite = browserSuite();

  it('a township collector imports a file; the county returns a record; the collector fixes it; the province sees completeness and the map', async () => {
    const { url, summary } = suite.server();
    const file = await workbook(ROWS);

    // The collector: the import page, the upload, the progress bar to the end, the refused rows, the error workbook.
    const collector = await newPage(suite.browser());
    await signIn(collector.page, url, 'demo-baoyou', summary.password);
    await collector.page.click('a[href="#/origin"]');
    await pageReady(collector.page, 'origin');
    await collector.page.click('[data-testid=origin-tab-import]');
    await pageReady(collector.page, 'origin-import');
    await collector.page.setInputFiles('[data-testid=origin-import-file]', { name: '抱由镇采集表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await collector.page.click('[data-testid=origin-import-upload]');
    await collector.page.waitForSelector('[data-testid=origin-import-bar][data-state=done]', { timeout: 30_000 });
    expect(await collector.page.locator('[data-testid=origin-import-bar]').getAttribute('value')).toBe('100');
    const counts = await collector.page.locator('[data-testid=origin-import-counts]').textContent();
    expect(counts).toContain('已读取 5 行');
    expect(counts).toContain('接受 3 行');
    expect(counts).toContain('拒绝 2 行');
    await collector.page.waitForSelector('[data-testid=origin-refused] tbody tr');
    const refused = await collector.page.locator('[data-testid=origin-refused] tbody tr').allTextContents();
    expect(refused).toHaveLength(2);
    expect(refused[0]).toContain('点位经纬度/纬度');
    expect(refused[1]).toContain('基地地址/村级区划代码');
    expect(refused[1]).toContain('不在您的辖区内');
    await screenshot(collector.page, 'origin-import-done');
    const [download] = await Promise.all([collector.page.waitForEvent('download'), collector.page.click('[data-testid=origin-import-errors]')]);
    expect(download.suggestedFilename()).toMatch(/^导入错误-抱由镇采集表\.xlsx$/);

    // The county: the review queue; the cowpea record is returned with a reason and a deadline.
    const county = await newPage(suite.browser());
    await signIn(county.page, url, 'demo-ledong', summary.password);
    await county.page.goto(`${url}/#/origin/review`);
    await pageReady(county.page, 'origin-review');
    const item = county.page.locator('[data-testid=origin-review-item]', { hasText: '抱由豇豆专业合作社' });
    await item.waitFor();
    const recordId = (await item.getAttribute('data-id'))!;
    await item.locator('[data-testid=origin-return-reason]').fill('经纬度与地块不符，请重新采集');
    await item.locator('[data-testid=origin-return-deadline]').fill('2099-12-31');
    await item.locator('[data-testid=origin-return]').click();
    await county.page.locator('[data-testid=origin-returned-item]', { hasText: '抱由豇豆专业合作社' }).waitFor();
    await screenshot(county.page, 'origin-review-returned');

    // The collector: the record shows the return; the fix is 信息变更 and goes back to pending review.
    await collector.page.goto(`${url}/#/origin/records/${encodeURIComponent(recordId)}`);
    await pageReady(collector.page, 'origin-record');
    expect(await collector.page.locator('[data-testid=origin-return-notice]').textContent()).toContain('经纬度与地块不符');
    await collector.page.fill('[data-testid=of-lat]', '18.7422001');
    await collector.page.fill('[data-testid=of-lon]', '109.1754002');
    await collector.page.click('[data-testid=origin-save]');
    await collector.page.locator('[data-testid=origin-point]', { hasText: '18.7422001' }).waitFor();
    expect(await collector.page.locator('[data-testid=origin-return-notice]').count()).toBe(0);
    await screenshot(collector.page, 'origin-record-fixed');

    // The province: completeness for Hainan and the map with the points (clustered markers).
    const province = await newPage(suite.browser());
    await signIn(province.page, url, 'demo-hainan', summary.password);
    await province.page.goto(`${url}/#/origin`);
    await pageReady(province.page, 'origin');
    await province.page.waitForSelector('[data-testid=origin-count-collected]');
    expect(Number((await province.page.locator('[data-testid=origin-count-collected] strong').textContent())!.replace(/\D/g, ''))).toBeGreaterThanOrEqual(3);
    expect(await province.page.locator('[data-testid=origin-row]').count()).toBeGreaterThanOrEqual(3);
    await screenshot(province.page, 'origin-province-completeness');
    await province.page.click('[data-testid=origin-tab-map]');
    await pageReady(province.page, 'origin-map');
    await province.page.waitForSelector('[data-testid=origin-map] .leaflet-marker-icon');
    expect(await province.page.locator('[data-testid=origin-map-counts]').textContent()).toMatch(/[3-9] 个点位|\d{2,} 个点位/);
    await screenshot(province.page, 'origin-province-map');

    for (const p of [collector, county, province]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  }, 180_000);
});
