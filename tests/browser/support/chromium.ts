import * as fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's chromium (apt-get install chromium; .ci/run installs it). CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = () => fs.existsSync(CHROMIUM_PATH);

/**
 * Flags that keep Chromium quiet on a closed network (no background fetches, sync, component updates, QUIC)
 * and let it run as root in a container. Playwright gives each launch a fresh, empty profile directory.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * `describe` for browser suites: without Chromium the suite is not run, and says so loudly — as a single test
 * that checks the reason (Chromium really is absent), so the skip cannot hide a broken suite on a machine that
 * has it.
 */
export function describeInChromium(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, () => {
      // A browser scenario is many awaited steps (sign in, forms, navigations), each waiting on the page's own
      // signal, never on a clock. jest's 60 s per test is a budget for the whole scenario, not a measurement:
      // on a busy 2-core CI machine (load 20 in a clean-clone run beside the benchmarks) the longest one,
      // the producer's lot → label → ship → confirm story, took over 60 s. Page-load times are measured by
      // `npm run bench:web`, not here.
      jest.setTimeout(180_000);
      body();
    });
    return;
  }
  describe(name, () => {
    it(`SKIPPED: ${CHROMIUM_PATH} not found — install Debian chromium (apt-get install -y chromium) to run the browser tests`, () => {
      process.stderr.write(
        `\n${'!'.repeat(100)}\n!! BROWSER TESTS SKIPPED (${name}): ${CHROMIUM_PATH} is absent. apt-get install -y chromium fonts-noto-cjk\n${'!'.repeat(100)}\n\n`,
      );
      expect(chromiumAvailable()).toBe(false);
    });
  });
}
