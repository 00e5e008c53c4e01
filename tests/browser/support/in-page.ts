import type { Page } from 'playwright-core';

/*
 * Code that runs inside the page. The root tsconfig has no DOM library (the server has no DOM), so the few
 * browser globals used here are declared for this module only.
 */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const location: { hash: string };
declare const sessionStorage: { getItem(key: string): string | null };
declare const performance: {
  getEntriesByType(type: string): { domContentLoadedEventEnd: number; loadEventEnd: number }[];
  getEntriesByName(name: string): { startTime: number }[];
};

/** Waits until the element's text matches. */
export async function waitForText(page: Page, selector: string, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    ([sel, source, flags]) => new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source, pattern.flags] as const,
  );
}

/** Waits until the hash route contains `fragment` (the app navigates by hash without reloading). */
export async function waitForHash(page: Page, fragment: string): Promise<void> {
  await page.waitForFunction((f) => location.hash.includes(f), fragment);
}

/**
 * Waits until the hash route contains `fragment` or `selector` is on the page, whichever comes first. A function
 * predicate, never a string: Playwright polls a string with the page's own eval, which the app's CSP refuses.
 */
export async function waitForHashOrElement(page: Page, fragment: string, selector: string): Promise<void> {
  await page.waitForFunction(([f, sel]) => location.hash.includes(f) || document.querySelector(sel) !== null, [fragment, selector] as const);
}

export async function bearerToken(page: Page): Promise<string> {
  const stored = await page.evaluate(() => sessionStorage.getItem('suyuan.session'));
  return (JSON.parse(stored!) as { token: string }).token;
}

export interface Timing {
  domContentLoaded: number;
  load: number;
  /** When the page had its data on screen (the app's `suyuan:ready:*` mark), ms from navigation start. */
  ready: number;
}

export async function timingOf(page: Page, mark: string): Promise<Timing> {
  return page.evaluate((m) => {
    const nav = performance.getEntriesByType('navigation')[0]!;
    const ready = performance.getEntriesByName(`suyuan:ready:${m}`)[0];
    return { domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, ready: ready ? ready.startTime : Number.NaN };
  }, mark);
}
