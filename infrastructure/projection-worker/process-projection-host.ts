import { PositionWaiters } from './position-waiters';
import type { EventStore } from '../../application/ports/event-store';
import type { ReadStore } from '../../application/ports/read-store';
import type { Projection } from '../../projections/runner/projection';
import { ProjectionRunner, type ProjectionHost, type ProjectionStatus, type RunnerLogger } from '../../projections/runner/projection-runner';
import { readPublishedState, readRebuildRequest, writeRebuildRequest, type PublishedState } from './published-state';

export interface ProcessHostOptions {
  /** Poll interval while a command waits for its read-your-writes (one indexed read of one document). */
  busyPollMs?: number;
  /** Poll interval otherwise (generations after a rebuild, status). Must stay well under the worker's grace. */
  idlePollMs?: number;
}

/**
 * The projections seen from an API process when they run in a SEPARATE projection worker process
 * (PROJECTIONS=process, `npm run projections`; decision 0022). Nothing folds here: the host polls the state the
 * worker publishes in the shared read store (published-state.ts) — folded position for read-your-writes,
 * generations for the readers' physical names — and hands rebuild requests over through the same store.
 * Several API processes may run beside one worker; none of them has to be up for the worker to fold.
 */
export class ProcessProjectionHost implements ProjectionHost {
  private readonly owner = new Map<string, string>(); // logical collection → projection name
  private state: PublishedState | null = null;
  private readonly waiters = new PositionWaiters();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private stopped = true;
  private readonly busyPollMs: number;
  private readonly idlePollMs: number;

  constructor(
    private readonly reads: ReadStore,
    private readonly events: EventStore,
    projections: readonly Projection[],
    private readonly log: RunnerLogger,
    options: ProcessHostOptions = {},
  ) {
    for (const p of projections) for (const c of p.collections) this.owner.set(c, p.name);
    this.busyPollMs = options.busyPollMs ?? 5;
    this.idlePollMs = options.idlePollMs ?? 200;
  }

  collection(logical: string): string {
    const name = this.owner.get(logical);
    const generation = name ? this.state?.generations[name] : undefined;
    if (generation === undefined) throw new Error(`No live projection owns collection ${logical}`);
    return ProjectionRunner.physicalName(logical, generation);
  }

  rebuildingNames(): string[] {
    return [...(this.state?.rebuilding ?? [])];
  }

  /** Waits until the worker process has published its generations (it may start after this process). */
  async start(): Promise<void> {
    this.stopped = false;
    let waited = 0;
    for (;;) {
      await this.poll();
      if (this.state && Object.keys(this.state.generations).length > 0) break;
      if (waited % 10_000 === 0) this.log.info('waiting for the projection worker process (npm run projections) to publish its state');
      await new Promise((resolve) => setTimeout(resolve, this.idlePollMs));
      waited += this.idlePollMs;
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    if ((this.state?.position ?? 0) >= position) return Promise.resolve(true);
    const answered = this.waiters.wait(position, timeoutMs);
    this.schedule(); // from the idle interval to the busy one
    return answered;
  }

  async status(): Promise<ProjectionStatus[]> {
    await this.poll();
    const head = await this.events.headPosition();
    return (this.state?.statuses ?? []).map((s) => ({ ...s, head, lag: Math.max(0, head - s.checkpoint) }));
  }

  /** Asks the worker process for a rebuild and resolves when it has swapped the new generations in. */
  async rebuild(name?: string): Promise<void> {
    await this.poll();
    const previous = await readRebuildRequest(this.reads);
    const seq = Math.max(previous?.seq ?? 0, this.state?.rebuildDone ?? 0) + 1;
    await writeRebuildRequest(this.reads, { seq, ...(name ? { name } : {}) });
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, this.idlePollMs));
      await this.poll();
      if ((this.state?.rebuildDone ?? 0) >= seq) break;
    }
    if (this.state?.rebuildError) throw new Error(`rebuild failed in the projection worker process: ${this.state.rebuildError}`);
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = this.waiters.size > 0 ? this.busyPollMs : this.idlePollMs;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll().finally(() => {
        if (!this.timer) this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const state = await readPublishedState(this.reads);
      if (state) this.adopt(state);
    } catch (err) {
      this.log.error('reading the projection worker state failed', { err: err instanceof Error ? err.message : String(err) });
    } finally {
      this.polling = false;
    }
  }

  private adopt(state: PublishedState): void {
    this.state = state;
    this.waiters.reached(state.position);
  }
}
