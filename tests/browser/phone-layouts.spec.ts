import type { Page } from 'playwright-core';
import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';
import { apiToken } from './support/role-pages';

declare const document: { documentElement: { scrollWidth: number; clientWidth: number }; body: { scrollWidth: number } };

/*
 * Issue 15, "phone layouts for the producer, lab, inspector and consumer pages": at 375 × 812 (an iPhone's CSS
 * size) no page scrolls sideways, and each page's main actions are on screen horizontally, visible and big
 * enough to tap (≥ 24 px, WCAG 2.5.8) without zooming. Screenshots of every page are kept as artefacts.
 */
const PHONE = { width: 375, height: 812 };
const INSPECTOR = { username: 'phone-inspector', password: 'Inspector-Phone-2026!' };

async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: document.documentElement.clientWidth }));
  expect({ name, scroll: Math.max(widths.doc, widths.body) }).toEqual({ name, scroll: widths.view });
}

/** Each selector: present, visible, inside the phone's width, at least 24 px high. */
async function expectReachable(page: Page, name: string, selectors: string[]): Promise<void> {
  for (const selector of selectors) {
    const target = page.locator(selector).first();
    await target.waitFor({ state: 'visible' });
    await target.scrollIntoViewIfNeeded();
    const box = (await target.boundingBox())!;
    expect({ name, selector, left: box.x >= 0, right: box.x + box.width <= PHONE.width + 0.5, tall: box.height >= 24 }).toEqual({ name, selector, left: true, right: true, tall: true });
  }
}

describeInChromium('phone layouts (375 × 812, headless Chromium)', () => {
  const suite = browserSuite();

  async function phoneTab(username?: string, password?: string): Promise<{ page: Page; close: () => Promise<void> }> {
    const { context, page } = await newPage(suite.browser(), PHONE);
    if (username) await signIn(page, suite.server().url, username, password ?? suite.server().summary.password);
    return { page, close: () => context.close() };
  }

  async function visit(page: Page, href: string, mark: string, name: string, actions: string[]): Promise<void> {
    await page.goto(`${suite.server().url}${href}`);
    if (href.includes('#')) await page.reload();
    await pageReady(page, mark);
    await page.waitForLoadState('networkidle');
    await expectNoSidewaysScroll(page, name);
    await expectReachable(page, name, actions);
    await screenshot(page, `phone-${name}`);
  }

  it('consumer: the label page, a failed test and a forged code', async () => {
    const { summary } = suite.server();
    const { page, close } = await phoneTab();
    await visit(page, `/t/${summary.showcaseTraceCode}`, 'consumer', 'consumer', ['[data-testid=product]', '[data-testid=custody-timeline]', '.lookup-row input', '.lookup-row button']);
    await visit(page, `/t/${summary.quality.failedTraceCode}`, 'consumer', 'consumer-failed', ['[data-testid=product]', '[data-testid=verdict]']);
    const real = summary.showcaseTraceCode;
    await visit(page, `/t/${real.slice(0, 24)}${real.endsWith('0') ? '1' : '0'}`, 'consumer', 'consumer-forged', ['[data-testid=lookup-forged]', '.lookup-row button']);
    await close();
  });

  it('producer: every tab, its form and its buttons', async () => {
    const producer = suite.server().summary.accounts.find((a) => a.role === 'producer')!.username;
    const { page, close } = await phoneTab(producer);
    // All six tabs are in sight (they wrap; none is hidden behind a sideways scroll).
    await visit(page, '/#/producer', 'producer', 'producer-lots', ['[data-testid=tab-lots]', '[data-testid=tab-recall]', '[data-testid=producer-lots] table a', '[data-testid=producer-lots] button']);
    await visit(page, '/#/producer?tab=create', 'producer', 'producer-create', ['[data-testid=producer-create] input', '[data-testid=producer-create] button[type=submit]']);
    await visit(page, '/#/producer?tab=ship', 'producer', 'producer-ship', ['[data-testid=producer-ship] select, [data-testid=producer-ship] input', '[data-testid=producer-ship] button[type=submit]']);
    await visit(page, '/#/producer?tab=inbox', 'producer', 'producer-inbox', ['[data-testid=tab-inbox]']);
    await visit(page, '/#/producer?tab=market', 'producer', 'producer-market', ['[data-testid=producer-market] button[type=submit]']);
    await visit(page, '/#/producer?tab=recall', 'producer', 'producer-recall', ['[data-testid=tab-recall]']);
    await close();
  });

  it('lab: the lab page, a task with its sampling form, a sample with its result form', async () => {
    const { summary, t } = suite.server();
    const { page, close } = await phoneTab('demo-lab');
    await visit(page, '/#/lab', 'lab', 'lab', ['[data-testid=task-row] a']);
    await visit(page, `/#/lab/tasks/${encodeURIComponent(summary.quality.taskId)}`, 'lab', 'lab-task', ['[data-testid=task-model]', '[data-testid=sample-scan]', '[data-testid=sample-submit]']);
    const [waiting] = await t.platform.readModels.find('samples', { labOrgId: 'org-demo-lab', status: 'taken' }, { limit: 1 });
    const [tested] = await t.platform.readModels.find('samples', { labOrgId: 'org-demo-lab' }, { limit: 1 });
    const sample = waiting ?? tested!;
    const actions = waiting ? ['[data-testid=result-form] input', '[data-testid=result-submit]'] : ['[data-testid=sample-verdict]'];
    await visit(page, `/#/lab/samples/${encodeURIComponent(String(sample._id))}`, 'lab', 'lab-sample', actions);
    await close();
  });

  it('inspector: my inspection tasks', async () => {
    const { url } = suite.server();
    // 乐东 creates an inspector and publishes a plan to them; the inspector sets their own password (forced).
    const county = await apiToken(suite.server(), 'demo-ledong');
    const call = async (path: string, token: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as Record<string, unknown>;
    };
    const temporary = 'Temporary-Phone-2026!';
    const { accountId } = await call('/api/v1/accounts', county, { username: INSPECTOR.username, password: temporary, displayName: '乐东县巡查员（手机）', role: 'inspector', regionCode: '469027', orgName: '乐东县农业农村局' });
    const first = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: INSPECTOR.username, password: temporary }) });
    const firstToken = ((await first.json()) as { token: string }).token;
    await call('/api/v1/auth/password', firstToken, { currentPassword: temporary, newPassword: INSPECTOR.password });
    await call('/api/v1/inspections', county, { title: '豇豆基地农药使用巡查', regionCode: '469027', inspectors: [{ userId: accountId, name: '乐东县巡查员（手机）' }], dueDate: '2026-12-31', plan: '逐户检查农药使用记录与安全间隔期' });

    const { page, close } = await phoneTab(INSPECTOR.username, INSPECTOR.password);
    await visit(page, '/#/supervisor/inspections', 'inspections', 'inspector-tasks', ['[data-testid=inspection-row]', '.main-nav a.active']);
    expect(await page.locator('[data-testid=inspection-row]').first().textContent()).toContain('豇豆基地农药使用巡查');
    await close();
  });
});
