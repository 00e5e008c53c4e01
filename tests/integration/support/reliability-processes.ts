import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

/**
 * The real server and the backup/restore CLIs as child processes (run from the TypeScript sources through
 * SWC), for the reliability tests: a backup taken while another process serves, a restore into a new
 * directory, a server that finds its read-model file damaged at start.
 */
export const ROOT = path.resolve(__dirname, '../../..');
const REGISTER = path.join(ROOT, 'tests/support/swc-register.js');
/** The tests act as the provincial platform through the development identity headers. */
export const SYSTEM_HEADERS = { 'X-Role': 'system', 'X-Org-Id': 'platform', 'X-User-Id': 'reliability-test' };

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Server {
  base: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function serverEnv(dataDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO_DATA: 'off',
    LOG_LEVEL: 'error',
    AUTH: 'dev-headers',
    CHECKPOINT_INTERVAL_MS: '0',
    // An idle server appends nothing: the upload counts of the batches these tests send are not recorded.
    UPLOAD_COUNT_INTERVAL_MS: '0',
    READ_YOUR_WRITES_MS: '3000',
    RATE_LIMIT_PUBLIC_PER_MIN: '1000000',
    ADMIN_PASSWORD: 'Reliability-Admin-2026',
    EVENT_STORE: 'sqlite',
    READ_STORE: 'sqlite',
    SEARCH: 'sqlite',
    QUEUE: 'local',
    ...extra,
  };
}

/** Starts main.ts on `dataDir` and resolves once GET /health/ready answers 200 (the server's own signal). */
export async function startServer(dataDir: string, extra: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['-r', REGISTER, path.join(ROOT, 'infrastructure/main.ts')], { cwd: ROOT, env: serverEnv(dataDir, port, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // main.ts prints its start message only once /health/ready would answer 200: await that line, not a poll.
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server not ready within 120 s:\n${out.slice(-3000)}`));
    }, 120_000);
    const onData = (d: Buffer) => {
      out += String(d);
      if (out.includes('Suyuan is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += String(d)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out.slice(-3000)}`));
    });
  });
  await started;
  const ready = await fetch(`${base}/health/ready`);
  if (ready.status !== 200) throw new Error(`server printed its start message but /health/ready answered ${ready.status}`);
  return {
    base,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs infrastructure/cli/<name>.ts with DATA_DIR set, to completion. */
export function runCli(name: 'backup' | 'restore', args: string[], dataDir: string, extra: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', REGISTER, path.join(ROOT, `infrastructure/cli/${name}.ts`), ...args], {
      cwd: ROOT,
      env: { ...serverEnv(dataDir, 0), LOG_LEVEL: 'silent', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function getJson<T = any>(base: string, p: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${p}`, { headers: SYSTEM_HEADERS });
  return { status: res.status, body: (await res.json()) as T };
}

export async function postJson<T = any>(base: string, p: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${p}`, { method: 'POST', headers: { ...SYSTEM_HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}
