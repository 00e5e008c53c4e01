import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { ADMIN_PASSWORD } from './support/demo-server';
import { waitForHash } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/**
 * The statistics dashboards on the demo data: the national overview (cards with YoY/MoM, trend, bar by
 * province, pie by product, pass-rate gauge, flow map), drill-down to a province's counties, a county
 * account seeing only its county (and having last month's report generated and downloading it), an XLSX export
 * from the server, the upload-monitoring and report sections drawn. Screenshots of both dashboards.
 */
const cardValue = async (page: import('playwright-core').Page, key: string) => (await page.locator(`[data-testid=card-${key}] .stat-value`).textContent())!.trim();
const asNumber = (text: string) => Number(text.replace(/[,，\s]/g, ''));

describeInChromium('statistics dashboards (headless Chromium)', () => {
  const suite = browserSuite();

  it('national dashboard: figures from the demo, every chart drawn, a province bar drills down to its counties', async () => {
    const { url } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'admin', ADMIN_PASSWORD);
    await page.click('a[href="#/statistics"]');
    await pageReady(page, 'statistics');
    await page.waitForSelector('[data-stats=drawn]');
    expect(await page.locator('[data-testid=stats-title]').textContent()).toContain('全国');
    expect(asNumber(await cardValue(page, 'lotsCreated'))).toBeGreaterThan(5);
    expect(asNumber(await cardValue(page, 'samples'))).toBeGreaterThan(0);
    // Each chart drew on its canvas; the flow map has lines between provinces.
    for (const id of ['chart-trend', 'chart-regions', 'chart-products', 'chart-pass-rate']) expect(await page.locator(`[data-testid=${id}] canvas`).count()).toBe(1);
    await page.waitForSelector('[data-testid=flow-map] path.flow-line', { state: 'attached' });
    expect(await page.locator('[data-testid=flow-table] tbody tr').count()).toBeGreaterThan(0);
    // 运行监测评价: the country's grade and one row per province with trade, each with a score and a grade.
    await page.waitForSelector('[data-evaluation=drawn]');
    expect(await page.locator('[data-testid=evaluation-row]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid=evaluation-own]').getAttribute('data-grade')).toMatch(/^(excellent|good|pass|fail)$/);
    // Sixteen months of demo history: last year's same months have trade, so 同比 of the lots is a number.
    expect(await page.locator('[data-testid=card-lotsCreated] [data-testid=change-yoy]').textContent()).toMatch(/[+-]?\d+\.\d%/);
    // 数据传输监控 and 统计报表 sections are drawn (the demo's history was not uploaded through the batch route: its totals may be zero).
    await page.waitForSelector('[data-uploads=drawn]');
    expect(await page.locator('[data-testid=uploads-totals] .stat-now-item').count()).toBe(5);
    await page.waitForSelector('[data-reports=drawn]');
    // 产地信息: the demo's origin records (collected, approved …) from the origin read model.
    await page.waitForSelector('[data-origin=drawn]');
    expect(await page.locator('[data-testid=origin-stats] .stat-now-item').count()).toBe(7);
    await screenshot(page, 'statistics-national');

    // The server's XLSX of the by-region chart.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-chart-regions]')]);
    expect(download.suggestedFilename()).toMatch(/^statistics-breakdown-national-.*\.xlsx$/);

    // Drill-down: the province's own dashboard lists its counties.
    await page.goto(`${url}/#/statistics?region=46`);
    await waitForHash(page, 'region=46');
    await pageReady(page, 'statistics');
    await page.waitForSelector('[data-stats=drawn]');
    expect(await page.locator('[data-testid=stats-title]').textContent()).toContain('海南');
    expect(await page.locator('[data-testid=stats-breadcrumb] a').count()).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('county dashboard: a county account sees its county, in Chinese and in English', async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-ledong', summary.password);
    await page.goto(`${url}/#/statistics`);
    await pageReady(page, 'statistics');
    await page.waitForSelector('[data-stats=drawn]');
    expect(await page.locator('[data-testid=stats-title]').textContent()).toContain('乐东');
    expect(asNumber(await cardValue(page, 'lotsCreated'))).toBeGreaterThan(0);
    // 统计报表: the county has last month's 信息调度 generated now; it is listed and its XLSX downloads.
    await page.waitForSelector('[data-reports=drawn]');
    const generated = page.waitForResponse((r) => r.url().endsWith('/api/v1/statistics/reports/generate'), { timeout: 120_000 });
    await page.click('[data-testid=generate-monthly]');
    // Rendering the PDF with the CJK font takes seconds on a busy machine: wait for the answer, then the row.
    expect((await generated).status()).toBe(200);
    await page.waitForSelector('[data-testid=report-row]', { timeout: 30_000 });
    expect(await page.locator('[data-testid=report-row] td').nth(2).textContent()).toContain('乐东');
    const [report] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=report-row] [data-testid=download-xlsx]').first().click()]);
    expect(report.suggestedFilename()).toMatch(/^monthly-\d{4}-\d{2}-469027\.xlsx$/);
    await screenshot(page, 'statistics-county-ledong');
    await page.click('[data-testid=lang-switch]');
    await page.waitForSelector('[data-stats=drawn]');
    expect(await page.locator('[data-testid=card-lotsCreated] .stat-label').textContent()).toBe('Lots');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
