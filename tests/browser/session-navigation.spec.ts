import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { bearerToken } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';
import { credentialsOf } from './support/role-pages';

declare const window: { open(url: string, target: string, features: string): unknown };
declare const location: { hash: string };

/*
 * Issue 15: "the sign-in survives a new tab" and "navigation shows only what the role may use".
 * A second tab — typed, or a link opened without an opener, whose sessionStorage starts empty — is signed in
 * as the first; signing out in one signs out the other; another browser profile is not signed in. Then every
 * role's navigation: each entry it shows opens without a single 403 from the API, and the entries of other
 * roles' work are not shown.
 */
describeInChromium('sign-in across tabs and navigation by role (headless Chromium)', () => {
  const suite = browserSuite();

  it('a new tab is signed in as the first; signing out in one signs out both; another browser is not signed in', async () => {
    const { url, summary } = suite.server();
    const { context, page: first } = await newPage(suite.browser());
    await signIn(first, url, 'demo-lab', summary.password);
    const token = await bearerToken(first);

    // A tab opened by hand on an address of the app.
    const typed = await context.newPage();
    await typed.goto(`${url}/#/lab`);
    await pageReady(typed, 'lab');
    expect(await typed.locator('[data-testid=who]').textContent()).toContain('海南省农产品质量安全检测中心');
    expect(await typed.locator('[data-testid=error]').count()).toBe(0);
    expect(await bearerToken(typed)).toBe(token);
    await screenshot(typed, 'session-new-tab');

    // A link opened in a new tab (no opener: sessionStorage is not copied).
    const [linked] = await Promise.all([context.waitForEvent('page'), first.evaluate((href) => window.open(href, '_blank', 'noopener'), `${url}/#/lab/tasks/${encodeURIComponent(summary.quality.taskId)}`)]);
    await pageReady(linked, 'lab');
    await linked.waitForSelector('[data-testid=task-model]');
    expect(await linked.locator('[data-testid=who]').count()).toBe(1);

    // Signing out in one tab signs out the tabs holding the same token.
    await typed.click('.who button.link');
    await typed.waitForSelector('a.sign-in');
    await first.waitForSelector('a.sign-in');
    await linked.waitForSelector('a.sign-in');
    await context.close();

    // Another browser profile shares nothing.
    const other = await newPage(suite.browser());
    await other.page.goto(`${url}/#/lab`);
    await pageReady(other.page, 'lab');
    expect(await other.page.locator('[data-testid=who]').count()).toBe(0);
    expect(await other.page.locator('a.sign-in').count()).toBe(1);
    await other.context.close();
  });

  /** Each role: the entries it must see and the ones it must not (the rest is whatever the policy allows). */
  const ROLES: [who: string | undefined, shown: string[], hidden: string[]][] = [
    [undefined, ['#/', '#/producer'], ['#/supervisor', '#/audit', '#/lab', '#/cases', '#/admin']],
    ['producer', ['#/producer'], ['#/supervisor', '#/audit', '#/lab', '#/cases', '#/admin', '#/statistics', '#/incidents']],
    ['demo-lab', ['#/lab'], ['#/supervisor', '#/audit', '#/cases', '#/admin', '#/producer']],
    ['demo-enforcement', ['#/cases'], ['#/lab', '#/admin', '#/producer']],
    ['demo-auditor', ['#/audit'], ['#/lab', '#/cases', '#/admin', '#/producer', '#/supervisor/reviews']],
    ['demo-baoyou', ['#/origin'], ['#/lab', '#/producer', '#/supervisor/tasks']],
    ['demo-ledong', ['#/supervisor', '#/supervisor/reviews', '#/supervisor/tasks', '#/cases', '#/admin'], ['#/lab', '#/producer']],
    ['demo-hainan', ['#/supervisor', '#/supervisor/warnings', '#/incidents', '#/statistics', '#/admin'], ['#/lab', '#/producer']],
    ['admin', ['#/supervisor', '#/statistics', '#/audit'], ['#/lab', '#/producer']],
  ];

  it.each(ROLES)('navigation of %s: every entry opens without a 403, other roles’ work is not offered', async (who, shown, hidden) => {
    const server = suite.server();
    const username = who === 'producer' ? server.summary.accounts.find((a) => a.role === 'producer')!.username : who;
    const { context, page } = await newPage(suite.browser());
    if (username) {
      const c = credentialsOf(server, username);
      await signIn(page, server.url, c.username, c.password);
    } else await page.goto(`${server.url}/`);
    await page.waitForSelector('.main-nav a');
    const entries = await page.locator('.main-nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(entries).toEqual(expect.arrayContaining(shown));
    for (const h of hidden) expect({ who, entry: h, shown: entries.includes(h) }).toEqual({ who, entry: h, shown: false });

    const refused: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/') && res.status() === 403) refused.push(`${res.request().method()} ${new URL(res.url()).pathname}`);
    });
    for (const href of entries) {
      refused.length = 0;
      await page.click(`.main-nav a[href="${href}"]`);
      // A page may write its own state into the address (`?status=open`): the route is what counts.
      await page.waitForFunction((h) => location.hash === h || location.hash.startsWith(`${h}?`), href);
      await page.waitForSelector('#app-main > [data-state="ready"]');
      await page.waitForLoadState('networkidle');
      expect({ who, href, refused: [...refused], forbidden: await page.locator('[data-testid=error][data-code=FORBIDDEN]').count() }).toEqual({ who, href, refused: [], forbidden: 0 });
    }
    await context.close();
  });
});

