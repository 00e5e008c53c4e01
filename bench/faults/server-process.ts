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

  /**
   * Starts the server and resolves once it is ready: main.ts prints its start message ("Suyuan is running
   * at") only after every projection reached the log head seen at start, so the harness awaits that line —
   * the server's own signal, not a poll or a guessed start-up time — then checks GET /health/ready once.
   */
  async start(timeoutMs = 180_000): Promise<number> {
    const started = Date.now();
    this.output = '';
    const child = spawn(process.execPath, ['-r', REGISTER, path.join(ROOT, 'infrastructure', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server not ready within ${timeoutMs / 1000} s:\n${this.tail()}`));
      }, timeoutMs);
      const keep = (d: Buffer) => {
        this.output = (this.output + d.toString()).slice(-20_000);
        if (this.output.includes('Suyuan is running at')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) while starting:\n${this.tail()}`));
      });
    });
    const ready = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(10_000) });
    if (ready.status !== 200) throw new Error(`server printed its start message but /health/ready answered ${ready.status}:\n${this.tail()}`);
    return Date.now() - started;
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
