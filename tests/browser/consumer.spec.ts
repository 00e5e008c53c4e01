import { formatTraceCode, traceCodeParts } from '../../domain/lots';
import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { newPage, pageReady, screenshot } from './support/page-helpers';

const PHONE = { width: 390, height: 844 };

describeInChromium('consumer page (headless Chromium)', () => {
  const suite = browserSuite();

  it('opens a demo trace code from its label URL: product, origin on the map, chain of custody, masked view', async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser(), PHONE);
    await page.goto(`${url}/t/${summary.showcaseTraceCode}`);
    await pageReady(page, 'consumer');

    await expectText(page, '[data-testid=product]', '豇豆');
    const code = summary.showcaseTraceCode;
    await expectText(page, '[data-testid=trace-code]', [code.slice(0, 6), code.slice(6, 12), code.slice(12, 17), code.slice(17, 21), code.slice(21)].join('-'));
    // The showcase lot went origin → 3 hand-overs: four steps, origin first, this lot last.
    const steps = await page.locator('[data-testid=custody-timeline] > li').allTextContents();
    expect(steps).toHaveLength(4);
    expect(steps[0]).toContain('乐东黎族自治县佛罗镇豇豆种植专业合作社');
    expect(steps[0]).toContain('产地生产');
    expect(steps[3]).toContain('当前批次');
    expect(steps[3]).toContain('北京市');
    await expectText(page, '[data-testid=origin-entity]', '合作社');
    // The map: the bundled province layer (drawn as SVG paths) and the origin base marker — no tile server.
    await page.waitForSelector('[data-testid=origin-map] .pin-origin');
    expect(await page.locator('[data-testid=origin-map] .leaflet-overlay-pane path').count()).toBeGreaterThan(30);
    expect(await page.locator('[data-testid=origin-map] .leaflet-tile').count()).toBe(0);
    // Nothing private on the public page: no phone numbers of the demo entities.
    expect(await page.locator('body').innerText()).not.toMatch(/1380761000|0106727000/);
    await screenshot(page, 'consumer-showcase-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('looks up a typed code (forgiving input) and switches to English', async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser(), PHONE);
    await page.goto(`${url}/`);
    await pageReady(page, 'home');
    const c = summary.originTraceCode.toLowerCase();
    await page.fill('[data-testid=code-input]', `${c.slice(0, 6)} ${c.slice(6, 12)}-${c.slice(12)}`);
    await page.click('[data-testid=lookup-submit]');
    await pageReady(page, 'consumer');
    expect(new URL(page.url()).pathname).toBe(`/t/${summary.originTraceCode}`);
    await expectText(page, '[data-testid=custody-timeline]', '产地生产');
    await page.click('[data-testid=lang-switch]');
    await pageReady(page, 'consumer');
    await expectText(page, '.consumer', 'Chain of custody');
    await expectText(page, '[data-testid=custody-timeline]', 'Produced');
    await screenshot(page, 'consumer-typed-english');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a failed lab test: the lot on hold, the risk warning and the analytes over their limits', async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser(), PHONE);
    await page.goto(`${url}/t/${summary.quality.failedTraceCode}`);
    await pageReady(page, 'consumer');
    await expectText(page, '.product-head', '暂停销售');
    await expectText(page, '.alert.bad', '该批次已暂停销售');
    await expectText(page, '[data-testid=warning]', '二级（橙色）');
    await expectText(page, '[data-testid=warning]', '检测不合格');
    const verdict = (await page.locator('[data-testid=verdict]').first().textContent()) ?? '';
    expect(verdict).toContain('不合格');
    expect(verdict).toContain('噻虫胺');
    expect(verdict).toContain('≤ 0.01 mg/kg');
    await screenshot(page, 'consumer-failed-test-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says clearly when a code is forged (check segment) or unknown', async () => {
    const { url, summary, t } = suite.server();
    const { context, page } = await newPage(suite.browser(), PHONE);
    const real = summary.showcaseTraceCode;
    const forged = real.slice(0, 24) + (real.endsWith('0') ? '1' : '0');
    await page.goto(`${url}/t/${forged}`);
    await pageReady(page, 'consumer');
    await expectText(page, '[data-testid=lookup-forged]', '追溯码校验失败');
    await screenshot(page, 'consumer-forged');

    const parts = traceCodeParts(real)!;
    const unknown = formatTraceCode({ ...parts, sequence: 999 }, t.platform.settings.traceCodeSecret);
    await page.goto(`${url}/t/${unknown}`);
    await pageReady(page, 'consumer');
    await expectText(page, '[data-testid=lookup-unknown]', '未找到该追溯码');
    await screenshot(page, 'consumer-unknown');
    await context.close();
  });
});

async function expectText(page: import('playwright-core').Page, selector: string, text: string): Promise<void> {
  await page.waitForSelector(selector);
  expect(await page.locator(selector).first().textContent()).toContain(text);
}
