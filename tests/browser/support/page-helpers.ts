import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '..', '.screenshots');

/**
 * How long a page may take to show its data before the test gives up. These tests check what a page shows and
 * how it is laid out, never how fast: a busy 2-core CI machine once took more than 20 s (load-time budgets are
 * bench/web-load-times and docs/web.md). A page that truly hangs still fails, with what it was doing.
 */
const READY_TIMEOUT_MS = 90_000;

/** The last requests each page made that failed or are still open, for the message of a page that never got ready. */
const traffic = new WeakMap<Page, { open: Map<unknown, string>; failed: string[] }>();

function watchTraffic(page: Page): void {
  const seen = { open: new Map<unknown, string>(), failed: [] as string[] };
  traffic.set(page, seen);
  const note = (line: string) => {
    seen.failed.push(line);
    if (seen.failed.length > 10) seen.failed.shift();
  };
  page.on('request', (req) => seen.open.set(req, `${req.method()} ${req.url()}`));
  page.on('requestfinished', (req) => seen.open.delete(req));
  page.on('requestfailed', (req) => {
    seen.open.delete(req);
    note(`${req.method()} ${req.url()} failed: ${req.failure()?.errorText ?? '?'}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) note(`${res.request().method()} ${res.url()} → ${res.status()}`);
  });
}

/** A fresh context (own storage, so sign-ins don't leak between tests) that fails the test on page errors. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 860 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // Every wait of these tests (a locator, a response) gets the same generous limit as a page's readiness.
  context.setDefaultTimeout(READY_TIMEOUT_MS);
  const page = await context.newPage();
  watchTraffic(page);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  return { context, page, errors };
}

/** The app marks each page `data-state="ready"` once its data is on screen. */
export async function pageReady(page: Page, name: string): Promise<void> {
  try {
    await page.waitForSelector(`[data-page="${name}"][data-state="ready"]`, { timeout: READY_TIMEOUT_MS });
  } catch (err) {
    throw new Error(`page "${name}" never got ready: ${await whatThePageIsDoing(page, `not-ready-${name}`)}\n${String(err)}`);
  }
}

/** The address, the pages drawn and their states, the requests still open or failed, and a screenshot. */
async function whatThePageIsDoing(page: Page, shot: string): Promise<string> {
  const drawn = await page
    .evaluate<string>("[...document.querySelectorAll('[data-page]')].map((el) => el.dataset.page + ':' + el.dataset.state).join(', ')")
    .catch((e: unknown) => `(could not read the DOM: ${String(e)})`);
  const seen = traffic.get(page);
  const file = await screenshot(page, shot).catch(() => '(no screenshot)');
  return [`url ${page.url()}`, `pages [${drawn}]`, `open requests [${[...(seen?.open.values() ?? [])].join('; ')}]`, `failed [${(seen?.failed ?? []).join('; ')}]`, `screenshot ${file}`].join(' · ');
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=who]', { timeout: READY_TIMEOUT_MS });
  await landed(page);
}

/**
 * Waits until the page a sign-in lands on (the role's home) has drawn its data. A test that navigates on at
 * once races that page: Playwright's goto is a browser-initiated navigation, and a landing page still loading
 * may rewrite the address with its own filters (the map's `replaceRouteQuery`) before the new fragment
 * commits, so the next reload opened the map again (phone-layouts' inspector case, CI of session 8; the
 * message named the URL `#/supervisor?kind=entity,base`). A user's click changes the fragment synchronously,
 * so the app's own guard is enough for people.
 */
export async function landed(page: Page): Promise<void> {
  await page.waitForSelector('#app-main > [data-page]:not([data-page="login"])[data-state="ready"]', { timeout: READY_TIMEOUT_MS });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
