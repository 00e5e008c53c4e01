import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { waitForHash, waitForText } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/*
 * Issue 15, the lab's main flow on the demo: the provincial lab (demo-lab) signs in and lands on its own page,
 * opens the 豇豆 task and its model, takes a sample by scanning a label (the URL a phone's scanner reads),
 * enters a result over the limit — the verdict is on screen before saving, by the server's own rule — saves
 * it, and sees the sample referred to enforcement (a case); its summary counts the failure and exports.
 */
describeInChromium('lab (headless Chromium)', () => {
  const suite = browserSuite();

  it('sample → result → failed → case', async () => {
    const { url, summary, t } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-lab', summary.password);
    // A lab lands on its lab page, not on the map it may not read; the navigation offers only what it may use.
    await waitForHash(page, '#/lab');
    await pageReady(page, 'lab');
    const nav = await page.locator('.main-nav a').allTextContents();
    expect(nav).toContain('检测任务');
    expect(nav).not.toContain('监管地图');
    expect(nav).not.toContain('执法案件');

    await page.click(`[data-testid=task-row] a[href="#/lab/tasks/${summary.quality.taskId}"]`);
    await pageReady(page, 'lab');
    await page.waitForSelector('[data-testid=task-model]');
    expect(await page.locator('[data-testid=model-analyte]').count()).toBe(4);
    expect(await page.locator('[data-testid=task-model]').textContent()).toContain('≤ 0.01 mg/kg');
    await screenshot(page, 'lab-task');

    // A 豇豆 origin lot in Hainan nobody has sampled yet (the 东方 household's).
    const candidates = await t.platform.readModels.find('lots', { product: '豇豆', depth: 0 }, { limit: 500 });
    const lot = candidates.find((l) => String((l.holder as { regionCode: string }).regionCode).startsWith('46') && (l.verdicts as unknown[]).length === 0 && (l.holds as unknown[]).length === 0);
    expect(lot).toBeDefined();
    const code = String(lot!._id);

    // Something that is not a code is refused in the page, before any request.
    await page.fill('[data-testid=sample-scan]', 'hello');
    await page.press('[data-testid=sample-scan]', 'Tab');
    await waitForText(page, '[data-testid=sample-lot]', /不是追溯码/);
    // The scanner's text: the label's URL. The lot is looked up and shown; the place is filled in from it.
    await page.fill('[data-testid=sample-scan]', `${url}/t/${code}`);
    await page.press('[data-testid=sample-scan]', 'Tab');
    await waitForText(page, '[data-testid=sample-lot-product]', /豇豆/);
    expect(await page.inputValue('[data-testid=sample-place]')).toContain(String((lot!.holder as { name: string }).name));
    await page.fill('[data-testid=sample-sampler]', '王抽样');
    await page.click('[data-testid=sample-submit]');
    await waitForHash(page, '#/lab/samples/');
    const sampleId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    await page.waitForSelector('[data-testid=result-form]');
    const taken = await t.platform.readModels.get('samples', sampleId);
    expect(taken?.traceCode).toBe(code);
    expect(taken?.status).toBe('taken');

    // Result entry: incomplete → no verdict yet; at the limit → 合格; over it → 不合格, all before saving.
    await waitForText(page, '[data-testid=verdict-preview]', /填写每个检测项目/);
    await page.fill('[data-testid=value-clothianidin]', '0.01');
    await page.check('[data-testid=nd-carbofuran]');
    await page.check('[data-testid=nd-omethoate]');
    await page.fill('[data-testid=value-cyromazine]', '0.1');
    await page.waitForSelector('[data-testid=preview-verdict][data-verdict=pass]');
    await page.fill('[data-testid=value-clothianidin]', '0.035');
    await page.waitForSelector('[data-testid=preview-verdict][data-verdict=fail]');
    expect(await page.locator('[data-testid=row-verdict-clothianidin]').textContent()).toBe('不合格');
    expect(await page.locator('[data-testid=row-verdict-cyromazine]').textContent()).toBe('合格');
    await waitForText(page, '[data-testid=verdict-preview]', /移送执法机构/);
    expect((await t.platform.readModels.get('samples', sampleId))?.status).toBe('taken');
    await screenshot(page, 'lab-verdict-preview');

    await page.fill('[data-testid=result-report-no]', 'HNJC-2026-DJ-0103');
    await page.click('[data-testid=result-submit]');
    // Saved: the server's verdict is the one previewed, and the failure opened a case.
    await page.waitForSelector('[data-testid=sample-verdict][data-verdict=fail]');
    await page.waitForSelector('[data-testid=sample-case]');
    const tested = await t.platform.readModels.get('samples', sampleId);
    expect(tested?.verdict).toBe('fail');
    expect(typeof tested?.caseId).toBe('string');
    expect(await page.locator('[data-testid=sample-case]').textContent()).toContain(String(tested!.caseId));
    expect(await page.locator('[data-testid=sample-outcomes]').textContent()).toContain('0.035 mg/kg');
    const opened = await t.platform.readModels.find('cases', { sampleId }, { limit: 1 });
    expect(opened[0]?.caseId).toBe(tested!.caseId);
    await screenshot(page, 'lab-sample-failed');

    // The lab's summary counts it; the table downloads as XLSX from the server (汇总, 检测项, 样品).
    await page.click(`a[href="#/lab/tasks/${summary.quality.taskId}"]`);
    await page.waitForSelector('[data-testid=lab-summary]');
    expect(await page.locator('[data-testid=summary-failed]').textContent()).toBe('2');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=summary-export]')]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(fs.readFileSync((await download.path())!) as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['汇总', '检测项', '样品']);
    const cells = (name: string) => book.getWorksheet(name)!.getSheetValues().flat().map(String).join(' ');
    expect(cells('检测项')).toContain('噻虫胺');
    expect(cells('样品')).toContain(code);
    await screenshot(page, 'lab-summary');

    // 汇总报送: the lab sends its summary to the lead lab; as the lead lab it compiles the task report (closing the task).
    await page.click('[data-testid=lab-report-submit]');
    await page.waitForSelector('[data-testid=lab-report]');
    await page.fill('[data-testid=task-report-conclusion]', '本次豇豆专项监测共检出不合格样品 2 批次，已移交执法。');
    await page.click('[data-testid=task-report-submit]');
    await waitForText(page, '[data-testid=task-reports]', /任务报告已于/);
    const reported = await t.platform.readModels.get('monitoring_tasks', summary.quality.taskId);
    expect(reported?.status).toBe('reported');
    await screenshot(page, 'lab-task-reported');

    expect(errors).toEqual([]);
    await context.close();
  });
});
