import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Durability of the embedded stack: run the real server as a child process, kill -9 it in the middle of
 * a stream of commands, start it again on the same data directory, and check that every acknowledged
 * command is in the ledger and the read models catch up (nothing acknowledged is lost).
 */
const ROOT = path.resolve(__dirname, '../..');
const ADMIN_PASSWORD = 'Durable-Admin-2026';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Names of this run on a shared MongoDB / Elasticsearch / Redis (the mixed-configuration CI run): the same
 * for the server before and after the kill, new for every run — a rerun must not find the read models and
 * checkpoints of an earlier run (they would sit ahead of this run's fresh ledger and hide its lots).
 */
const RUN = `${process.pid}_${Date.now()}`;
const SHARED_SERVER_NAMES = { MONGODB_DB: `suyuan_durability_${RUN}`, ELASTICSEARCH_INDEX_PREFIX: `suyuan-durability-${RUN}-`, QUEUE_PREFIX: `suyuan-durability-${RUN}` };

function startServer(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, ['-r', path.join(ROOT, 'tests/support/swc-register.js'), path.join(ROOT, 'infrastructure/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...SHARED_SERVER_NAMES, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'off', LOG_LEVEL: 'error', READ_YOUR_WRITES_MS: '0', AUTH: 'tokens', ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Resolves once the server is ready (GET /health/ready = 200): start-up done and every projection at the log
 * head seen then, so the bootstrap admin can sign in and every acknowledged lot is projected. Polling is a
 * wait for the server's own signal, not a guess at how long start-up takes; it gives up after 2 minutes.
 */
async function waitReady(base: string, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become ready: ${stderr}`);
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('durability (kill -9 and restart, embedded stack)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-kill9-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command across a kill -9, and projections catch up', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = startServer(dataDir, port);
    await waitReady(base, child);

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
      for (let i = w; i < 10_000 && child!.exitCode === null; i += 4) await fire(i);
    });
    await sixty;
    expect(inFlight).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await Promise.all(workers);
    const acked = [...acknowledged];
    expect(acked.length).toBeGreaterThanOrEqual(60);

    // Restart on the same data directory.
    child = startServer(dataDir, port);
    await waitReady(base, child);
    for (const code of acked) {
      const res = await fetch(`${base}/api/v1/audit/streams/lot-${code}`, { headers: admin });
      expect(res.status).toBe(200);
    }
    // Projections caught up from their checkpoints before the restarted server declared itself ready, so
    // every acknowledged lot is visible at once.
    for (const code of acked) expect((await fetch(`${base}/api/v1/trace/${code}`)).status).toBe(200);
    const verify = (await (await fetch(`${base}/api/v1/audit/verify`, { headers: admin })).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
    // And the ledger still takes writes after the crash.
    const after = await fetch(`${base}/api/v1/lots`, json({ entityId: applied.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 1, unit: 'kg' }, productionDate: '2026-11-20' }, producer));
    expect(after.status).toBe(201);
    child.kill('SIGTERM');
  }, 120_000);
});
