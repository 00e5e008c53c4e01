import { ensureBootstrapAdmin } from '../../application/accounts/bootstrap-admin';
import { can, type Permission } from '../../domain/accounts';
import type { Role } from '../../domain/shared/actor';
import { TokenService } from '../../infrastructure/http/auth/token-service';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { entityBody } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Access with real accounts and tokens (AUTH=tokens, the production default): every endpoint × role ×
 * in-scope / out-of-scope, table-driven; login throttling and lockout; bad and expired tokens.
 */
const PASSWORD = 'Matrix-Pass-2026';

interface Principal {
  name: string;
  role: Role | 'anonymous';
  region: string;
  headers: Record<string, string>;
  orgId?: string;
}

describe('access control (tokens)', () => {
  let t: TestApp;
  const principals: Principal[] = [];
  let hainan: { entityId: string; eid: string; lot: string; transferId: string };
  let login: (username: string, password: string) => Promise<Record<string, string>>;

  beforeAll(async () => {
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '1000', RATE_LIMIT_PUBLIC_PER_MIN: '100000' });
    await ensureBootstrapAdmin(t.platform, argon2Hasher, PASSWORD);
    login = async (username, password) => {
      const res = await t.http.post('/api/v1/auth/login').send({ username, password }).expect(200);
      const first = { Authorization: `Bearer ${res.body.token}` };
      if (!res.body.account.mustChangePassword) return first;
      // A password someone else chose (initial, by the creating admin): its token opens only /auth/password
      // and /auth/me, so the owner sets their own first; the answer carries the token to go on with.
      const changed = await t.http.post('/api/v1/auth/password').set(first).send({ currentPassword: password, newPassword: `${password}-own` }).expect(200);
      return { Authorization: `Bearer ${changed.body.token}` };
    };
    const admin = await login('admin', PASSWORD);
    const create = async (by: Record<string, string>, username: string, role: Role, regionCode: string) => {
      await t.http.post('/api/v1/accounts').set(by).send({ username, password: PASSWORD, displayName: username, role, regionCode, orgName: username }).expect(201);
      return login(username, PASSWORD);
    };
    // The delegation chain of seed 000: ministry → province → city → county, each creating its own staff.
    const hnProvince = await create(admin, 'hn-province', 'province-admin', '46');
    const sdProvince = await create(admin, 'sd-province', 'province-admin', '37');
    const hnCity = await create(hnProvince, 'hn-city', 'city-admin', '4690');
    const ledongCounty = await create(hnCity, 'ledong-county', 'county-admin', '469027');
    const sdCity = await create(sdProvince, 'yt-city', 'city-admin', '3706');
    const qixiaCounty = await create(sdCity, 'qixia-county', 'county-admin', '370686');
    const ledongSupervisor = await create(ledongCounty, 'ledong-supervisor', 'supervisor', '469027');
    const qixiaSupervisor = await create(qixiaCounty, 'qixia-supervisor', 'supervisor', '370686');
    const hnAuditor = await create(hnProvince, 'hn-auditor', 'auditor', '46');
    const nationalAuditor = await create(admin, 'national-auditor', 'auditor', '');
    const ledongLab = await create(ledongCounty, 'ledong-lab', 'lab', '469027');
    const ledongEnforcement = await create(ledongCounty, 'ledong-enforcement', 'enforcement', '469027');

    // A Hainan producer with a lot and a pending transfer to another Hainan producer.
    const apply = async (name: string) => (await t.http.post('/api/v1/entities').send(entityBody({ name })).expect(201)).body.entityId as string;
    const a = await apply('乐东甲合作社');
    const b = await apply('乐东乙合作社');
    const approvalA = (await t.http.post(`/api/v1/entities/${a}/approve`).set(ledongCounty).send({}).expect(200)).body;
    const approvalB = (await t.http.post(`/api/v1/entities/${b}/approve`).set(ledongCounty).send({}).expect(200)).body;
    const producerA = await login(approvalA.account.username, approvalA.account.initialPassword);
    const producerB = await login(approvalB.account.username, approvalB.account.initialPassword);
    const lot = (await t.http.post('/api/v1/lots').set(producerA).send({ entityId: a, baseId: 'B1', product: '豇豆', quantity: { amount: 100, unit: 'kg' }, productionDate: '2026-11-20' }).expect(201)).body.traceCode;
    const transferId = (await t.http.post('/api/v1/transfers').set(producerA).send({ fromTraceCode: lot, quantity: { amount: 10, unit: 'kg' }, to: { kind: 'registered', eid: approvalB.eid } }).expect(201)).body.transferId;
    hainan = { entityId: a, eid: approvalA.eid, lot, transferId };

    principals.push(
      { name: 'anonymous', role: 'anonymous', region: '', headers: {} },
      { name: 'producer (holder)', role: 'producer', region: '469027', headers: producerA, orgId: a },
      { name: 'producer (other)', role: 'producer', region: '469027', headers: producerB, orgId: b },
      { name: 'ministry admin', role: 'ministry-admin', region: '', headers: admin },
      { name: 'province admin 46', role: 'province-admin', region: '46', headers: hnProvince },
      { name: 'province admin 37', role: 'province-admin', region: '37', headers: sdProvince },
      { name: 'county admin 469027', role: 'county-admin', region: '469027', headers: ledongCounty },
      { name: 'county admin 370686', role: 'county-admin', region: '370686', headers: qixiaCounty },
      { name: 'supervisor 469027', role: 'supervisor', region: '469027', headers: ledongSupervisor },
      { name: 'supervisor 370686', role: 'supervisor', region: '370686', headers: qixiaSupervisor },
      { name: 'auditor 46', role: 'auditor', region: '46', headers: hnAuditor },
      { name: 'auditor national', role: 'auditor', region: '', headers: nationalAuditor },
      { name: 'lab 469027', role: 'lab', region: '469027', headers: ledongLab },
      { name: 'enforcement 469027', role: 'enforcement', region: '469027', headers: ledongEnforcement },
    );
  });
  afterAll(async () => t.close());

  /** The resource of every scoped endpoint lives in 469027 (乐东), held by producer A. */
  const inRegion = (p: Principal) => p.region === '' || '469027'.startsWith(p.region);
  type Rule = 'public' | { permission: Permission; scope: 'region' | 'holder' | 'party' | 'national' | 'none' };
  interface Endpoint {
    name: string;
    rule: Rule;
    send: (p: Principal) => Promise<{ status: number; body: any }>;
  }
  const req = (p: Principal, method: 'get' | 'post', url: string, body?: object) => {
    const r = t.http[method](url).set(p.headers);
    return method === 'post' ? r.send(body ?? {}) : r;
  };
  const endpoints: Endpoint[] = [
    { name: 'POST /entities', rule: 'public', send: (p) => req(p, 'post', '/api/v1/entities', { name: '' }) },
    { name: 'GET /trace/{code}', rule: 'public', send: (p) => req(p, 'get', `/api/v1/trace/${hainan.lot}`) },
    { name: 'GET /entities/{id}', rule: { permission: 'entity.read', scope: 'holder' }, send: (p) => req(p, 'get', `/api/v1/entities/${hainan.entityId}`) },
    { name: 'POST /entities/{id}/approve', rule: { permission: 'entity.review', scope: 'region' }, send: (p) => req(p, 'post', `/api/v1/entities/${hainan.entityId}/approve`) },
    { name: 'GET /lots/{code}', rule: { permission: 'lot.read', scope: 'holder' }, send: (p) => req(p, 'get', `/api/v1/lots/${hainan.lot}`) },
    { name: 'POST /lots', rule: { permission: 'lot.create', scope: 'holder' }, send: (p) => req(p, 'post', '/api/v1/lots', { entityId: hainan.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 1, unit: 'kg' }, productionDate: '2026-11-20' }) },
    { name: 'POST /transfers', rule: { permission: 'transfer.ship', scope: 'holder' }, send: (p) => req(p, 'post', '/api/v1/transfers', { fromTraceCode: hainan.lot, quantity: { amount: 1000, unit: 'kg' }, to: { kind: 'unregistered', name: 'x' } }) },
    { name: 'POST /market-entries', rule: { permission: 'market-entry.issue', scope: 'holder' }, send: (p) => req(p, 'post', '/api/v1/market-entries', { traceCode: hainan.lot, market: { name: 'm', kind: 'retail', regionCode: '469027' }, quantity: { amount: 1000, unit: 'kg' } }) },
    { name: 'GET /transfers/{id}', rule: { permission: 'transfer.read', scope: 'party' }, send: (p) => req(p, 'get', `/api/v1/transfers/${hainan.transferId}`) },
    { name: 'GET /trace/{code}/chain', rule: { permission: 'trace.chain', scope: 'none' }, send: (p) => req(p, 'get', `/api/v1/trace/${hainan.lot}/chain`) },
    { name: 'GET /search?region=469027', rule: { permission: 'search.read', scope: 'region' }, send: (p) => req(p, 'get', '/api/v1/search?region=469027') },
    { name: 'GET /audit/streams/lot-{code}', rule: { permission: 'audit.read', scope: 'region' }, send: (p) => req(p, 'get', `/api/v1/audit/streams/lot-${hainan.lot}`) },
    { name: 'GET /audit/verify', rule: { permission: 'audit.read', scope: 'none' }, send: (p) => req(p, 'get', '/api/v1/audit/verify') },
    { name: 'GET /audit/log', rule: { permission: 'audit.read', scope: 'none' }, send: (p) => req(p, 'get', '/api/v1/audit/log') },
    { name: 'GET /audit/export', rule: { permission: 'audit.export', scope: 'national' }, send: (p) => req(p, 'get', '/api/v1/audit/export') },
    { name: 'POST /audit/checkpoints', rule: { permission: 'audit.seal', scope: 'none' }, send: (p) => req(p, 'post', '/api/v1/audit/checkpoints') },
    { name: 'GET /admin/projections', rule: { permission: 'admin.projections', scope: 'none' }, send: (p) => req(p, 'get', '/api/v1/admin/projections') },
    { name: 'GET /accounts', rule: { permission: 'account.read', scope: 'none' }, send: (p) => req(p, 'get', '/api/v1/accounts') },
  ];

  function expected(e: Endpoint, p: Principal): 'allow' | 'deny' {
    if (e.rule === 'public') return 'allow';
    const role: Role = p.role === 'anonymous' ? 'consumer' : p.role;
    if (!can(role, e.rule.permission)) return 'deny';
    switch (e.rule.scope) {
      case 'none':
        return 'allow';
      case 'national':
        return p.region === '' ? 'allow' : 'deny';
      case 'region':
        return p.role === 'producer' ? (p.orgId === hainan.entityId ? 'allow' : 'deny') : inRegion(p) ? 'allow' : 'deny';
      case 'holder':
        return p.role === 'producer' ? (p.orgId === hainan.entityId ? 'allow' : 'deny') : inRegion(p) ? 'allow' : 'deny';
      case 'party': // sender and receiver of the transfer (both producers here) and supervision of either side
        return p.role === 'producer' || inRegion(p) ? 'allow' : 'deny';
    }
  }

  it('authorisation matrix: every endpoint × role × in/out of scope', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const e of endpoints) {
      for (const p of principals) {
        const res = await e.send(p);
        cells++;
        const denied = res.status === 401 || res.status === 403 || (res.status === 404 && p.role === 'producer' && expected(e, p) === 'deny');
        const want = expected(e, p);
        if ((want === 'deny') !== denied) mismatches.push(`${e.name} as ${p.name}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBe(endpoints.length * principals.length);
  });

  it('no cross-region leak: search, chain, audit log and risk warnings stay inside the caller’s region', async () => {
    const shandong = principals.find((p) => p.name === 'supervisor 370686')!;
    const search = await t.http.get('/api/v1/search').set(shandong.headers).query({ q: '豇豆' }).expect(200);
    expect(search.body.total).toBe(0);
    const chain = await t.http.get(`/api/v1/trace/${hainan.lot}/chain`).set(shandong.headers).expect(200);
    expect(JSON.stringify(chain.body)).not.toContain('乐东甲合作社');
    expect(chain.body.lots[0]).toMatchObject({ redacted: true });
    const log = await t.http.get('/api/v1/audit/log').set(shandong.headers).expect(200);
    expect(log.body.items.every((i: { regionCode: string }) => i.regionCode.startsWith('370686'))).toBe(true);
    expect((await t.http.get('/api/v1/risk-warnings').set(shandong.headers).query({ region: '46' })).status).toBe(403);
    const warnings = await t.http.get('/api/v1/risk-warnings').set(shandong.headers).expect(200);
    expect(warnings.body.items.every((w: { regionCode: string }) => w.regionCode.startsWith('370686'))).toBe(true);
    const hainanSupervisor = principals.find((p) => p.name === 'supervisor 469027')!;
    const own = await t.http.get('/api/v1/search').set(hainanSupervisor.headers).query({ q: '豇豆' }).expect(200);
    expect(own.body.total).toBeGreaterThan(0);
  });

  it('out-of-scope requests are refused and logged', async () => {
    const shandong = principals.find((p) => p.name === 'county admin 370686')!;
    const res = await t.http.get(`/api/v1/entities/${hainan.entityId}`).set(shandong.headers).expect(403);
    expect(res.body.error).toBe('OUT_OF_SCOPE');
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
    const admin = principals.find((p) => p.role === 'ministry-admin')!;
    const log = await t.http.get('/api/v1/audit/log').set(admin.headers).query({ type: 'AccessDenied', q: hainan.entityId }).expect(200);
    expect(log.body.total).toBeGreaterThan(0);
  });

  it('delegation: a province admin cannot create a ministry or another province’s admin; password rules apply', async () => {
    const hn = principals.find((p) => p.name === 'province admin 46')!;
    const body = (over: object) => ({ username: `u${Math.random().toString(36).slice(2, 8)}`, password: PASSWORD, displayName: 'x', role: 'city-admin', regionCode: '4601', orgName: 'x', ...over });
    await t.http.post('/api/v1/accounts').set(hn.headers).send(body({})).expect(201);
    expect((await t.http.post('/api/v1/accounts').set(hn.headers).send(body({ regionCode: '3706' })).expect(400)).body.details.field).toBe('regionCode');
    expect((await t.http.post('/api/v1/accounts').set(hn.headers).send(body({ role: 'province-admin', regionCode: '46' })).expect(403)).body.error).toBe('NOT_ALLOWED');
    expect((await t.http.post('/api/v1/accounts').set(hn.headers).send(body({ password: 'short' })).expect(400)).body.details.field).toBe('password');
    expect((await t.http.post('/api/v1/accounts').set(hn.headers).send(body({ password: 'alllowercaseletters' })).expect(400)).body.details.field).toBe('password');
  });

  it('rejects missing, malformed, forged and expired tokens', async () => {
    await t.http.get('/api/v1/search').expect(401);
    await t.http.get('/api/v1/search').set('Authorization', 'Basic abc').expect(401);
    await t.http.get('/api/v1/search').set('Authorization', 'Bearer not-a-token').expect(401);
    const forged = new TokenService('some-other-secret-0123456789', 3600, () => new Date());
    const view = { accountId: 'x', username: 'x', displayName: 'x', role: 'ministry-admin' as const, regionCode: '', orgId: 'x', mustChangePassword: false };
    await t.http.get('/api/v1/search').set('Authorization', `Bearer ${forged.issue(view).token}`).expect(401);
    const expired = new TokenService(t.platform.tokenSecret, 60, () => new Date(Date.now() - 3_600_000));
    const res = await t.http.get('/api/v1/search').set('Authorization', `Bearer ${expired.issue(view).token}`).expect(401);
    expect(res.body.message).toBe('token expired');
    const valid = new TokenService(t.platform.tokenSecret, 60, () => new Date());
    await t.http.get('/api/v1/search').set('Authorization', `Bearer ${valid.issue(view).token}`).expect(200);
  });

  it('locks an account after 5 failed logins: even the right password is refused while locked', async () => {
    const hn = principals.find((p) => p.name === 'province admin 46')!;
    await t.http.post('/api/v1/accounts').set(hn.headers).send({ username: 'lock-me', password: PASSWORD, displayName: 'x', role: 'supervisor', regionCode: '46', orgName: 'x' }).expect(201);
    for (let i = 0; i < 4; i++) expect((await t.http.post('/api/v1/auth/login').send({ username: 'lock-me', password: 'Wrong-Pass-123' }).expect(401)).body.error).toBe('BAD_CREDENTIALS');
    const fifth = await t.http.post('/api/v1/auth/login').send({ username: 'lock-me', password: 'Wrong-Pass-123' });
    expect(fifth.status).toBe(401);
    const locked = await t.http.post('/api/v1/auth/login').send({ username: 'lock-me', password: PASSWORD }).expect(423);
    expect(locked.body.error).toBe('ACCOUNT_LOCKED');
    // An unknown user gets the same answer as a wrong password.
    expect((await t.http.post('/api/v1/auth/login').send({ username: 'nobody-here', password: PASSWORD }).expect(401)).body.error).toBe('BAD_CREDENTIALS');
    // Every attempt is in the ledger.
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
    const admin = principals.find((p) => p.role === 'ministry-admin')!;
    const log = await t.http.get('/api/v1/audit/log').set(admin.headers).query({ type: 'LoginFailed' }).expect(200);
    expect(log.body.total).toBeGreaterThanOrEqual(6);
    const source = log.body.items[0].source as string;
    expect(source).toMatch(/127\.0\.0\.1|::/);
    const bySource = await t.http.get('/api/v1/audit/log').set(admin.headers).query({ type: 'LoginFailed', source }).expect(200);
    expect(bySource.body.total).toBe(log.body.total);
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '3', RATE_LIMIT_PUBLIC_PER_MIN: '5' });
  });
  afterAll(async () => t.close());

  it('throttles login attempts per client (429)', async () => {
    for (let i = 0; i < 3; i++) expect((await t.http.post('/api/v1/auth/login').send({ username: 'x', password: 'y' })).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/login').send({ username: 'x', password: 'y' })).status).toBe(429);
  });

  it('throttles the public trace lookup', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.http.get('/api/v1/trace/110101-261120-AAAAA-0001-AAAA')).status);
    expect(statuses.slice(0, 5).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
