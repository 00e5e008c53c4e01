import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = path.join(ROOT, 'bench', 'support', 'swc-register.js');

/**
 * The real server (infrastructure/main.ts through SWC, as `npm run bench` starts it) as a child process the
 * harness can kill -9. Its environment is fixed for the whole run (the same DATA_DIR and, in the mixed
 * configuration, the same database / index / queue names), so a restart finds what the killed one left.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server and resolves once GET /health/ready answers 200 (projections at the log head seen at start). */
  async start(timeoutMs = 180_000): Promise<number> {
    const started = Date.now();
    this.output = '';
    const child = spawn(process.execPath, ['-r', REGISTER, path.join(ROOT, 'infrastructure', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await this.waitReady(started + timeoutMs);
    return Date.now() - started;
  }

  /** GET /health/ready until 200: waiting on the server's own signal, never on a guessed start-up time. */
  async waitReady(deadline: number): Promise<void> {
    for (;;) {
      if (!this.running) throw new Error(`server exited while starting:\n${this.output.slice(-4000)}`);
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        if (res.status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`server not ready in time:\n${this.output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** kill -9: no shutdown hook runs, in-flight requests are cut. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  /** Graceful stop (SIGTERM: the server closes HTTP, projections, queue and stores). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(timer);
  }

  tail(): string {
    return this.output.slice(-4000);
  }
}
