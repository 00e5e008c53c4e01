import { CommandBus } from '@nestjs/cqrs';
import { LoginCommand } from '../../application/accounts/accounts';
import { ensureBootstrapAdmin } from '../../application/accounts/bootstrap-admin';
import { claim, claimStreamId } from '../../application/ledger/unique-claim';
import { accountStreamId } from '../../domain/accounts/account';
import { creditCodeCheckChar } from '../../domain/registration';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { entityBody } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 11, findings 6 and 7, with real accounts and tokens (AUTH=tokens): no secret in the ledger or any view
 * of it, mustChangePassword enforced, password change throttled like sign-in, lockout per account and source
 * address, disable revoking tokens at once, the admin routes within delegation and scope, one e-ID per
 * credit code.
 */
const PASSWORD = 'Accounts-Pass-2026';
type Headers = Record<string, string>;

describe('accounts security (tokens)', () => {
  let t: TestApp;
  let admin: Headers;
  let hnProvince: Headers;
  let sdProvince: Headers;
  let ledongCounty: Headers;

  const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });
  const signIn = (username: string, password: string) => t.http.post('/api/v1/auth/login').send({ username, password });
  /** Signs in; a password someone else chose is replaced by the owner's own first (`${password}-own`). */
  const ownSession = async (username: string, password: string): Promise<Headers> => {
    const res = await signIn(username, password).expect(200);
    if (!res.body.account.mustChangePassword) return bearer(res.body.token);
    const changed = await t.http.post('/api/v1/auth/password').set(bearer(res.body.token)).send({ currentPassword: password, newPassword: `${password}-own` }).expect(200);
    return bearer(changed.body.token);
  };
  const createAccount = async (by: Headers, username: string, role: string, regionCode: string) =>
    (await t.http.post('/api/v1/accounts').set(by).send({ username, password: PASSWORD, displayName: username, role, regionCode, orgName: username }).expect(201)).body as { accountId: string };
  const settled = async () => t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
  const allEventsJson = async () => JSON.stringify(await t.platform.adapters.eventStore.readAll({ afterPosition: 0, maxCount: 100_000 }));
  /** An argon2id hash in PHC format, or the field that used to carry one. */
  const SECRET = /\$argon2|"passwordHash"/;
  /** `/audit/log?q=argon2id` hits, leaving out the access log's record of such a query itself. */
  const argon2Hits = async () => {
    const log = await t.http.get('/api/v1/audit/log').set(admin).query({ q: 'argon2id', size: 100 }).expect(200);
    return (log.body.items as { type: string }[]).filter((i) => i.type !== 'DataAccessed');
  };

  beforeAll(async () => {
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '1000', RATE_LIMIT_PUBLIC_PER_MIN: '100000' });
    await ensureBootstrapAdmin(t.platform, argon2Hasher, PASSWORD);
    admin = await ownSession('admin', PASSWORD);
    await createAccount(admin, 'as-hn-province', 'province-admin', '46');
    await createAccount(admin, 'as-sd-province', 'province-admin', '37');
    hnProvince = await ownSession('as-hn-province', PASSWORD);
    sdProvince = await ownSession('as-sd-province', PASSWORD);
    await createAccount(hnProvince, 'as-hn-city', 'city-admin', '4690');
    const hnCity = await ownSession('as-hn-city', PASSWORD);
    await createAccount(hnCity, 'as-ledong', 'county-admin', '469027');
    ledongCounty = await ownSession('as-ledong', PASSWORD);
  });
  afterAll(async () => t.close());

  describe('finding 6: no secret in the immutable ledger', () => {
    it('no event holds a password hash, and the audit log, stream history and export show none', async () => {
      const staff = await createAccount(ledongCounty, 'as-secret-check', 'supervisor', '469027');
      await ownSession('as-secret-check', PASSWORD); // initial password, then a change
      await t.http.post(`/api/v1/accounts/${staff.accountId}/reset-password`).set(ledongCounty).send({}).expect(200);
      await settled();
      expect(await allEventsJson()).not.toMatch(SECRET);
      expect(await argon2Hits()).toEqual([]);
      const history = await t.http.get(`/api/v1/audit/streams/${accountStreamId(staff.accountId)}`).set(admin).expect(200);
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['AccountCreated', 'LoginSucceeded', 'PasswordChanged', 'PasswordReset']);
      expect(JSON.stringify(history.body)).not.toMatch(SECRET);
      // The events say only that a password was changed, and by whom.
      expect(history.body.events[2].data).toEqual({ accountId: staff.accountId, at: expect.any(String), by: staff.accountId });
      expect(history.body.events[3].data).toEqual({ accountId: staff.accountId, at: expect.any(String), by: expect.any(String) });
      const exported = await t.http.get('/api/v1/audit/export').set(admin).expect(200);
      expect(JSON.stringify(exported.body)).not.toMatch(SECRET);
    });

    it('a development ledger written before: its hash never reaches a view, the credential is seeded from it once and must be changed, the chain still verifies', async () => {
      // An account as the old code wrote it: the hash inside AccountCreated (schema version 1).
      const accountId = t.platform.ids.uuid();
      const legacyHash = await argon2Hasher.hash(PASSWORD);
      const created = {
        type: 'AccountCreated',
        data: { accountId, username: 'as-legacy', passwordHash: legacyHash, displayName: 'legacy', role: 'supervisor', regionCode: '46', orgId: 'org-legacy', orgName: 'legacy', mustChangePassword: false, createdBy: 'system', createdAt: new Date().toISOString() },
      };
      await t.platform.ledger.commit(
        [
          { stream: t.platform.ledger.fresh(accountStreamId(accountId)), events: [created] },
          { stream: t.platform.ledger.fresh(claimStreamId('username', 'as-legacy')), events: [claim('username', 'as-legacy', accountStreamId(accountId), accountId)] },
        ],
        { commandId: `system:legacy-${accountId}`, actor: SYSTEM_ACTOR },
      );
      await settled();
      expect(await argon2Hits()).toEqual([]);
      const listed = await t.http.get('/api/v1/accounts').set(admin).query({ size: 100 }).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain('argon2');
      expect(await t.platform.credentials.store.get(accountId)).toBeNull();

      const first = await signIn('as-legacy', PASSWORD).expect(200);
      // The hash is readable in old exports, so the account must choose a new password before anything else.
      expect(first.body.account.mustChangePassword).toBe(true);
      expect(await t.platform.credentials.store.get(accountId)).toMatchObject({ passwordHash: legacyHash, seededFromLedger: true });
      expect((await t.http.get('/api/v1/search').set(bearer(first.body.token)).expect(403)).body.error).toBe('PASSWORD_CHANGE_REQUIRED');
      await t.http.post('/api/v1/auth/password').set(bearer(first.body.token)).send({ currentPassword: PASSWORD, newPassword: `${PASSWORD}-new` }).expect(200);
      expect(await t.platform.credentials.store.get(accountId)).toMatchObject({ seededFromLedger: false, tokenVersion: 1 });
      const verified = await t.http.get('/api/v1/audit/verify').set(admin).query({ stream: accountStreamId(accountId) }).expect(200);
      expect(verified.body.ok).toBe(true);
    });
  });

  describe('finding 7: mustChangePassword', () => {
    it('a first sign-in token opens only /auth/password and /auth/me; the new token opens the rest and the old one is revoked', async () => {
      await createAccount(ledongCounty, 'as-first-login', 'supervisor', '469027');
      const first = await signIn('as-first-login', PASSWORD).expect(200);
      expect(first.body.account.mustChangePassword).toBe(true);
      const initial = bearer(first.body.token);
      expect((await t.http.get('/api/v1/search').set(initial).expect(403)).body.error).toBe('PASSWORD_CHANGE_REQUIRED');
      expect((await t.http.get('/api/v1/entities').set(initial).expect(403)).body.error).toBe('PASSWORD_CHANGE_REQUIRED');
      expect((await t.http.get('/api/v1/auth/me').set(initial).expect(200)).body.userId).toBeDefined();
      // A public route answers as to anyone: the token adds nothing there.
      await t.http.get('/api/v1/config').set(initial).expect(200);
      const changed = await t.http.post('/api/v1/auth/password').set(initial).send({ currentPassword: PASSWORD, newPassword: 'Own-Choice-2026!' }).expect(200);
      expect(changed.body.account.mustChangePassword).toBe(false);
      await t.http.get('/api/v1/search').set(bearer(changed.body.token)).expect(200);
      expect((await t.http.get('/api/v1/auth/me').set(initial).expect(401)).body.message).toBe('token revoked');
    });

    it('a producer approved by the county must change the initial password too', async () => {
      const applied = await t.http.post('/api/v1/entities').send(entityBody()).expect(201);
      const approval = (await t.http.post(`/api/v1/entities/${applied.body.entityId}/approve`).set(ledongCounty).send({}).expect(200)).body;
      const first = await signIn(approval.account.username, approval.account.initialPassword).expect(200);
      expect(first.body.account.mustChangePassword).toBe(true);
      const lot = { entityId: applied.body.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 5, unit: 'kg' }, productionDate: '2026-11-20' };
      expect((await t.http.post('/api/v1/lots').set(bearer(first.body.token)).send(lot).expect(403)).body.error).toBe('PASSWORD_CHANGE_REQUIRED');
      const own = await ownSession(approval.account.username, approval.account.initialPassword);
      await t.http.post('/api/v1/lots').set(own).send(lot).expect(201);
    });
  });

  describe('finding 7: password change is throttled and locks like sign-in', () => {
    it('wrong current passwords: four 401s, the fifth starts a lock, then even the right one is 423; every try is an event', async () => {
      const { accountId } = await createAccount(ledongCounty, 'as-oracle', 'supervisor', '469027');
      const session = await ownSession('as-oracle', PASSWORD);
      const guess = (currentPassword: string) => t.http.post('/api/v1/auth/password').set(session).send({ currentPassword, newPassword: 'Brand-New-Pass-9' });
      for (let i = 0; i < 5; i++) expect((await guess(`Guess-Number-${i}`).expect(401)).body.error).toBe('BAD_CREDENTIALS');
      const locked = await guess(`${PASSWORD}-own`).expect(423);
      expect(locked.body.error).toBe('ACCOUNT_LOCKED');
      expect(Date.parse(locked.body.details.until)).toBeGreaterThan(Date.now());
      // Sign-in from the same address shares the counters: locked as well.
      expect((await signIn('as-oracle', `${PASSWORD}-own`).expect(423)).body.error).toBe('ACCOUNT_LOCKED');
      await settled();
      const log = await t.http.get('/api/v1/audit/log').set(admin).query({ stream: accountStreamId(accountId), type: 'PasswordChangeFailed' }).expect(200);
      expect(log.body.total).toBe(6);
    });
  });

  describe('finding 7: a stranger cannot lock a producer out', () => {
    it('failures from one address lock that address only: the owner signs in from elsewhere', async () => {
      const applied = await t.http.post('/api/v1/entities').send(entityBody()).expect(201);
      const approval = (await t.http.post(`/api/v1/entities/${applied.body.entityId}/approve`).set(ledongCounty).send({}).expect(200)).body;
      const eid = approval.account.username as string; // printed on every label
      const ownPassword = `${approval.account.initialPassword}-own`;
      await ownSession(eid, approval.account.initialPassword);
      // The source address is the request's; drive two of them through the command bus like the controller does.
      const bus = t.app.get(CommandBus);
      const attempt = (password: string, source: string) =>
        bus.execute(new LoginCommand({ username: eid, password, source }, { commandId: t.platform.ids.uuid(), actor: { userId: `login:${eid}`, orgId: 'public', role: 'consumer', regionCode: '' } }));
      const codes: string[] = [];
      for (let i = 0; i < 8; i++) codes.push(await attempt(`Wrong-Guess-${i}x`, '203.0.113.7').then(() => 'OK', (e: { code: string }) => e.code));
      expect(codes).toEqual(['BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED']);
      await expect(attempt(ownPassword, '203.0.113.7')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
      await expect(attempt(ownPassword, '198.51.100.20')).resolves.toMatchObject({ result: { username: eid } });
    });
  });

  describe('finding 7: disable, enable, unlock, reset — for admins within their scope', () => {
    it('a disable revokes the account’s tokens at once; enable lets it sign in again', async () => {
      const { accountId } = await createAccount(ledongCounty, 'as-disable-me', 'supervisor', '469027');
      const session = await ownSession('as-disable-me', PASSWORD);
      await t.http.get('/api/v1/search').set(session).expect(200);
      const disabled = await t.http.post(`/api/v1/accounts/${accountId}/disable`).set(ledongCounty).send({ reason: '调离岗位' }).expect(200);
      expect(disabled.body.account.status).toBe('disabled');
      expect((await t.http.get('/api/v1/search').set(session).expect(401)).body.message).toBe('token revoked');
      expect((await signIn('as-disable-me', `${PASSWORD}-own`).expect(403)).body.error).toBe('ACCOUNT_DISABLED');
      expect((await t.http.post(`/api/v1/accounts/${accountId}/disable`).set(ledongCounty).send({ reason: 'again' }).expect(409)).body.error).toBe('INVALID_STATE');
      await t.http.post(`/api/v1/accounts/${accountId}/enable`).set(ledongCounty).send({}).expect(200);
      await t.http.get('/api/v1/search').set(session).expect(401); // an old token stays revoked
      await t.http.get('/api/v1/search').set(await ownSession('as-disable-me', `${PASSWORD}-own`)).expect(200);
    });

    it('unlock lifts the locks; reset sets a one-time password, revokes tokens and forces a change', async () => {
      const { accountId } = await createAccount(ledongCounty, 'as-reset-me', 'supervisor', '469027');
      const session = await ownSession('as-reset-me', PASSWORD);
      await t.http.post(`/api/v1/accounts/${accountId}/unlock`).set(ledongCounty).send({}).expect(200); // nothing to lift: fine
      for (let i = 0; i < 5; i++) await signIn('as-reset-me', `Wrong-Guess-${i}x`).expect(401);
      await signIn('as-reset-me', `${PASSWORD}-own`).expect(423);
      await t.http.post(`/api/v1/accounts/${accountId}/unlock`).set(ledongCounty).send({}).expect(200);
      await signIn('as-reset-me', `${PASSWORD}-own`).expect(200);

      const reset = await t.http.post(`/api/v1/accounts/${accountId}/reset-password`).set(ledongCounty).send({}).expect(200);
      const temporary = reset.body.temporaryPassword as string;
      expect(temporary).toMatch(/-rs$/);
      await t.http.get('/api/v1/search').set(session).expect(401);
      await signIn('as-reset-me', `${PASSWORD}-own`).expect(401);
      const first = await signIn('as-reset-me', temporary).expect(200);
      expect(first.body.account.mustChangePassword).toBe(true);
      await t.http.get('/api/v1/search').set(await ownSession('as-reset-me', temporary)).expect(200);
    });

    it('out of region, above one’s level, oneself, or without the permission: refused, nothing appended', async () => {
      const { accountId } = await createAccount(ledongCounty, 'as-protected', 'supervisor', '469027');
      const staff = await ownSession('as-protected', PASSWORD);
      const head = await t.platform.adapters.eventStore.headPosition();
      expect((await t.http.post(`/api/v1/accounts/${accountId}/disable`).set(sdProvince).send({ reason: 'x' }).expect(403)).body.error).toBe('OUT_OF_SCOPE');
      const hnProvinceId = (await t.http.get('/api/v1/auth/me').set(hnProvince).expect(200)).body.userId as string;
      expect((await t.http.post(`/api/v1/accounts/${hnProvinceId}/disable`).set(ledongCounty).send({ reason: 'x' }).expect(403)).body.error).toBe('OUT_OF_SCOPE');
      const ledongId = (await t.http.get('/api/v1/auth/me').set(ledongCounty).expect(200)).body.userId as string;
      expect((await t.http.post(`/api/v1/accounts/${ledongId}/reset-password`).set(ledongCounty).send({}).expect(403)).body.error).toBe('NOT_ALLOWED');
      await t.http.post(`/api/v1/accounts/${accountId}/disable`).set(staff).send({ reason: 'x' }).expect(403);
      await t.http.post(`/api/v1/accounts/${accountId}/disable`).send({ reason: 'x' }).expect(401);
      await t.http.post(`/api/v1/accounts/${accountId}/disable`).set(ledongCounty).send({}).expect(400);
      await t.http.post('/api/v1/accounts/no-such-account/unlock').set(ledongCounty).send({}).expect(404);
      // Refusals go to the access log (guard and filter), but no account event was appended.
      const after = await t.platform.adapters.eventStore.readAll({ afterPosition: head, maxCount: 1000 });
      expect(after.filter((e) => e.streamId.startsWith('account-'))).toEqual([]);
    });
  });

  describe('finding 7: one credit code, one e-ID', () => {
    const code = (first17: string) => first17 + creditCodeCheckChar(first17);

    it('a second application with a registered credit code is refused; a second approval racing the first is refused too', async () => {
      const creditCode = code('91469027MA5TQQ7X1');
      const first = await t.http.post('/api/v1/entities').send(entityBody({ creditCode })).expect(201);
      const rival = await t.http.post('/api/v1/entities').send(entityBody({ creditCode })).expect(201); // both pending
      await t.http.post(`/api/v1/entities/${first.body.entityId}/approve`).set(ledongCounty).send({}).expect(200);
      const second = await t.http.post(`/api/v1/entities/${rival.body.entityId}/approve`).set(ledongCounty).send({}).expect(409);
      expect(second.body.error).toBe('CREDIT_CODE_TAKEN');
      expect(second.body.details.entityId).toBe(first.body.entityId);
      const late = await t.http.post('/api/v1/entities').send(entityBody({ creditCode })).expect(409);
      expect(late.body.error).toBe('CREDIT_CODE_TAKEN');
      expect(await t.platform.adapters.eventStore.readStream(claimStreamId('creditcode', creditCode))).toHaveLength(1);
    });

    it('a credit code with a wrong check character is refused (GB 32100-2015)', async () => {
      const valid = code('91469027MA5TQQ7X2');
      const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
      expect((await t.http.post('/api/v1/entities').send(entityBody({ creditCode: wrong })).expect(400)).body.details.field).toBe('creditCode');
    });
  });

  it('a password change without a token is a 401 (sign in first), and appends nothing', async () => {
    const head = await t.platform.adapters.eventStore.headPosition();
    const res = await t.http.post('/api/v1/auth/password').send({ currentPassword: PASSWORD, newPassword: `${PASSWORD}-x` }).expect(401);
    expect(res.body.error).toBe('UNAUTHORIZED');
    expect(await t.platform.adapters.eventStore.headPosition()).toBe(head);
  });

  it('account names are text like every other field: a bidi override or NUL is a 400 naming the field', async () => {
    for (const [field, value] of [['displayName', 'evil\u202Eadmin'], ['orgName', 'org\u0000x']] as const) {
      const res = await t.http.post('/api/v1/accounts').set(admin).send({ username: `txt-${field}`, password: PASSWORD, displayName: 'ok', orgName: 'ok', role: 'auditor', regionCode: '46', [field]: value }).expect(400);
      expect(res.body.details.field).toBe(field);
    }
  });
});
