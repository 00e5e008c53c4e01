import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { waitForHash, waitForText } from './support/in-page';
import { newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/*
 * Issue 15, enforcement's main flow on the demo: the failed 豇豆 sample of 文昌 opened a case and put its lot
 * and the lot it became at 北京新发地 on hold. The provincial enforcement corps (demo-enforcement) lands on its
 * inbox, opens the case (the results, the lots concerned), records an on-site check, an order to correct
 * within a deadline and a penalty, and closes the case with its outcome — which lifts the holds.
 */
describeInChromium('enforcement (headless Chromium)', () => {
  const suite = browserSuite();

  it('case → actions → close', async () => {
    const { url, summary, t } = suite.server();
    const caseId = summary.quality.caseId!;
    expect(summary.accounts.map((a) => a.username)).toContain('demo-enforcement');
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-enforcement', summary.password);
    await waitForHash(page, '#/cases');
    await pageReady(page, 'cases');
    expect(await page.locator('.main-nav a').allTextContents()).toEqual(expect.arrayContaining(['执法案件', '监管地图']));
    expect(await page.locator('.main-nav a').allTextContents()).not.toContain('检测任务');
    const row = page.locator(`[data-testid=case-row][data-case="${caseId}"]`);
    expect(await row.textContent()).toContain('文昌市豇豆产销专业合作社');
    expect(await row.textContent()).toContain('抽检不合格移送');
    await screenshot(page, 'enforcement-inbox');

    await row.locator('a').click();
    await pageReady(page, 'case');
    // The referral's results (the analytes over their limits) and the lots concerned, both on hold.
    await waitForText(page, '[data-testid=case-results]', /噻虫胺/);
    expect(await page.locator('[data-testid=case-results] [data-testid=sample-outcomes]').textContent()).toContain('35 μg/kg');
    await page.waitForSelector('[data-testid=chain-lot]');
    // Hainan's corps sees its own lot; the one it became at 北京新发地 is outside its region: counted, not shown.
    expect(await page.locator('[data-testid=chain-lot]').count()).toBe(1);
    expect(await page.locator('[data-testid=chain-lot]').textContent()).toContain('文昌市豇豆产销专业合作社');
    expect(await page.locator('[data-testid=chain-lot]', { hasText: '暂停销售' }).count()).toBe(1);
    expect(await page.locator('[data-testid=case-chain]').textContent()).toContain('另有 1 个批次在辖区外');
    await screenshot(page, 'enforcement-case');

    // 现场检查记录
    await page.selectOption('[data-testid=action-kind]', 'investigation');
    await page.fill('[data-testid=action-description]', '现场检查潭牛豇豆基地，查见噻虫胺、克百威包装物，已拍照固定证据。');
    await page.click('[data-testid=action-submit]');
    await waitForText(page, '[data-testid=case-actions]', /现场检查记录/);
    // 责令限期整改 with its deadline (a field of the action: the platform marks the order overdue after it).
    await page.selectOption('[data-testid=action-kind]', 'rectification-order');
    await page.fill('[data-testid=action-deadline]', '2026-12-31');
    await page.fill('[data-testid=action-description]', '停止使用禁限用农药，建立农药使用记录。');
    await page.click('[data-testid=action-submit]');
    await waitForText(page, '[data-testid=case-actions]', /责令于 2026-12-31 前整改完毕/);
    // 行政处罚
    await page.selectOption('[data-testid=action-kind]', 'penalty');
    await page.fill('[data-testid=action-description]', '依据《农产品质量安全法》第七十一条，拟处罚款五千元。');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=case-action][data-kind=penalty]');
    const recorded = (await t.platform.readModels.get('cases', caseId))?.actions as { kind: string; description: string }[];
    expect(recorded.map((a) => a.kind)).toEqual(['investigation', 'rectification-order', 'penalty']);
    expect(recorded[1]).toMatchObject({ deadline: '2026-12-31', dueAt: '2026-12-31T16:00:00.000Z' });
    expect(await page.locator('[data-testid=case-order][data-status=pending]').count()).toBe(1);
    await screenshot(page, 'enforcement-actions');

    // 结案 with the outcome: a penalty records its amount; closing lifts the holds of the referral.
    await page.selectOption('[data-testid=close-outcome]', 'penalized');
    await page.fill('[data-testid=close-penalty]', '5000');
    await page.fill('[data-testid=close-summary]', '责令整改完毕，处罚款 5000 元，解除暂停销售。');
    await page.click('[data-testid=close-submit]');
    await page.waitForSelector('[data-testid=case-status][data-status=closed]');
    await waitForText(page, '[data-testid=case-outcome]', /已处罚/);
    expect(await page.locator('[data-testid=case-outcome]').textContent()).toContain('¥5000');
    await waitForText(page, '.alert.ok', /已解除暂停销售/);
    expect(await page.locator('[data-testid=action-form]').count()).toBe(0);
    const closed = await t.platform.readModels.get('cases', caseId);
    expect(closed?.status).toBe('closed');
    expect(closed?.outcome).toBe('penalized');
    expect(closed?.penaltyYuan).toBe(5000);
    const origin = await t.platform.readModels.get('lots', summary.quality.failedTraceCode);
    expect(origin?.holds).toEqual([]);
    await screenshot(page, 'enforcement-closed');

    // The inbox: gone from 办理中, listed under 已结案; English labels.
    await page.goto(`${url}/#/cases?status=closed`);
    await pageReady(page, 'cases');
    await page.waitForSelector(`[data-testid=case-row][data-case="${caseId}"]`);
    await page.click('[data-testid=lang-switch]');
    await waitForText(page, '[data-testid=cases]', /Penalized/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a case itself against an unregistered party found on site → order with a deadline → verified → closed', async () => {
    const { url, summary, t } = suite.server();
    const { context, page, errors } = await newPage(suite.browser());
    await signIn(page, url, 'demo-enforcement', summary.password);
    await waitForHash(page, '#/cases');
    await pageReady(page, 'cases');
    await page.click('[data-testid=case-new]');
    await pageReady(page, 'case-new');
    await page.check('[data-testid=subject-kind-unregistered]');
    expect(await page.locator('[data-testid=subject-registered]').isHidden()).toBe(true);
    await page.fill('[data-testid=party-name]', '潭牛镇无名豇豆收购点');
    // The corps' own province (46): choose the county where the party was found.
    await page.waitForSelector('[data-testid=region-city] option[value="4690"]', { state: 'attached' });
    await page.selectOption('[data-testid=region-city]', '4690');
    await page.waitForSelector('[data-testid=region-county] option[value="469005"]', { state: 'attached' });
    await page.selectOption('[data-testid=region-county]', '469005');
    await page.fill('[data-testid=party-address]', '文昌市潭牛镇大庙村路口');
    await page.fill('[data-testid=party-responsible]', '林某');
    await page.selectOption('[data-testid=case-source]', 'on-site');
    await page.fill('[data-testid=case-product]', '豇豆');
    await page.fill('[data-testid=case-summary]', '现场发现未注册收购点收购豇豆，无进货查验记录。');
    await screenshot(page, 'enforcement-new-case');
    await page.click('[data-testid=case-open-submit]');
    await pageReady(page, 'case');
    await waitForText(page, 'h1', /潭牛镇无名豇豆收购点/);
    const details = await page.locator('.facts').first().textContent();
    expect(details).toContain('未注册');
    expect(details).toContain('文昌市潭牛镇大庙村路口');
    expect(details).toContain('自行立案 · 现场检查发现');
    const caseId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    expect((await t.platform.readModels.get('cases', caseId))?.subject).toMatchObject({ entityId: null, regionCode: '469005', unregistered: { address: '文昌市潭牛镇大庙村路口', responsible: '林某' } });

    await page.selectOption('[data-testid=action-kind]', 'rectification-order');
    await page.fill('[data-testid=action-deadline]', '2027-01-15');
    await page.fill('[data-testid=action-description]', '限期办理主体注册，建立进货查验记录。');
    // The on-site photo as evidence: uploaded, then named in the action (the ledger keeps its SHA-256).
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    await page.setInputFiles('[data-testid=action-files]', { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=case-order][data-status=pending]');
    await waitForText(page, '[data-testid=attachments-case]', /现场照片\.jpg/);
    expect(await page.locator('[data-testid=case-orders]').textContent()).toContain('2027-01-15');
    await page.selectOption('[data-testid=action-kind]', 'rectification-verified');
    await page.fill('[data-testid=action-description]', '复查：已提交注册申请，进货查验记录已建立。');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=case-order][data-status=complied]');
    await screenshot(page, 'enforcement-own-case-orders');

    await page.selectOption('[data-testid=close-outcome]', 'rectified');
    await page.fill('[data-testid=close-summary]', '当事人已按期整改。');
    await page.click('[data-testid=close-submit]');
    await page.waitForSelector('[data-testid=case-status][data-status=closed]');
    await waitForText(page, '[data-testid=case-outcome]', /已整改/);
    await screenshot(page, 'enforcement-own-case-closed');
    expect(errors).toEqual([]);
    await context.close();
  });
});
