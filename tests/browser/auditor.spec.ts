import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { waitForHash, waitForText } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

describeInChromium('auditor page (headless Chromium)', () => {
  const suite = browserSuite();

  it("replays a lot's stream as a timeline and shows its state as of an earlier moment, with the integrity check", async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-auditor', summary.password);
    await page.goto(`${url}/#/audit`);
    await pageReady(page, 'audit');
    await page.fill('[data-testid=stream-input]', summary.originTraceCode);
    await page.click('[data-testid=stream-load]');
    await waitForHash(page, 'stream=lot-');
    await pageReady(page, 'audit');

    const events = page.locator('[data-testid=event-timeline] > li');
    const n = await events.count();
    expect(n).toBeGreaterThanOrEqual(3);
    expect(await events.first().getAttribute('data-type')).toBe('LotCreated');
    await page.waitForSelector('[data-testid=stream-verify] .alert.ok');
    expect(await page.locator('[data-testid=stream-verify]').textContent()).toContain('哈希链完整');
    const latest = await stateValue(page, 'shipped');
    expect(latest).not.toBe('{}');
    await screenshot(page, 'auditor-latest');

    // As of the first event: only LotCreated is known — nothing shipped yet, later events greyed out.
    await page.locator('[data-testid=asof-slider]').fill('1');
    await waitForText(page, '[data-testid=asof-label]', /1 \/ \d+ 个事件/);
    expect(await stateValue(page, 'shipped')).toBe('0 kg');
    expect(latest).not.toBe('0 kg');
    expect(await page.locator('[data-testid=event-timeline] > li.future').count()).toBe(n - 1);
    expect(page.url()).toContain('asOf=');
    await screenshot(page, 'auditor-as-of-first-event');

    // The same moment survives a reload (it is in the URL), and "latest" comes back to the present.
    await page.reload();
    await pageReady(page, 'audit');
    await waitForText(page, '[data-testid=asof-label]', /1 \/ \d+ 个事件/);
    await page.click('[data-testid=asof-latest]');
    await waitForText(page, '[data-testid=asof-label]', /全部 \d+ 个事件/);
    expect(await stateValue(page, 'shipped')).toBe(latest);
    expect(await page.locator('[data-testid=event-timeline] > li.future').count()).toBe(0);

    // A moment before the stream began.
    await page.fill('[data-testid=asof-input]', '2020-01-01T00:00');
    await page.dispatchEvent('[data-testid=asof-input]', 'change');
    await waitForText(page, '[data-testid=asof-label]', /0 \/ \d+ 个事件/);

    await page.click('[data-testid=verify-ledger]');
    await page.waitForSelector('[data-testid=ledger-verify] .alert.ok');
    expect(await page.locator('[data-testid=ledger-verify]').textContent()).toContain('整个账本');
    expect(errors).toEqual([]);
    await context.close();
  });
});

async function stateValue(page: import('playwright-core').Page, key: string): Promise<string> {
  await page.waitForSelector(`[data-testid=asof-state] dd[data-key=${key}]`);
  return ((await page.locator(`[data-testid=asof-state] dd[data-key=${key}]`).textContent()) ?? '').trim();
}
