import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type Server } from './support/reliability-processes';

/**
 * Durability of the embedded stack: run the real server as a child process, kill -9 it in the middle of
 * a stream of commands, start it again on the same data directory, and check that every acknowledged
 * command is in the ledger and the read models catch up (nothing acknowledged is lost).
 */
const ADMIN_PASSWORD = 'Durable-Admin-2026';

/**
 * Names of this run on a shared MongoDB / Elasticsearch / Redis (the mixed-configuration CI run): the same
 * for the server before and after the kill, new for every run — a rerun must not find the read models and
 * checkpoints of an earlier run (they would sit ahead of this run's fresh ledger and hide its lots).
 */
const RUN = `${process.pid}_${Date.now()}`;
const SHARED_SERVER_NAMES = { MONGODB_DB: `suyuan_durability_${RUN}`, ELASTICSEARCH_INDEX_PREFIX: `suyuan-durability-${RUN}-`, QUEUE_PREFIX: `suyuan-durability-${RUN}` };
/** The adapters this jest run was started with (CI's mixed run sets READ_STORE, SEARCH, QUEUE): kept, not forced to SQLite. */
const CONFIGURED_ADAPTERS = Object.fromEntries(
  ['EVENT_STORE', 'READ_STORE', 'SEARCH', 'QUEUE'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
);

/**
 * The shared reliability launcher: it resolves once the server printed its start message (printed only once
 * GET /health/ready would answer 200 — the projections at the log head seen at start, so the bootstrap admin
 * can sign in), then checks /health/ready once. No polling loop.
 */
const start = (dataDir: string): Promise<Server> =>
  startServer(dataDir, { ...CONFIGURED_ADAPTERS, ...SHARED_SERVER_NAMES, READ_YOUR_WRITES_MS: '0', AUTH: 'tokens', ADMIN_PASSWORD });

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('durability (kill -9 and restart, embedded stack)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-kill9-'));
  let server: Server | null = null;
  afterAll(() => {
    server?.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command across a kill -9, and projections catch up', async () => {
    server = await start(dataDir);
    const first = server;
    const base = first.base;

    const { creditCodeCheckChar } = await import('../../domain/registration');
    const applied = await (
      await fetch(`${base}/api/v1/entities`, json({
        name: '耐久测试合作社', entityType: 'cooperative', regionCode: '469027', address: '乐东县', legalRepresentative: '符海生',
        contactPhone: '13807610001', creditCode: '93469027MA5T4K1X0' + creditCodeCheckChar('93469027MA5T4K1X0'), products: ['豇豆'],
        bases: [{ name: '基地', regionCode: '469027', address: '佛罗镇', lat: 18.601234, lon: 108.780512, products: ['豇豆'] }],
      }))
    ).json() as { entityId: string };
    const login = async (username: string, password: string) => {
      const res = await fetch(`${base}/api/v1/auth/login`, json({ username, password }));
      expect(res.status).toBe(200);
      const signedIn = (await res.json()) as { token: string; account: { mustChangePassword: boolean } };
      const first = { authorization: `Bearer ${signedIn.token}` };
      if (!signedIn.account.mustChangePassword) return first;
      // An initial password: the token opens only /auth/password and /auth/me until the owner sets their own.
      const changed = await fetch(`${base}/api/v1/auth/password`, json({ currentPassword: password, newPassword: `${password}-own` }, first));
      expect(changed.status).toBe(200);
      return { authorization: `Bearer ${((await changed.json()) as { token: string }).token}` };
    };
    const admin = await login('admin', ADMIN_PASSWORD);
    const approve = await fetch(`${base}/api/v1/entities/${applied.entityId}/approve`, json({}, admin));
    expect(approve.status).toBe(200);
    const { account } = (await approve.json()) as { account: { username: string; initialPassword: string } };
    const producer = await login(account.username, account.initialPassword);

    // Fire lot creations back to back and kill -9 the server while requests are in flight.
    const acknowledged: string[] = [];
    let sixtyAcknowledged!: () => void;
    const sixty = new Promise<void>((resolve) => (sixtyAcknowledged = resolve));
    let inFlight = 0;
    let killed = false;
    const fire = async (i: number) => {
      inFlight++;
      try {
        const res = await fetch(`${base}/api/v1/lots`, json({ entityId: applied.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: i + 1, unit: 'kg' }, productionDate: '2026-11-20' }, producer));
        if (res.status === 201) acknowledged.push(((await res.json()) as { traceCode: string }).traceCode);
        if (acknowledged.length === 60) sixtyAcknowledged();
      } catch {
        /* connection reset by the kill: not acknowledged */
      } finally {
        inFlight--;
      }
    };
    const workers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = w; i < 10_000 && !killed; i += 4) await fire(i);
    });
    await sixty;
    expect(inFlight).toBeGreaterThan(0);
    killed = true;
    const gone = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await Promise.all([workers, gone]);
    const acked = [...acknowledged];
    expect(acked.length).toBeGreaterThanOrEqual(60);

    // Restart on the same data directory (on a new free port: the answers come from the ledger, not the port).
    server = await start(dataDir);
    const restarted = server.base;
    for (const code of acked) {
      const res = await fetch(`${restarted}/api/v1/audit/streams/lot-${code}`, { headers: admin });
      expect(res.status).toBe(200);
    }
    // Projections caught up from their checkpoints before the restarted server declared itself ready, so
    // every acknowledged lot is visible at once.
    for (const code of acked) expect((await fetch(`${restarted}/api/v1/trace/${code}`)).status).toBe(200);
    const verify = (await (await fetch(`${restarted}/api/v1/audit/verify`, { headers: admin })).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
    // And the ledger still takes writes after the crash.
    const after = await fetch(`${restarted}/api/v1/lots`, json({ entityId: applied.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 1, unit: 'kg' }, productionDate: '2026-11-20' }, producer));
    expect(after.status).toBe(201);
    await server.stop();
    server = null;
  }, 240_000);
});
