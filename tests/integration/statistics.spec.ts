import ExcelJS from 'exceljs';
import { ensureBootstrapAdmin } from '../../application/accounts/bootstrap-admin';
import type { Role } from '../../domain/shared/actor';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { entityBody } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Statistics over HTTP with real accounts (AUTH=tokens): three counties in two provinces register, produce,
 * hand over and certify; the national, provincial and county figures add up (a province is the sum of its
 * counties, the country of its provinces), the access policy narrows or refuses regions, and each view
 * exports as XLSX holding the same numbers.
 */
const PASSWORD = 'Stats-Pass-2026';
type Headers = Record<string, string>;

describe('statistics API', () => {
  let t: TestApp;
  let admin: Headers, hnProvince: Headers, ledongCounty: Headers, ledongSupervisor: Headers, producer: Headers;

  beforeAll(async () => {
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '1000', RATE_LIMIT_PUBLIC_PER_MIN: '100000' });
    await ensureBootstrapAdmin(t.platform, argon2Hasher, PASSWORD);
    const login = async (username: string, password: string): Promise<Headers> => {
      const res = await t.http.post('/api/v1/auth/login').send({ username, password }).expect(200);
      const first = { Authorization: `Bearer ${res.body.token}` };
      if (!res.body.account.mustChangePassword) return first;
      const changed = await t.http.post('/api/v1/auth/password').set(first).send({ currentPassword: password, newPassword: `${password}-own` }).expect(200);
      return { Authorization: `Bearer ${changed.body.token}` };
    };
    admin = await login('admin', PASSWORD);
    const create = async (by: Headers, username: string, role: Role, regionCode: string) => {
      await t.http.post('/api/v1/accounts').set(by).send({ username, password: PASSWORD, displayName: username, role, regionCode, orgName: username }).expect(201);
      return login(username, PASSWORD);
    };
    hnProvince = await create(admin, 'hn-province', 'province-admin', '46');
    const sdProvince = await create(admin, 'sd-province', 'province-admin', '37');
    // Each level creates the level below (seed 000): province → city → county.
    ledongCounty = await create(await create(hnProvince, 'hn-4690', 'city-admin', '4690'), 'ledong-county', 'county-admin', '469027');
    const xiuyingCounty = await create(await create(hnProvince, 'haikou-city', 'city-admin', '4601'), 'xiuying-county', 'county-admin', '460105');
    const qixiaCounty = await create(await create(sdProvince, 'yt-city', 'city-admin', '3706'), 'qixia-county', 'county-admin', '370686');
    ledongSupervisor = await create(ledongCounty, 'ledong-supervisor', 'supervisor', '469027');
    const reviewers: Record<string, Headers> = { '469027': ledongCounty, '460105': xiuyingCounty, '370686': qixiaCounty };

    const register = async (county: string, product: string) => {
      const body = entityBody({ regionCode: county, bases: [{ name: '基地', regionCode: county, address: '基地', lat: 20.123456, lon: 110.123456, areaMu: 10, products: [product] }], products: [product] });
      const entityId = (await t.http.post('/api/v1/entities').send(body).expect(201)).body.entityId as string;
      const approval = (await t.http.post(`/api/v1/entities/${entityId}/approve`).set(reviewers[county]!).send({}).expect(200)).body;
      return { entityId, eid: approval.eid as string, headers: await login(approval.account.username, approval.account.initialPassword) };
    };
    const lot = async (p: { entityId: string; headers: Headers }, product: string, amount: number) =>
      (await t.http.post('/api/v1/lots').set(p.headers).send({ entityId: p.entityId, baseId: 'B1', product, quantity: { amount, unit: 'kg' }, productionDate: '2026-11-20' }).expect(201)).body.traceCode as string;

    const ledongA = await register('469027', '豇豆');
    const ledongB = await register('469027', '豇豆');
    const xiuying = await register('460105', '芒果');
    const qixia = await register('370686', '苹果');
    producer = ledongA.headers;
    // One application still pending in Qixia.
    await t.http.post('/api/v1/entities').send(entityBody({ regionCode: '370686', bases: [{ name: '基地', regionCode: '370686', address: '基地', lat: 37.3, lon: 120.8, areaMu: 5, products: ['苹果'] }] })).expect(201);

    const l1 = await lot(ledongA, '豇豆', 1000);
    await lot(ledongA, '豇豆', 500);
    const l3 = await lot(xiuying, '芒果', 200);
    await lot(qixia, '苹果', 300);
    // Ledong A → Ledong B (confirmed), → Qixia (confirmed), Xiuying → Ledong B (rejected).
    const ship = async (from: { headers: Headers }, code: string, amount: number, toEid: string) =>
      (await t.http.post('/api/v1/transfers').set(from.headers).send({ fromTraceCode: code, quantity: { amount, unit: 'kg' }, to: { kind: 'registered', eid: toEid } }).expect(201)).body.transferId as string;
    const t1 = await ship(ledongA, l1, 100, ledongB.eid);
    const child = (await t.http.post(`/api/v1/transfers/${t1}/confirm`).set(ledongB.headers).send({}).expect(200)).body.childTraceCode as string;
    const t2 = await ship(ledongA, l1, 200, qixia.eid);
    await t.http.post(`/api/v1/transfers/${t2}/confirm`).set(qixia.headers).send({}).expect(200);
    const t3 = await ship(xiuying, l3, 50, ledongB.eid);
    await t.http.post(`/api/v1/transfers/${t3}/reject`).set(ledongB.headers).send({ reason: '质量不符' }).expect(200);
    await t.http.post('/api/v1/market-entries').set(ledongB.headers).send({ traceCode: child, market: { name: '广州江南市场', kind: 'wholesale', regionCode: '440111' }, quantity: { amount: 40, unit: 'kg' } }).expect(201);
  }, 180_000);
  afterAll(async () => t.close());

  const get = (headers: Headers, path: string) => t.http.get(path).set(headers);
  const card = (body: { cards: { key: string; value: number | null }[] }, key: string) => body.cards.find((c) => c.key === key)!.value;

  it('the national overview counts everything; its provinces add up to it, and a province’s counties to the province', async () => {
    const national = (await get(admin, '/api/v1/statistics/overview').expect(200)).body;
    expect(national.region).toEqual({ code: '', name: '全国', level: 0 });
    expect(card(national, 'entitiesApplied')).toBe(5);
    expect(card(national, 'entitiesApproved')).toBe(4);
    // 4 produced + 2 received by confirmed hand-overs.
    expect(card(national, 'lotsCreated')).toBe(6);
    expect(card(national, 'producedKg')).toBe(2000);
    expect(card(national, 'transfersConfirmed')).toBe(2);
    expect(card(national, 'confirmationRate')).toBeCloseTo(2 / 3);
    expect(card(national, 'certificates')).toBe(1);
    expect(national.current).toMatchObject({ entitiesApproved: 4, entitiesPending: 1, reviewsOverdue: 0 });
    // Approved entities that traded by scan-to-trade: all four (shippers and receivers); one lot of six certified.
    expect(national.current.coverage).toEqual({ tradingEntities: 1, certifiedLots: 1 / 6 });

    const provinces = (await get(admin, '/api/v1/statistics/breakdown?by=region').expect(200)).body;
    expect(provinces.rows.map((r: { key: string }) => r.key).sort()).toEqual(['37', '46']);
    const sum = (rows: { values: Record<string, number> }[], k: string) => rows.reduce((n, r) => n + r.values[k]!, 0);
    for (const k of ['entitiesApplied', 'lotsCreated', 'producedKg', 'transfersConfirmed', 'certificates']) expect(sum(provinces.rows, k)).toBe(card(national, k));

    const hainan = (await get(hnProvince, '/api/v1/statistics/overview').expect(200)).body;
    expect(hainan.region.code).toBe('46');
    const counties = (await get(hnProvince, '/api/v1/statistics/breakdown?by=region&level=county').expect(200)).body;
    expect(counties.rows.map((r: { key: string; name: string }) => [r.key, r.name]).sort()).toEqual([['460105', '海南省 海口市 秀英区'], ['469027', '海南省 乐东黎族自治县']]);
    for (const k of ['entitiesApplied', 'lotsCreated', 'producedKg', 'transfersConfirmed', 'certificates']) expect(sum(counties.rows, k)).toBe(card(hainan, k));
    expect(card(hainan, 'lotsCreated')).toBe(4);
  });

  it('scope: a county sees its county, a province asked for by a county is narrowed, another province is refused, a producer has no statistics', async () => {
    const own = (await get(ledongCounty, '/api/v1/statistics/overview').expect(200)).body;
    expect(own.region.code).toBe('469027');
    expect(card(own, 'lotsCreated')).toBe(3);
    const narrowed = (await get(ledongSupervisor, '/api/v1/statistics/overview?region=460000').expect(200)).body;
    expect(narrowed.region.code).toBe('469027');
    expect(card(narrowed, 'lotsCreated')).toBe(3);
    const refused = await get(ledongCounty, '/api/v1/statistics/overview?region=37').expect(403);
    expect(refused.body.error).toBe('OUT_OF_SCOPE');
    await get(hnProvince, '/api/v1/statistics/breakdown?region=370686').expect(403);
    await get(producer, '/api/v1/statistics/overview').expect(403);
    await t.http.get('/api/v1/statistics/overview').expect(401);
  });

  it('by product and the flows between provinces and counties, origin → market included', async () => {
    const products = (await get(admin, '/api/v1/statistics/breakdown?by=product').expect(200)).body;
    expect(Object.fromEntries(products.rows.map((r: { key: string; values: { lotsCreated: number } }) => [r.key, r.values.lotsCreated]))).toEqual({ 豇豆: 4, 芒果: 1, 苹果: 1 }) // the child lot received in Qixia is 豇豆 too;
    const provinceFlows = (await get(admin, '/api/v1/statistics/flows').expect(200)).body;
    expect(provinceFlows.rows.map((r: { from: string; to: string; kg: number }) => [r.from, r.to, r.kg])).toEqual([['46', '37', 200], ['46', '46', 100]]);
    const countyFlows = (await get(ledongCounty, '/api/v1/statistics/flows?flowLevel=county').expect(200)).body;
    expect(countyFlows.rows.map((r: { from: string; to: string; kg: number }) => [r.from, r.to, r.kg])).toEqual([['469027', '370686', 200], ['469027', '469027', 100]]);
    const market = (await get(admin, '/api/v1/statistics/flows?kind=market&flowLevel=county').expect(200)).body;
    expect(market.rows).toEqual([expect.objectContaining({ from: '469027', to: '440111', moves: 1, kg: 40 })]);
  });

  it('exports each view as XLSX with the numbers the JSON answers', async () => {
    const res = await get(hnProvince, '/api/v1/statistics/export?view=breakdown&by=region&level=county')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('按地区')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const lotsColumn = header.indexOf('批次') + 1;
    const rows = new Map<string, unknown>();
    sheet.eachRow((row, n) => {
      if (n > 1) rows.set(String(row.getCell(1).value), row.getCell(lotsColumn).value);
    });
    expect(Object.fromEntries(rows)).toEqual({ '469027': 3, '460105': 1 });
    await get(admin, '/api/v1/statistics/export?view=overview').expect(200).expect('content-type', /spreadsheetml/);
    await get(admin, '/api/v1/statistics/export?view=flows&kind=market').expect(200).expect('content-type', /spreadsheetml/);
  });
});
