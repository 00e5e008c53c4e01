import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { waitForText } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/*
 * Issue 15, the 12316 complaint: a shopper on the consumer page (phone layout) leaves a complaint about the
 * failed 文昌 豇豆 lot and asks to be called back; the Hainan province agency (its supervision, region 46) finds
 * it under 12316 投诉, answers it; the shopper's receipt reads the answer through the public API.
 */
describeInChromium('12316 complaints (headless Chromium)', () => {
  const suite = browserSuite();

  it('consumer page → complaint → supervisor answers → the receipt reads the answer', async () => {
    const { url, summary, t } = suite.server();
    const code = summary.quality.failedTraceCode;
    const shopper = await newPage(suite.browser(), { width: 390, height: 844 });
    await shopper.page.goto(`${url}/t/${code}`);
    await pageReady(shopper.page, 'consumer');
    await shopper.page.click('[data-testid=complaint] summary');
    await shopper.page.fill('[data-testid=complaint-content]', '在超市买的豇豆有刺鼻农药味，请核查。');
    await shopper.page.check('[data-testid=complaint-callback]');
    await shopper.page.fill('input[name=phone]', '13912345678');
    await shopper.page.click('[data-testid=complaint-submit]');
    await waitForText(shopper.page, '[data-testid=complaint-sent]', /查询凭据/);
    const sent = (await shopper.page.locator('[data-testid=complaint-sent]').textContent())!;
    const [, complaintId, receipt] = /留言编号 (\S+)，查询凭据 ([0-9A-Z]+)/.exec(sent)!;
    await screenshot(shopper.page, 'complaint-sent-phone');
    expect(shopper.errors).toEqual([]);
    await shopper.context.close();

    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-hainan', summary.password);
    await page.goto(`${url}/#/supervisor/complaints`);
    await pageReady(page, 'complaints');
    expect(await page.locator('.main-nav a').allTextContents()).toContain('12316 投诉');
    const row = page.locator(`[data-testid=complaint-row][data-complaint="${complaintId}"]`);
    expect(await row.textContent()).toContain('刺鼻农药味');
    // The list shows the number masked; the shopper asked for a call-back.
    expect(await row.textContent()).toContain('139****5678');
    expect(await row.textContent()).not.toContain('13912345678');
    await row.locator('[data-testid=complaint-answer]').fill('已对该批次抽检，结果不合格，已暂停销售并立案查处。');
    await screenshot(page, 'complaints-inbox');
    await row.locator('[data-testid=complaint-answer-submit]').click();
    await waitForText(page, `[data-testid=complaint-row][data-complaint="${complaintId}"]`, /已答复/);
    expect(errors).toEqual([]);
    await context.close();

    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
    const res = await fetch(`${url}/api/v1/complaints/${complaintId}/answer?receipt=${receipt}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'answered', answer: '已对该批次抽检，结果不合格，已暂停销售并立案查处。' });
  });
});
