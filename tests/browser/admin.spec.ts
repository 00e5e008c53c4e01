import { browserSuite } from './support/browser-suite';
import { describeInChromium } from './support/chromium';
import { bearerToken, waitForText } from './support/in-page';
import { landed, newPage, pageReady, screenshot, signIn } from './support/page-helpers';

/**
 * Account administration in the browser (issue 15): the Hainan province admin creates an inspector, the
 * inspector signs in and sets their own password, the admin disables the account — and the inspector's very
 * next request is refused (every token revoked) — then enables it again and resets its password, which is
 * shown once and opens only the password change.
 */
describeInChromium('account administration (headless Chromium)', () => {
  const suite = browserSuite();
  const USERNAME = 'hn-xunjian-01';
  const INITIAL = 'Chushi-Mima-2026';
  const OWN = 'Ziji-Mima-2026!';

  it('create → the user signs in → disable → the next request is refused → enable → reset password shown once', async () => {
    const { url, summary, t } = suite.server();
    const admin = await newPage(suite.browser());
    await signIn(admin.page, url, 'demo-hainan', summary.password);
    expect(await admin.page.locator('nav.main-nav a[href="#/admin"]').count()).toBe(1);
    await admin.page.goto(`${url}/#/admin`);
    await pageReady(admin.page, 'accounts');

    // Create: the form offers only what the delegation allows a province (city admins and its own staff).
    const roles = await admin.page.locator('[data-testid=new-role] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(roles).toEqual(['city-admin', 'supervisor', 'inspector', 'lab', 'enforcement', 'auditor']);
    await admin.page.fill('[data-testid=new-username]', USERNAME);
    await admin.page.fill('[data-testid=new-display-name]', '海南省巡查员甲');
    await admin.page.selectOption('[data-testid=new-role]', 'inspector');
    await admin.page.fill('[data-testid=new-org]', '海南省农业农村厅');
    await admin.page.fill('[data-testid=new-password]', INITIAL);
    await admin.page.click('[data-testid=account-create]');
    const row = admin.page.locator(`[data-testid=account-row][data-username="${USERNAME}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('巡查人员');
    expect(await row.locator('[data-testid=account-status]').textContent()).toContain('待修改密码');
    await screenshot(admin.page, 'admin-created');

    // The new user signs in with the initial password: the app asks for their own before anything else.
    const user = await newPage(suite.browser());
    await user.page.goto(`${url}/#/login`);
    await user.page.fill('[data-testid=login-username]', USERNAME);
    await user.page.fill('[data-testid=login-password]', INITIAL);
    await user.page.click('[data-testid=login-submit]');
    await user.page.waitForSelector('[data-testid=change-password-submit]');
    await user.page.fill('[data-testid=new-password]', OWN);
    await user.page.fill('[data-testid=confirm-password]', OWN);
    await user.page.click('[data-testid=change-password-submit]');
    await user.page.waitForSelector('[data-testid=who]');
    await landed(user.page);
    // The initial password no longer signs in; the own one does.
    await t.http.post('/api/v1/auth/login').send({ username: USERNAME, password: INITIAL }).expect(401);
    expect((await t.http.post('/api/v1/auth/login').send({ username: USERNAME, password: OWN }).expect(200)).body.account.mustChangePassword).not.toBe(true);
    await user.page.goto(`${url}/#/supervisor/inspections`);
    await pageReady(user.page, 'inspections');
    await waitForText(user.page, '[data-testid=inspections]', /共 0 项巡查任务/);
    const token = await bearerToken(user.page);
    await t.http.get('/api/v1/auth/me').set({ Authorization: `Bearer ${token}` }).expect(200);

    // Disable needs a reason; with one the account is disabled at once.
    await row.locator('[data-testid=account-disable]').click();
    await waitForText(admin.page, `[data-testid=account-row][data-username="${USERNAME}"]`, /停用须填写原因/);
    await row.locator('[data-testid=disable-reason]').fill('调离巡查岗位');
    await row.locator('[data-testid=account-disable]').click();
    await admin.page.waitForSelector(`[data-testid=account-row][data-username="${USERNAME}"][data-status=disabled]`);
    expect(await admin.page.locator(`[data-testid=account-row][data-username="${USERNAME}"] [data-testid=account-status]`).textContent()).toContain('已停用');
    await screenshot(admin.page, 'admin-disabled');

    // The disabled user's next request is refused: the API answers 401, the app signs out and says so.
    await t.http.get('/api/v1/auth/me').set({ Authorization: `Bearer ${token}` }).expect(401);
    await user.page.click('nav.main-nav a[href="#/supervisor/search"]');
    await user.page.waitForSelector('[data-testid=error]');
    await user.page.waitForSelector('a.sign-in');
    expect(await user.page.locator('[data-testid=who]').count()).toBe(0);
    await screenshot(user.page, 'admin-disabled-user-refused');
    // …and cannot sign in again.
    await t.http.post('/api/v1/auth/login').send({ username: USERNAME, password: OWN }).expect((res) => expect(res.status).toBeGreaterThanOrEqual(400));

    // Enable again, then reset the password: a one-time password, shown once.
    const disabledRow = admin.page.locator(`[data-testid=account-row][data-username="${USERNAME}"]`);
    await disabledRow.locator('[data-testid=account-enable]').click();
    await admin.page.waitForSelector(`[data-testid=account-row][data-username="${USERNAME}"][data-status=active]`);
    await disabledRow.locator('[data-testid=account-reset]').click();
    await admin.page.waitForSelector('[data-testid=temporary-password]');
    const temporary = ((await admin.page.locator('[data-testid=temporary-password]').textContent()) ?? '').trim();
    expect(temporary.length).toBeGreaterThanOrEqual(10);
    await screenshot(admin.page, 'admin-reset-password');
    const first = await t.http.post('/api/v1/auth/login').send({ username: USERNAME, password: temporary }).expect(200);
    expect(first.body.account.mustChangePassword).toBe(true);

    // The organisation page: the province's own accounts, its region.
    await admin.page.goto(`${url}/#/admin/org`);
    await pageReady(admin.page, 'org');
    await waitForText(admin.page, '[data-testid=organisation]', /海南省农业农村厅/);
    expect(await admin.page.locator('[data-testid=organisation]').textContent()).toContain('海南');
    await screenshot(admin.page, 'admin-organisation');

    expect(admin.errors).toEqual([]);
    await admin.context.close();
    await user.context.close();
  });
});
