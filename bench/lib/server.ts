import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { HttpClient } from './http';
import { memoryOf } from './machine';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BENCH_DATA = path.join(ROOT, 'bench', '.data');
const REGISTER = path.join(ROOT, 'bench', 'support', 'swc-register.js');

/** The benchmark acts as a provincial platform (system role) through the development identity headers. */
export const SYSTEM_HEADERS = { 'X-Role': 'system', 'X-Org-Id': 'platform', 'X-User-Id': 'bench-platform' };

export interface ServerOptions {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the server to this directory (on exit). */
  cpuProfileDir?: string;
}

export interface RunningServer {
  url: string;
  pid: number;
  client: HttpClient;
  memory(): { peakMb: number; rssMb: number } | null;
  stop(): Promise<void>;
}

/**
 * Starts the real server (infrastructure/main.ts, as `npm start` would, but through SWC instead of a tsc
 * build) in its own process, on the embedded stack, and waits until it answers.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  if (await portAnswers(options.port)) throw new Error(`port ${options.port} is already in use: stop whatever listens there (a server left over from an interrupted run?)`);
  const args = ['-r', REGISTER];
  if (options.cpuProfileDir) args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  args.push(path.join(ROOT, 'infrastructure', 'main.ts'));
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    DEMO_DATA: 'off',
    AUTH: 'dev-headers',
    LOG_LEVEL: 'warn',
    CHECKPOINT_INTERVAL_MS: '0',
    // A load test is one client address: the public route's per-address limit must not be what is measured.
    RATE_LIMIT_PUBLIC_PER_MIN: '100000000',
    // …and one benchmark account stands for thousands of users: its per-account limit (issue 11) is not measured either.
    RATE_LIMIT_ACCOUNT_PER_MIN: '100000000',
    ADMIN_PASSWORD: 'Bench-Admin-Pass-2026',
    TRACE_CODE_SECRET: 'bench-trace-code-secret-0123456789',
    ...options.env,
  };
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Kept beside the data directory too: a server that dies mid-run (ECONNRESET in the driver) left nothing to read.
  const logFile = fs.createWriteStream(`${options.dataDir}.server.log`);
  child.stdout!.on('data', (d: Buffer) => ((output += d.toString()), logFile.write(d)));
  child.stderr!.on('data', (d: Buffer) => ((output += d.toString()), logFile.write(d)));
  child.once('exit', (code, signal) => {
    logFile.end(`\n[server exited: code ${code}, signal ${signal}]\n`);
    if (!stopping) process.stderr.write(`[bench] server on port ${options.port} exited unexpectedly (code ${code}, signal ${signal}); its output: ${options.dataDir}.server.log\n${output.slice(-2000)}\n`);
  });
  let stopping = false;
  const url = `http://127.0.0.1:${options.port}`;
  const client = new HttpClient(url, SYSTEM_HEADERS);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Never leave a server behind when the driver dies (an exception, Ctrl-C).
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) while starting:\n${output.slice(-3000)}`);
    try {
      const res = await client.get('/api/v1/admin/projections');
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within 120 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    client,
    memory: () => memoryOf(child.pid!),
    async stop() {
      stopping = true;
      client.close();
      process.removeListener('exit', orphanGuard);
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until every projection has processed the log up to its head; returns the ms it took. */
export async function waitForProjections(client: HttpClient, timeoutMs = 3_600_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const { body } = await client.get<{ lag: number }[]>('/api/v1/admin/projections');
    if (body.every((p) => p.lag === 0)) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error('projections did not catch up');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function headPosition(client: HttpClient): Promise<number> {
  const { body } = await client.get<{ head: number }[]>('/api/v1/admin/projections');
  return body[0]?.head ?? 0;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
