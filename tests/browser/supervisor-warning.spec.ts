import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/*
 * Issue 15's supervisor flow, end to end on one warning: the Hainan provincial administration (demo-hainan)
 * opens its warnings, 受理 the 文昌 failed-result warning, then 关闭 the same warning with a reason (not sent
 * without one) — the read model holds who closed it, why and how; the row keeps the warning, closed, with no
 * actions left. (incidents.spec goes on from a warning to an incident.)
 */
describeInChromium('supervisor: warning → 受理 → 关闭 (headless Chromium)', () => {
  const suite = browserSuite();

  it('acknowledges a warning, then closes the same warning with a reason', async () => {
    const { url, summary, t } = suite.server();
    const code = summary.quality.failedTraceCode;
    const [warning] = await t.platform.readModels.find('risk_warnings', { traceCode: code }, { limit: 1 });
    expect(warning?.state).toBe('raised');
    const id = String(warning!._id);

    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-hainan', summary.password);
    await page.click('.main-nav a[href="#/supervisor/warnings"]');
    await pageReady(page, 'warnings');
    const row = page.locator('[data-testid=warning-row]', { has: page.locator(`a[href="#/lots/${code}"]`) });
    const status = () => row.locator('td').nth(5).textContent();
    expect(await status()).toBe('未处理');
    await screenshot(page, 'supervisor-warning-raised');

    // 受理
    await row.locator('[data-testid=warning-acknowledge]').click();
    await row.locator('td', { hasText: '已确认' }).waitFor();
    expect(await row.locator('[data-testid=warning-acknowledge]').count()).toBe(0);
    expect((await t.platform.readModels.get('risk_warnings', id))?.state).toBe('acknowledged');
    await screenshot(page, 'supervisor-warning-acknowledged');

    // 关闭: without a reason nothing is sent — the reason field takes the focus; with one, the warning is closed.
    await row.locator('[data-testid=warning-close]').click();
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') === 'warning-close-reason');
    expect((await t.platform.readModels.get('risk_warnings', id))?.state).toBe('acknowledged');
    await row.locator('[data-testid=warning-close-reason]').fill('复检合格，已责令整改并解除暂停销售');
    await row.locator('[data-testid=warning-close]').click();
    await row.locator('td', { hasText: '已关闭' }).waitFor();
    const closed = await t.platform.readModels.get('risk_warnings', id);
    expect(closed).toMatchObject({ state: 'closed', closeReason: '复检合格，已责令整改并解除暂停销售' });
    expect(await row.locator('[data-testid=warning-close]').count()).toBe(0);
    await screenshot(page, 'supervisor-warning-closed');
    expect(errors).toEqual([]);
    await context.close();
  });
});
