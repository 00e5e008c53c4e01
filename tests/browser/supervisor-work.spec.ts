import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { waitForText } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/**
 * The supervisor's work pages (issue 15): the registration review queue with its working-day deadline (the
 * demo's pending 东方 applicant), a rejection refused without a reason, an approval issuing the e-ID; a
 * county administration reaches monitoring tasks (it got 403 before task.manage was granted from the
 * county up), and publishes an inspection plan that its inspectors' task list shows.
 */
describeInChromium('supervision work pages (headless Chromium)', () => {
  const suite = browserSuite();

  it('reviews a pending registration against its working-day deadline: reason required to reject, approval issues the e-ID', async () => {
    const { url, summary, t } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-hainan', summary.password);
    await page.click('nav.main-nav a[href="#/supervisor/reviews"]');
    await pageReady(page, 'reviews');
    const row = page.locator('[data-testid=review-row]', { hasText: '东方市新龙镇瓜菜种植专业合作社' });
    await row.waitFor();
    // Applied today: the 5 working days are (nearly) all left; the deadline badge says how many.
    expect(await row.textContent()).toMatch(/还剩 [1-5] 个工作日|今天到期/);
    await screenshot(page, 'supervisor-review-queue');

    await row.locator('[data-testid=review-reject]').click();
    await waitForText(page, '[data-testid=review-queue]', /驳回须填写理由/);
    await row.locator('[data-testid=review-approve]').click();
    await waitForText(page, '[data-testid=review-queue]', /已通过，主体码 [0-9A-Z]{10,}/);
    const entityId = await row.getAttribute('data-entity');
    const doc = await t.platform.readModels.get('entities', entityId!);
    expect(doc?.status).toBe('approved');
    expect(await row.textContent()).toContain(String(doc?.eid));
    await screenshot(page, 'supervisor-review-approved');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a county administration opens monitoring tasks (no 403) and publishes an inspection plan', async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-ledong', summary.password);
    await page.click('nav.main-nav a[href="#/supervisor/tasks"]');
    await pageReady(page, 'tasks');
    await waitForText(page, '[data-testid=tasks]', /共 \d+ 项监测任务/);
    expect(await page.locator('[data-testid=tasks] [data-testid=error]').count()).toBe(0);
    await screenshot(page, 'supervisor-tasks-county');

    await page.click('nav.main-nav a[href="#/supervisor/inspections"]');
    await pageReady(page, 'inspections');
    await page.waitForSelector('[data-testid=inspection-form]');
    await screenshot(page, 'supervisor-inspections');

    await page.click('nav.main-nav a[href="#/supervisor/faults"]');
    await pageReady(page, 'faults');
    await waitForText(page, '[data-testid=faults]', /共 \d+ 起故障/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
