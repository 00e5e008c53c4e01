import type { EventStore, RecordedEvent, Subscription } from '../../application/ports/event-store';
import type { ReadStore } from '../../application/ports/read-store';
import type { SearchIndex } from '../../application/ports/search-index';
import { upcast } from '../../application/ledger/upcasters';
import { BatchContext } from './batch-context';
import type { Projection } from './projection';

const META = '_projections';
const DEAD_LETTERS = '_dead_letters';
export const SEARCH_ALIAS = 'search';

export interface ProjectionStatus {
  name: string;
  version: number;
  generation: number;
  checkpoint: number;
  head: number;
  lag: number;
  deadLetters: number;
  rebuilding: boolean;
}

interface Live {
  projection: Projection;
  generation: number;
  checkpoint: number;
  subscription: Subscription | null;
  deadLetters: number;
}

export interface RunnerLogger {
  info(msg: string, extra?: object): void;
  error(msg: string, extra?: object): void;
}

/**
 * Runs every projection on its own catch-up subscription to the global log.
 * Per batch: fold events into changes (BatchContext), write search docs, then documents + checkpoint together.
 * Physical names carry a generation (`lots__g2`, `search__g2`); a rebuild fills generation n+1 beside
 * the live one and swaps when caught up (blue/green), so readers never see a half-built model.
 */
export class ProjectionRunner {
  private readonly live = new Map<string, Live>();
  private readonly owner = new Map<string, string>(); // logical collection → projection name
  private readonly rebuilding = new Set<string>();
  private readonly waiters: { position: number; resolve: () => void }[] = [];
  private stopped = false;

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly search: SearchIndex,
    private readonly projections: readonly Projection[],
    private readonly log: RunnerLogger,
    private readonly indexes: Record<string, string[][]> = {},
    private readonly batchSize = 500,
  ) {
    for (const p of projections) for (const c of p.collections) this.owner.set(c, p.name);
  }

  static physicalName(collection: string, generation: number): string {
    return `${collection}__g${generation}`;
  }

  /** Physical collection currently serving reads for a logical read-model collection. */
  collection(logical: string): string {
    const name = this.owner.get(logical);
    const live = name ? this.live.get(name) : undefined;
    if (!live) throw new Error(`No live projection owns collection ${logical}`);
    return ProjectionRunner.physicalName(logical, live.generation);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.search.createIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, 0)).catch(() => undefined);
    for (const p of this.projections) {
      const meta = await this.reads.get(META, p.name);
      if (meta && meta.version === p.version) {
        const generation = meta.generation as number;
        const checkpoint = (await this.reads.getCheckpoint(this.checkpointName(p, generation))) ?? 0;
        await this.ensureIndexes(p, generation);
        this.goLive(p, generation, checkpoint);
      } else {
        // First start, or the code's version differs from the stored one: build a new generation.
        // The old generation (if any) is not served by this code, so build before going live.
        await this.rebuildNow(p, meta ? (meta.generation as number) : 0);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.live.values()].map((l) => l.subscription?.close()));
    for (const l of this.live.values()) l.subscription = null;
  }

  /** Resolves when every projection has processed the log up to `position` (read-your-writes). */
  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    if (this.minCheckpoint() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.events.headPosition();
    return [...this.live.values()].map((l) => ({
      name: l.projection.name,
      version: l.projection.version,
      generation: l.generation,
      checkpoint: l.checkpoint,
      head,
      lag: Math.max(0, head - l.checkpoint),
      deadLetters: l.deadLetters,
      rebuilding: this.rebuilding.has(l.projection.name),
    }));
  }

  /** Blue/green rebuild of one projection (or all) while the current generation keeps serving. */
  async rebuild(name?: string): Promise<void> {
    for (const p of this.projections.filter((x) => !name || x.name === name)) {
      const current = this.live.get(p.name);
      await this.rebuildNow(p, current?.generation ?? 0);
    }
  }

  private async ensureIndexes(p: Projection, generation: number): Promise<void> {
    for (const c of p.collections)
      for (const paths of this.indexes[c] ?? []) await this.reads.ensureIndex(ProjectionRunner.physicalName(c, generation), paths);
  }

  private checkpointName(p: Projection, generation: number): string {
    return `${p.name}@g${generation}`;
  }

  private minCheckpoint(): number {
    let min = Infinity;
    for (const l of this.live.values()) min = Math.min(min, l.checkpoint);
    return min === Infinity ? 0 : min;
  }

  private notifyWaiters(): void {
    const reached = this.minCheckpoint();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.position <= reached) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }

  private goLive(p: Projection, generation: number, checkpoint: number, deadLetters = 0): void {
    const live: Live = { projection: p, generation, checkpoint, subscription: null, deadLetters };
    this.live.set(p.name, live);
    this.subscribe(live, 0);
  }

  /**
   * A subscription ends when a batch cannot be stored (e.g. the read store is down): resubscribe from the
   * last stored checkpoint with a capped back-off, so a projection never stays stopped silently.
   */
  private subscribe(live: Live, failures: number): void {
    if (this.stopped || this.live.get(live.projection.name) !== live) return;
    const p = live.projection;
    live.subscription = this.events.subscribe({
      afterPosition: live.checkpoint,
      batchSize: this.batchSize,
      onEvents: async (batch) => {
        live.checkpoint = await this.applyBatch(p, live.generation, batch, live);
        failures = 0;
        this.notifyWaiters();
      },
      onError: (err) => {
        const delay = Math.min(30_000, 500 * 2 ** failures);
        this.log.error(`projection ${p.name} subscription failed; resubscribing`, { err: err.message, checkpoint: live.checkpoint, retryInMs: delay });
        const timer = setTimeout(() => this.subscribe(live, failures + 1), delay);
        timer.unref();
      },
    });
  }

  private async rebuildNow(p: Projection, oldGeneration: number): Promise<void> {
    this.rebuilding.add(p.name);
    const generation = oldGeneration + 1;
    const started = Date.now();
    try {
      for (const c of p.collections) await this.reads.dropCollection(ProjectionRunner.physicalName(c, generation));
      await this.reads.deleteCheckpoint(this.checkpointName(p, generation));
      await this.ensureIndexes(p, generation);
      if (p.search) {
        await this.search.dropIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, generation));
        await this.search.createIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, generation));
      }
      const shadow: Live = { projection: p, generation, checkpoint: 0, subscription: null, deadLetters: 0 };
      let count = 0;
      for (;;) {
        const batch = await this.events.readAll({ afterPosition: shadow.checkpoint, maxCount: this.batchSize * 4 });
        if (batch.length === 0) break;
        shadow.checkpoint = await this.applyBatch(p, generation, batch, shadow);
        count += batch.length;
      }
      // Caught up: swap. Stop the old live subscription first so only one generation writes at a time.
      const old = this.live.get(p.name);
      await old?.subscription?.close();
      const metaDoc = await this.reads.get(META, p.name);
      await this.reads.applyChanges(
        `${META}:${p.name}`,
        [{ op: 'put', collection: META, doc: { _id: p.name, _v: (metaDoc?._v ?? 0) + 1, version: p.version, generation } }],
        generation,
      );
      if (p.search) await this.search.setAlias(SEARCH_ALIAS, ProjectionRunner.physicalName(SEARCH_ALIAS, generation));
      this.goLive(p, generation, shadow.checkpoint, shadow.deadLetters);
      if (oldGeneration > 0) {
        for (const c of p.collections) await this.reads.dropCollection(ProjectionRunner.physicalName(c, oldGeneration));
        await this.reads.deleteCheckpoint(this.checkpointName(p, oldGeneration));
        if (p.search) await this.search.dropIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, oldGeneration));
      }
      const ms = Date.now() - started;
      this.log.info(`projection ${p.name} v${p.version} built as generation ${generation}`, { events: count, ms });
    } finally {
      this.rebuilding.delete(p.name);
    }
  }

  /** Applies a batch; returns the new checkpoint (the last position of the batch). */
  private async applyBatch(p: Projection, generation: number, batch: RecordedEvent[], live: Live): Promise<number> {
    const ctx = new BatchContext(this.reads, (c) => ProjectionRunner.physicalName(c, generation));
    const handled = new Set(p.handles);
    for (const raw of batch) {
      if (handled.size > 0 && !handled.has(raw.type)) continue;
      const event = upcast(raw);
      ctx.position = event.position;
      try {
        await p.apply(event, ctx);
      } catch (err) {
        // A poison event must not stop the projection silently: park it, alert, go on.
        live.deadLetters++;
        const message = err instanceof Error ? err.message : String(err);
        this.log.error(`projection ${p.name} dead-lettered event`, { position: event.position, type: event.type, message });
        ctx.position = event.position;
        ctx.put(DEAD_LETTERS, { _id: `${p.name}:${event.position}`, projection: p.name, error: message, event });
      }
    }
    const last = batch[batch.length - 1]!.position;
    if (p.search) {
      const { upserts, deletes } = ctx.searchChanges();
      const index = ProjectionRunner.physicalName(SEARCH_ALIAS, generation);
      if (upserts.length) await this.search.bulkIndex(index, upserts);
      if (deletes.length) await this.search.bulkDelete(index, deletes);
    }
    await this.reads.applyChanges(this.checkpointName(p, generation), ctx.changes(), last);
    return last;
  }
}
