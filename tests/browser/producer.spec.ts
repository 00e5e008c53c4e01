import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { creditCodeCheckChar } from '../../domain/registration';
import { findCjkFont } from '../../infrastructure/http/labels/cjk-font';
import { bearerToken } from './support/in-page';
import { newPage, pageReady, SCREENSHOTS, screenshot, signIn } from './support/page-helpers';

const LEDONG = '乐东黎族自治县佛罗镇豇豆种植专业合作社';
const HAIKOU = '海口南北水果蔬菜批发市场经营有限公司';

describeInChromium('producer pages (headless Chromium)', () => {
  const suite = browserSuite();
  const account = (name: string) => suite.server().summary.accounts.find((a) => a.name === name)!.username;

  it('creates a lot and prints its label, ships it by e-ID; the receiver confirms and gets its own trace code', async () => {
    const { url, summary, t } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());

    // The cooperative in Ledong creates a lot …
    await signIn(page, url, account(LEDONG), summary.password);
    expect(new URL(page.url()).hash).toBe('#/producer');
    await pageReady(page, 'producer');
    await page.click('[data-testid=tab-create]');
    await page.waitForSelector('[data-testid=create-lot-submit]');
    await page.fill('[data-testid=lot-product]', '豇豆');
    await page.fill('[data-testid=lot-amount]', '800');
    await page.click('[data-testid=create-lot-submit]');
    await page.waitForSelector('[data-testid=created-code]');
    const lotCode = ((await page.locator('[data-testid=created-code]').textContent()) ?? '').replace(/-/g, '');
    expect(lotCode).toMatch(/^469027\d{6}[0-9A-Z]{13}$/);
    const lot = await t.platform.readModels.get('lots', lotCode);
    expect(lot).toMatchObject({ product: '豇豆', quantity: { amount: 800, unit: 'kg' } });

    // … prints its label (a server-rendered PDF with the QR of /t/{code}) …
    const label = await pdfFrom(page, '[data-testid=print-label]', `/api/v1/lots/${lotCode}/label.pdf`);
    await screenshot(page, 'producer-created-lot');

    // … and ships 300 kg to the Haikou wholesale market by its e-ID.
    const haikouEid = account(HAIKOU);
    await page.goto(`${url}/#/producer?tab=ship&lot=${lotCode}`);
    await pageReady(page, 'producer');
    expect(await page.locator('[data-testid=ship-lot]').inputValue()).toBe(lotCode);
    await page.fill('[data-testid=ship-amount]', '300');
    await page.fill('[data-testid=ship-eid]', haikouEid.toLowerCase());
    await page.click('[data-testid=ship-submit]');
    await page.waitForSelector('[data-testid=transfer-id]');
    const transferId = ((await page.locator('[data-testid=transfer-id]').textContent()) ?? '').split(' ').pop()!;
    expect((await t.platform.readModels.get('lots', lotCode))?.reserved).toBe(300);
    await screenshot(page, 'producer-shipped');

    // The receiver signs in, finds it waiting and confirms.
    await page.click('text=退出');
    await signIn(page, url, haikouEid, summary.password);
    await page.goto(`${url}/#/producer?tab=inbox`);
    await pageReady(page, 'producer');
    const incoming = page.locator(`[data-transfer="${transferId}"]`);
    await incoming.waitFor();
    expect(await incoming.textContent()).toContain('300');
    await screenshot(page, 'producer-inbox');
    await incoming.locator('[data-testid=confirm-transfer]').click();
    await page.waitForSelector('[data-testid=child-code]');
    const childCode = ((await page.locator('[data-testid=child-code]').textContent()) ?? '').replace(/-/g, '');
    await screenshot(page, 'producer-confirmed');

    const child = await t.platform.readModels.get('lots', childCode);
    expect(child).toMatchObject({ parentTraceCode: lotCode, quantity: { amount: 300, unit: 'kg' } });
    expect((child?.holder as { name: string }).name).toBe(HAIKOU);
    expect(await t.platform.readModels.get('transfers', transferId)).toMatchObject({ status: 'confirmed', childTraceCode: childCode });

    // The new lot's public page shows the two steps.
    await page.goto(`${url}/t/${childCode}`);
    await pageReady(page, 'consumer');
    const steps = await page.locator('[data-testid=custody-timeline] > li').allTextContents();
    expect(steps).toHaveLength(2);
    expect(steps[0]).toContain(LEDONG);
    expect(steps[1]).toContain(HAIKOU);

    // A market-entry certificate for part of it, printed as a PDF.
    await page.goto(`${url}/#/producer?tab=market&lot=${childCode}`);
    await pageReady(page, 'producer');
    await page.fill('input[name=marketName]', '海口美兰农贸市场');
    await page.selectOption('select[name=marketKind]', 'retail');
    await page.selectOption('[data-testid=region-province]', '46');
    await page.waitForSelector('[data-testid=region-city] option[value="4601"]', { state: 'attached' });
    await page.selectOption('[data-testid=region-city]', '4601');
    await page.waitForSelector('[data-testid=region-county] option[value="460108"]', { state: 'attached' });
    await page.selectOption('[data-testid=region-county]', '460108');
    await page.fill('input[name=amount]', '100');
    await page.click('[data-testid=market-submit]');
    await page.waitForSelector('[data-testid=certificate-pdf]');
    const certificate = await pdfFrom(page, '[data-testid=certificate-pdf]', `/api/v1/lots/${childCode}/certificates/`);
    await screenshot(page, 'producer-market-entry');
    if (label && certificate) expect(label.equals(certificate)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('takes a registration application with a base placed on the map', async () => {
    const { url, t } = suite.server();
    const { context, page, errors } = await newPage(suite.browser(), { width: 390, height: 844 });
    await page.goto(`${url}/#/producer/register`);
    await pageReady(page, 'register');
    await page.fill('[data-testid=reg-name]', '陵水黎族自治县英州镇圣女果家庭农场');
    await page.selectOption('select[name=entityType]', 'familyFarm');
    await page.selectOption('[data-testid=region-province]', '46');
    await page.waitForSelector('[data-testid=region-city] option[value="4690"]', { state: 'attached' });
    await page.selectOption('[data-testid=region-city]', '4690');
    await page.waitForSelector('[data-testid=region-county] option[value="469028"]', { state: 'attached' });
    await page.selectOption('[data-testid=region-county]', '469028');
    await page.fill('input[name=address]', '海南省陵水黎族自治县英州镇');
    await page.fill('input[name=legalRepresentative]', '黎明');
    await page.fill('input[name=contactPhone]', '13907600099');
    await page.fill('input[name=creditCode]', `92469028MA5T9K3L0${creditCodeCheckChar('92469028MA5T9K3L0')}`);
    await page.fill('input[name=products]', '圣女果');
    await page.fill('input[name=baseName]', '英州圣女果大棚');
    await page.fill('input[name=baseAddress]', '英州镇清山村');
    // Clicking the map fills the base's coordinates (6 decimals).
    await page.waitForSelector('[data-testid=register-map] .leaflet-overlay-pane path', { state: 'attached' });
    await page.click('[data-testid=register-map]', { position: { x: 180, y: 120 } });
    expect(await page.inputValue('input[name=lat]')).toMatch(/^-?\d+\.\d{6}$/);
    await page.fill('input[name=lat]', '18.432100');
    await page.fill('input[name=lon]', '109.987600');
    await page.fill('input[name=baseProducts]', '圣女果');
    await page.click('[data-testid=register-submit]');
    await page.waitForSelector('[data-testid=application-id]');
    const id = (await page.locator('[data-testid=application-id]').textContent())!;
    expect(await t.platform.readModels.get('entities', id)).toMatchObject({ status: 'pending', regionCode: '469028', bases: [{ lat: 18.4321, lon: 109.9876 }] });
    await screenshot(page, 'producer-registration');
    expect(errors).toEqual([]);
    await context.close();
  });
});

/**
 * Clicks a print button, sees the PDF response, and fetches the same URL with the page's credentials to read
 * the bytes (Playwright does not expose the body of a response the page read as a blob). Where no CJK font is
 * installed the API answers 503 (it cannot print Chinese); that is said loudly, not passed over.
 */
async function pdfFrom(page: Page, button: string, pathPrefix: string): Promise<Buffer | null> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => new URL(r.url()).pathname.startsWith(pathPrefix) && r.request().method() === 'GET'),
    page.click(button),
  ]);
  if (!findCjkFont()) {
    process.stderr.write(`\n!!! PDF CHECK SKIPPED: no CJK font installed (apt-get install fonts-noto-cjk); the API answered ${response.status()}\n\n`);
    expect(response.status()).toBe(503);
    return null;
  }
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/pdf');
  const token = await bearerToken(page);
  const res = await fetch(response.url(), { headers: { Authorization: `Bearer ${token}` } });
  const pdf = Buffer.from(await res.arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // The Chinese text is set in an embedded subset of the CJK font, not left to the reader's fonts.
  expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+(NotoSansCJK|WenQuanYi)/);
  savePdfPreview(pdf, new URL(response.url()).pathname.replace(/^\/api\/v1\/lots\//, '').replace(/\.pdf$/, '').replace(/\//g, '-'));
  return pdf;
}

/** For the human reviewing the run: the PDF as a PNG next to the screenshots, where poppler's pdftoppm exists. */
function savePdfPreview(pdf: Buffer, name: string): void {
  if (!fs.existsSync('/usr/bin/pdftoppm')) return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `pdf-${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync('/usr/bin/pdftoppm', ['-r', '110', '-png', '-singlefile', file, file.replace(/\.pdf$/, '')]);
}
