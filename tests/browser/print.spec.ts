import * as fs from 'node:fs';
import * as path from 'node:path';
import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { newPage, pageReady, screenshot, SCREENSHOTS, signIn } from './support/page-helpers';
import { credentialsOf, prepareRolePages } from './support/role-pages';

/*
 * Issue 15, "a print stylesheet for lot, chain and report pages": with print media emulated, the navigation,
 * the forms and the buttons are gone and the page's content is there — the lot with its chain, an incident's
 * chain table (追溯链条数据表), a case, the statistics report. Each is printed to a PDF kept as an artefact.
 */
const PRINTED: [name: string, contentSelectors: string[]][] = [
  ['lot', ['[data-testid=lot-code]', '[data-testid=lot-chain]']],
  ['incident', ['[data-testid=incident-title]', '[data-testid=chain-table]']],
  ['case', ['[data-testid=case-results]', '[data-testid=case-chain]']],
  ['statistics', ['.stat-cards', '.chart']],
];

describeInChromium('print stylesheet (headless Chromium, print media)', () => {
  const suite = browserSuite();

  it('lot, chain, case and report pages print without navigation or controls, with their content', async () => {
    const pages = await prepareRolePages(suite.server());
    for (const [name, content] of PRINTED) {
      const p = pages.find((x) => x.name === name)!;
      const { context, page } = await newPage(suite.browser());
      const c = credentialsOf(suite.server(), p.who!);
      await signIn(page, suite.server().url, c.username, c.password);
      await page.goto(`${suite.server().url}${p.href}`);
      await page.reload();
      await pageReady(page, p.mark);
      await page.waitForLoadState('networkidle');
      // On screen: the navigation and at least one control are there (so the print check below means something).
      expect(await page.locator('.main-nav').isVisible()).toBe(true);
      expect(await page.locator('button:visible').count()).toBeGreaterThan(0);

      await page.emulateMedia({ media: 'print' });
      expect({ name, header: await page.locator('#app-header').isVisible(), nav: await page.locator('.main-nav').isVisible() }).toEqual({ name, header: false, nav: false });
      expect({ name, buttons: await page.locator('button:visible').count(), forms: await page.locator('form:visible').count() }).toEqual({ name, buttons: 0, forms: 0 });
      for (const selector of content) expect({ name, selector, shown: await page.locator(selector).first().isVisible() }).toEqual({ name, selector, shown: true });
      // Tables whose rows continue on the next sheet repeat their headings there.
      for (const display of await page.locator('.table thead').evaluateAll((heads) => heads.map((th) => getComputedStyle(th).display)))
        expect(display).toBe('table-header-group');

      await screenshot(page, `print-${name}`);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const pdf = await page.pdf({ path: path.join(SCREENSHOTS, `print-${name}.pdf`), format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await context.close();
    }
  }, 300_000);
});

declare function getComputedStyle(el: unknown): { display: string };
