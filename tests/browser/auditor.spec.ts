import { sealCheckpoints } from '../../application/audit/checkpoints';
import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { waitForHash, waitForHashOrElement, waitForText } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

describeInChromium('auditor page (headless Chromium)', () => {
  const suite = browserSuite();

  it("replays a lot's stream as a timeline and shows its state as of an earlier moment, with the integrity check", async () => {
    const { url, summary, t } = suite.server();
    // The test server seals no tree head on a timer (CHECKPOINT_INTERVAL_MS=0): seal one, as the periodic job would.
    const [sealed] = (await sealCheckpoints(t.platform.ledger, t.platform.signer, () => new Date())) as { treeSize: number; rootHash: string }[];
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-auditor', summary.password);
    await page.goto(`${url}/#/audit`);
    await pageReady(page, 'audit');
    // Looked up by the trace code as printed on the label (grouped with hyphens): no stream id needed.
    const grouped = summary.originTraceCode.replace(/^(.{6})(.{6})(.{5})(.{4})(.{4})$/, '$1-$2-$3-$4-$5');
    await page.fill('[data-testid=stream-input]', grouped);
    await page.click('[data-testid=stream-load]');
    await waitForHash(page, 'stream=lot-');
    await pageReady(page, 'audit');

    const events = page.locator('[data-testid=event-timeline] > li');
    const n = await events.count();
    expect(n).toBeGreaterThanOrEqual(3);
    expect(await events.first().getAttribute('data-type')).toBe('LotCreated');
    await page.waitForSelector('[data-testid=stream-verify] .alert.ok');
    expect(await page.locator('[data-testid=stream-verify]').textContent()).toContain('哈希链完整');
    // The inclusion proof of the lot's newest sealed event, recomputed in the browser against the signed tree head.
    await page.waitForSelector('[data-testid=inclusion-verify] [data-result]');
    expect(await page.locator('[data-testid=inclusion-verify] [data-result]').getAttribute('data-result')).toBe('verified');
    expect(await page.locator('[data-testid=inclusion-verify]').textContent()).toContain('包含证明: 已验证');
    expect(await page.locator('[data-testid=inclusion-verify]').textContent()).toContain('Ed25519 签名有效');
    expect(sealed).toBeDefined();
    expect(((await page.locator('[data-testid=inclusion-root]').textContent()) ?? '').trim()).toBe(sealed!.rootHash);
    expect(((await page.locator('[data-testid=inclusion-tree-size]').textContent()) ?? '').replace(/,/g, '').trim()).toBe(String(sealed!.treeSize));
    const latest = await stateValue(page, 'shipped');
    expect(latest).toMatch(/^[\d,.]+ 千克$/);
    // A readable state: Chinese labels, no JSON, times formatted, the actor by name.
    const stateText = (await page.locator('[data-testid=asof-state]').textContent()) ?? '';
    expect(stateText).toContain('追溯码');
    expect(stateText).toContain('生产日期');
    expect(stateText).not.toMatch(/[{}"]|\d{4}-\d{2}-\d{2}T/);
    const holder = await stateValue(page, 'entityName');
    await waitForText(page, '[data-testid=event-timeline] > li:first-child [data-testid=event-actor]', new RegExp(holder));
    await screenshot(page, 'auditor-latest');

    // As of the first event: only LotCreated is known — nothing shipped yet, later events greyed out.
    await page.locator('[data-testid=asof-slider]').fill('1');
    await waitForText(page, '[data-testid=asof-label]', /1 \/ \d+ 个事件/);
    expect(await stateValue(page, 'shipped')).toBe('0 千克');
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

    // The diff between the first event and the latest: what shipping changed, before → after.
    await page.selectOption('[data-testid=diff-from]', '0');
    await page.selectOption('[data-testid=diff-to]', String(n - 1));
    await page.click('[data-testid=diff-run]');
    await page.waitForSelector('[data-testid=diff-table] tr[data-path=shipped]');
    const shippedRow = page.locator('[data-testid=diff-table] tr[data-path=shipped]');
    expect(((await shippedRow.locator('td.before').textContent()) ?? '').trim()).toBe('0 千克');
    expect(((await shippedRow.locator('td.after').textContent()) ?? '').trim()).toBe(latest);
    expect(await page.locator('[data-testid=diff-table] tr[data-path=traceCode]').count()).toBe(0);
    await screenshot(page, 'auditor-diff');

    await page.click('[data-testid=verify-ledger]');
    await page.waitForSelector('[data-testid=ledger-verify] .alert.ok');
    expect(await page.locator('[data-testid=ledger-verify]').textContent()).toContain('整个账本');
    await screenshot(page, 'auditor-verified');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds streams by account username and by entity name, not only by stream id', async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-auditor', summary.password);
    await page.goto(`${url}/#/audit`);
    await pageReady(page, 'audit');

    // An account by its username: the uniqueness claim names its stream.
    await page.fill('[data-testid=stream-input]', 'demo-ledong');
    await page.click('[data-testid=stream-load]');
    await waitForHash(page, 'stream=account-');
    await pageReady(page, 'audit');
    // The replay has no fold for account streams (the API answers state null): the page says so, and the
    // AccountCreated event's data reads by its labels.
    await page.waitForSelector('[data-testid=asof-no-state]');
    const created = page.locator('[data-testid=event-timeline] > li[data-type=AccountCreated]');
    expect(((await created.locator('[data-testid=event-data] dd[data-key=displayName]').textContent()) ?? '').trim()).toBe('乐东县农业农村局');
    expect(((await created.locator('[data-testid=event-data] dd[data-key=role]').textContent()) ?? '').trim()).toBe('县级管理员');

    // An entity by (part of) its name: the search offers its stream.
    await page.goto(`${url}/#/audit`);
    await pageReady(page, 'audit');
    await page.fill('[data-testid=stream-input]', '新龙镇瓜菜');
    await page.click('[data-testid=stream-load]');
    await waitForHashOrElement(page, 'stream=entity-', '[data-testid=lookup-hit]');
    if (!page.url().includes('stream=entity-')) await page.locator('[data-testid=lookup-hit]', { hasText: '新龙镇' }).first().click();
    await waitForHash(page, 'stream=entity-');
    await pageReady(page, 'audit');
    expect(await stateValue(page, 'name')).toContain('新龙镇瓜菜种植专业合作社');
    await screenshot(page, 'auditor-entity-by-name');
    // Resolving actors asks for `account-{userId}`; the demo loader's fixed reviewer has no account stream (404).
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    await context.close();
  });
});

async function stateValue(page: import('playwright-core').Page, key: string): Promise<string> {
  await page.waitForSelector(`[data-testid=asof-state] dd[data-key=${key}]`);
  return ((await page.locator(`[data-testid=asof-state] dd[data-key=${key}]`).textContent()) ?? '').trim();
}
