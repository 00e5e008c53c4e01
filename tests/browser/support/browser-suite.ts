import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { startDemoServer, type DemoServer } from './demo-server';
import { ensureWebBuilt } from './web-build';

/** One demo server and one Chromium per spec file, started in beforeAll and closed in afterAll. */
export function browserSuite(): { server: () => DemoServer; browser: () => Browser } {
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { server: () => server!, browser: () => browser! };
}
