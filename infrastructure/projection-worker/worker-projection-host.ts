import { PositionWaiters } from './position-waiters';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Projection } from '../../projections/runner/projection';
import { ProjectionRunner, type ProjectionHost, type ProjectionStatus, type RunnerLogger } from '../../projections/runner/projection-runner';
import type { AppConfig } from '../config/config';
import { AppendNotifier } from '../sqlite/append-notifier';
import type { FromWorker, HostRequest, RunnerState, ToWorker } from './protocol';

/**
 * The projection runner seen from the API thread when the projections run in a worker thread
 * (PROJECTIONS=worker, decision 0022). It keeps the read-your-writes waiters here and resolves them from the
 * folded positions the worker posts, names the physical collection of each logical one from the generations
 * the worker posts (acknowledged before the worker drops an old generation), and forwards start, stop, status
 * and rebuild. An append on this thread wakes the worker's tail at once (the SQLite store's own wake-up is
 * per thread; without it the tail would see appends only at its next poll).
 */
export class WorkerProjectionHost implements ProjectionHost {
  private worker: Worker | null = null;
  private readonly owner = new Map<string, string>(); // logical collection → projection name
  private state: RunnerState = { position: 0, generations: {}, rebuilding: [] };
  private readonly waiters = new PositionWaiters();
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private stopping = false;
  private unlisten: (() => void) | null = null;
  private restarts = 0;

  constructor(
    private readonly config: AppConfig,
    projections: readonly Projection[],
    private readonly log: RunnerLogger,
  ) {
    for (const p of projections) for (const c of p.collections) this.owner.set(c, p.name);
  }

  collection(logical: string): string {
    const name = this.owner.get(logical);
    const generation = name ? this.state.generations[name] : undefined;
    if (generation === undefined) throw new Error(`No live projection owns collection ${logical}`);
    return ProjectionRunner.physicalName(logical, generation);
  }

  rebuildingNames(): string[] {
    return [...this.state.rebuilding];
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.spawn();
    if (this.config.EVENT_STORE === 'sqlite' && !this.unlisten) {
      this.unlisten = new AppendNotifier(path.join(this.config.dataDir, 'events.sqlite')).listen(() => this.send({ type: 'wake' }));
    }
    await this.request({ kind: 'start' });
  }

  async stop(): Promise<void> {
    if (!this.worker) return;
    this.stopping = true;
    this.unlisten?.();
    this.unlisten = null;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    try {
      await this.request({ kind: 'stop' });
      // The worker closed its connections and ends by itself; terminate it only if it does not.
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    } finally {
      this.worker = null;
      await worker.terminate();
    }
  }

  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    if (this.state.position >= position) return Promise.resolve(true);
    return this.waiters.wait(position, timeoutMs);
  }

  async status(): Promise<ProjectionStatus[]> {
    return (await this.request({ kind: 'status' })) as ProjectionStatus[];
  }

  async rebuild(name?: string): Promise<void> {
    await this.request({ kind: 'rebuild', ...(name ? { name } : {}) });
  }

  private spawn(): void {
    const entry = path.join(__dirname, `worker-thread${path.extname(__filename)}`);
    // A larger young generation: a fold allocates many short-lived documents per batch, and with V8's default
    // semi-spaces the scavenger ran every few hundred events. bench/rebuild-rate.ts, lots + audit-log + search +
    // trace-graph, two alternating pairs at load 17 (node --max-semi-space-size=64, i.e. a 192 MB young
    // generation): CPU per event 100.1 → 96.8 and 107.6 → 92.8 µs, wall clock +10 % and +8 % (decision 0022).
    const worker = new Worker(bootstrap(entry), { eval: true, workerData: { config: this.config }, resourceLimits: { maxYoungGenerationSizeMb: 192 } });
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (err) => this.log.error('projection worker failed', { err: err.message }));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new Error(`projection worker exited (${code})`));
      this.pending.clear();
      if (this.stopping) return;
      // The projections must not stop silently: start a new worker from the stored checkpoints, with back-off.
      const delay = Math.min(30_000, 500 * 2 ** this.restarts++);
      this.log.error('projection worker exited; restarting it', { code, retryInMs: delay });
      setTimeout(() => {
        if (this.stopping || this.worker) return;
        this.spawn();
        this.request({ kind: 'start' }).then(
          () => (this.restarts = 0),
          (err: Error) => this.log.error('projection worker restart failed', { err: err.message }),
        );
      }, delay).unref();
    });
    this.worker = worker;
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private request(request: HostRequest): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      if (!this.worker) return reject(new Error('projection worker is not running'));
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'request', id, request });
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'log':
        if (message.level === 'error') this.log.error(message.msg, message.extra);
        else this.log.info(message.msg, message.extra);
        return;
      case 'generations':
        this.adopt(message.state);
        this.send({ type: 'ack', id: message.id });
        return;
      case 'progress':
        this.adopt(message.state);
        return;
      case 'reply': {
        this.adopt(message.state);
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok) p?.resolve(message.value);
        else p?.reject(new Error(message.error));
        return;
      }
    }
  }

  private adopt(state: RunnerState): void {
    this.state = state;
    this.waiters.reached(state.position);
  }
}

/**
 * The worker's first code: under ts sources (jest, the benchmarks, `node -r swc-register`) it compiles `.ts`
 * files with SWC as they are required, as the parent does; from dist/ it just requires the compiled entry.
 */
function bootstrap(entry: string): string {
  const register = entry.endsWith('.ts')
    ? `if (!require.extensions['.ts']) {
         const fs = require('node:fs');
         const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
         require.extensions['.ts'] = function (module, filename) {
           const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
             filename,
             jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
             module: { type: 'commonjs' },
           });
           module._compile(code, filename);
         };
       }`
    : '';
  return `${register}\nrequire(${JSON.stringify(entry)});`;
}
