import type { EventStore, RecordedEvent, Subscription } from '../../application/ports/event-store';
import type { CheckpointedChanges, ReadStore } from '../../application/ports/read-store';
import type { SearchIndex } from '../../application/ports/search-index';
import { upcast } from '../../application/ledger/registered-upcasters';
import { BatchContext, ReadStoreUnavailable } from './batch-context';
import type { Projection } from './projection';
import { foldInParts } from './straddles';

export const META = '_projections';
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
  /**
   * Which tail folds it: `commands` (what a command's answer waits for) or `eventual` (dashboards, decision 0025),
   * so that a lag can be read per lane.
   */
  consistency: 'commands' | 'eventual';
}

interface Live {
  projection: Projection;
  generation: number;
  /** Folded up to here (what read-your-writes waits on). */
  checkpoint: number;
  deadLetters: number;
  /**
   * Stored checkpoint of a search projection: only positions whose search documents were flushed to disk
   * (SearchIndex.flush), so a power cut can never leave the checkpoint ahead of the index.
   */
  durable?: number;
  /**
   * An old generation still served, unchanged, while its projection's new version rebuilds beside it (a deploy
   * bumped the version): the tail does not fold it (the new code may not fit the old shape) and read-your-writes
   * does not wait for it, so the platform serves during the rebuild. The rebuild's swap replaces it.
   */
  frozen?: boolean;
}

/**
 * What the platform uses of a projection runner, in-process (ProjectionRunner) or off the request thread
 * (infrastructure/projection-worker): readers ask `collection`, commands `waitFor`, health and admin the rest.
 */
export interface ProjectionHost {
  start(): Promise<void>;
  stop(): Promise<void>;
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
  status(): Promise<ProjectionStatus[]>;
  rebuild(name?: string): Promise<void>;
  collection(logical: string): string;
  /** Projections whose new version is still rebuilding while their old generation serves. */
  rebuildingNames(): string[];
}

/** Told to a host in another thread or process, so it can mirror the runner's state. */
export interface RunnerHooks {
  /** Every live projection (frozen ones aside) has folded the log up to `position`. */
  checkpointMoved?(position: number): void;
  /**
   * A new generation became live (projection name → generation). Awaited before the old generation is dropped,
   * so a reader elsewhere has switched before the old tables go away.
   */
  generationsChanged?(generations: Record<string, number>): Promise<void>;
}

/** How often the search index is made durable while projecting (bounds the replay after a power cut). */
const SEARCH_FLUSH_MS = 1000;

/**
 * The runner's tails. `commands`: the projections a command's answer waits for (read-your-writes), folded in
 * small batches as the log grows. `eventual`: the projections marked `consistency: 'eventual'` (decision 0025),
 * folded from a tail of their own in large batches, after a pause when a batch came short (more events per
 * counter document written); nothing waits for them but their own readers.
 */
type Lane = 'commands' | 'eventual';
/** A batch this large in the eventual lane means an ingest is running: the lane pauses to gather more. */
const EVENTUAL_BURST = 100;
/** The eventual lane's pause ends when the log has not grown for this long. */
const EVENTUAL_QUIET_MS = 200;
/** Changes per transaction in the eventual lane's commit (commitInSlices). */
const COMMIT_SLICE = 1000;
const LANES: readonly Lane[] = ['commands', 'eventual'];
const laneOf = (p: Projection): Lane => (p.consistency === 'eventual' ? 'eventual' : 'commands');

export interface RunnerLogger {
  info(msg: string, extra?: object): void;
  error(msg: string, extra?: object): void;
}

/**
 * Runs every live projection from ONE catch-up subscription to the global log (the "tail"): each batch is
 * read once, folded by every projection past whose checkpoint it reaches (BatchContext), search docs are
 * written, then all projections' documents and checkpoints are committed together. One reader and one
 * commit per batch instead of one per projection: with 14 projections, the per-batch fixed costs (a log
 * query, a transaction) dominated a single command's cost when each projection had its own subscription.
 * Physical names carry a generation (`lots__g2`, `search__g2`); a rebuild fills generation n+1 beside
 * the live one and swaps when caught up (blue/green), so readers never see a half-built model.
 */
export class ProjectionRunner implements ProjectionHost {
  private readonly live = new Map<string, Live>();
  private readonly owner = new Map<string, string>(); // logical collection → projection name
  private readonly rebuilding = new Set<string>();
  private readonly waiters: { position: number; resolve: () => void }[] = [];
  private readonly tails = new Map<Lane, Subscription>();
  private lastSearchFlush = 0;
  /** While start() brings the projections live one by one, the tails wait to open once for all of them. */
  private starting = false;
  private readonly tailFailures = new Map<Lane, number>();
  /**
   * The eventual lane's checkpoint writes for stretches of events it does not handle (onProgress is
   * synchronous): chained, and awaited before its next batch, so a stored checkpoint never goes back.
   */
  private eventualProgress: Promise<void> = Promise.resolve();
  /** Ends the eventual lane's pause between short batches at once (stop, a swap). */
  private endPause: (() => void) | null = null;
  private stopped = false;
  /** Rebuilds run one after another (a start-up rebuild and an admin rebuild must not fill the same generation). */
  private rebuildQueue: Promise<void> = Promise.resolve();
  /** The start-up rebuild of changed projections, running behind the served old generations. */
  private background: Promise<void> | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly search: SearchIndex,
    private readonly projections: readonly Projection[],
    private readonly log: RunnerLogger,
    private readonly indexes: Record<string, string[][]> = {},
    private readonly batchSize = 500,
    /** Wall clock of the search flush interval; injected by tests that must not sleep a second. */
    private readonly now: () => number = Date.now,
    private readonly hooks: RunnerHooks = {},
    /**
     * Log events per rebuild batch. A document is written once per batch however many events change it (the
     * overlay merges them), so a larger batch writes hot documents (a lot, an entity) fewer times; it also
     * holds the read store's write lock longer per commit.
     */
    private readonly rebuildBatchSize = batchSize * 4,
    /**
     * The eventual lane's longest pause after a short batch of at least EVENTUAL_BURST events (an ingest is
     * running): the events appended meanwhile are folded together, and a counter document is written once per
     * batch instead of once per few events. The pause ends as soon as the log has not grown for
     * EVENTUAL_QUIET_MS; a quieter log (a command's few events) is folded at once. 0 = no pause.
     * The pause bounds the lane's lag under a steady ingest (pause + one fold), and issue 17's goal is a lag
     * p99 ≤ 1 s: with 3 s, the S benchmark measured p50 2.0 s / p99 3.7 s at 2,188 events/s. 500 ms still
     * gathers ~1,000 events a batch at that rate (decision 0025: above ~2,000 the documents per event hardly fall).
     */
    private readonly eventualPauseMs = 500,
  ) {
    for (const p of projections) for (const c of p.collections) this.owner.set(c, p.name);
  }

  static physicalName(collection: string, generation: number): string {
    return `${collection}__g${generation}`;
  }

  /** The generation a physical collection name carries (physicalName's inverse). */
  static generationOf(physical: string): number {
    const m = /__g(\d+)$/.exec(physical);
    if (!m) throw new Error(`${physical} is not a generation's collection`);
    return Number(m[1]);
  }

  /** The name a projection's stored checkpoint has for a generation (what its readers can wait on). */
  static checkpointOf(projection: string, generation: number): string {
    return `${projection}@g${generation}`;
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
    this.starting = true;
    const changed: { projection: Projection; oldGeneration: number }[] = [];
    try {
      await this.search.createIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, 0)).catch(() => undefined);
      for (const p of this.projections) {
        const meta = await this.reads.get(META, p.name);
        const generation = meta ? (meta.generation as number) : 0;
        const searchOk = !meta || !p.search || (await this.searchAliasFollows(generation));
        if (meta && searchOk && generation > 0) {
          const checkpoint = (await this.reads.getCheckpoint(this.checkpointName(p, generation))) ?? 0;
          await this.ensureIndexes(p, generation);
          const frozen = meta.version !== p.version;
          this.live.set(p.name, { projection: p, generation, checkpoint, deadLetters: 0, durable: checkpoint, ...(frozen ? { frozen } : {}) });
          // A deploy changed the projection: the old generation serves while the new version fills beside it.
          if (frozen) {
            changed.push({ projection: p, oldGeneration: generation });
            this.rebuilding.add(p.name);
          }
        } else {
          // First start, or the live generation's search index is gone: nothing servable, build before going live.
          await this.rebuildNow(p, generation);
        }
      }
    } finally {
      this.starting = false;
    }
    this.openTail();
    if (changed.length > 0) {
      this.log.info('serving the old generations while changed projections rebuild', { projections: changed.map((c) => c.projection.name) });
      this.background = this.enqueueRebuild(changed).catch((err: unknown) => {
        for (const c of changed) this.rebuilding.delete(c.projection.name);
        this.log.error('start-up rebuild of changed projections failed; their old generations keep serving', { err: err instanceof Error ? err.message : String(err) });
      });
    }
  }

  /** Resolves when the start-up rebuild of changed projections (if any) has swapped them in. */
  async settled(): Promise<void> {
    await this.background;
  }

  rebuildingNames(): string[] {
    return [...this.rebuilding];
  }

  /** Projection name → live generation (what a host elsewhere needs to name the physical collections). */
  generations(): Record<string, number> {
    return Object.fromEntries([...this.live.values()].map((l) => [l.projection.name, l.generation]));
  }

  /** The lowest checkpoint read-your-writes waits on (frozen generations aside). */
  foldedPosition(): number {
    return this.minCheckpoint();
  }

  /**
   * Points the search alias at the generation the read store records as live (two stores: after a power cut
   * during a swap they could disagree). False when that generation's index is gone (a lost or replaced search
   * store): the projection must be rebuilt, or search would serve an index missing its documents.
   */
  private async searchAliasFollows(generation: number): Promise<boolean> {
    try {
      await this.search.setAlias(SEARCH_ALIAS, ProjectionRunner.physicalName(SEARCH_ALIAS, generation));
      return true;
    } catch (err) {
      this.log.info(`search index of generation ${generation} is missing; rebuilding the search projection`, { err: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.closeTail();
    // A start-up rebuild still running finishes its current batch and stops at the next check.
    await this.background;
  }

  /**
   * Resolves when every projection but the eventual ones has processed the log up to `position`
   * (read-your-writes: what a command's answer waits for). Readers of an eventual projection wait for its own
   * stored checkpoint (application/statistics/statistics-progress.ts).
   */
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
      consistency: laneOf(l.projection),
    }));
  }

  /** Blue/green rebuild of one projection (or all of them, from one read of the log) while the current generations keep serving. */
  async rebuild(name?: string): Promise<void> {
    await this.enqueueRebuild(null, name);
  }

  /** Rebuilds one after another; the targets are chosen when the rebuild's turn comes (generations move). */
  private enqueueRebuild(fixed: { projection: Projection; oldGeneration: number }[] | null, name?: string): Promise<void> {
    const run = this.rebuildQueue.then(async () => {
      const targets = fixed ?? this.projections.filter((x) => !name || x.name === name).map((p) => ({ projection: p, oldGeneration: this.live.get(p.name)?.generation ?? 0 }));
      if (targets.length > 0) await this.rebuildTogether(targets);
    });
    this.rebuildQueue = run.catch(() => undefined);
    return run;
  }

  private async ensureIndexes(p: Projection, generation: number): Promise<void> {
    for (const c of p.collections)
      for (const paths of this.indexes[c] ?? []) await this.reads.ensureIndex(ProjectionRunner.physicalName(c, generation), paths);
  }

  private checkpointName(p: Projection, generation: number): string {
    return ProjectionRunner.checkpointOf(p.name, generation);
  }

  private minCheckpoint(): number {
    let min = Infinity;
    let frozen = false;
    for (const l of this.live.values()) {
      if (l.frozen || laneOf(l.projection) === 'eventual') frozen = true;
      else min = Math.min(min, l.checkpoint);
    }
    // Only frozen (or eventual) generations live: nothing a command waits for.
    if (min === Infinity) return frozen ? Number.MAX_SAFE_INTEGER : 0;
    return min;
  }

  private notifyWaiters(): void {
    const reached = this.minCheckpoint();
    this.hooks.checkpointMoved?.(reached);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.position <= reached) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }

  private async closeTail(): Promise<void> {
    const tails = [...this.tails.values()];
    this.tails.clear();
    this.endPause?.();
    await Promise.all(tails.map((t) => t.close()));
    await this.eventualProgress;
  }

  private openTail(): void {
    for (const lane of LANES) this.openLane(lane);
  }

  /** The live projections a lane folds (frozen generations are folded by none). */
  private folding(lane: Lane): Live[] {
    return [...this.live.values()].filter((l) => !l.frozen && laneOf(l.projection) === lane);
  }

  /**
   * (Re)opens a lane's tail from its lowest live checkpoint; projections further ahead skip what they folded.
   * A tail ends when a batch cannot be stored (e.g. the read store is down): it is reopened from the
   * stored checkpoints with a capped back-off, so projections never stay stopped silently.
   */
  private openLane(lane: Lane): void {
    const folding = this.folding(lane);
    if (this.stopped || this.tails.has(lane) || folding.length === 0) return;
    const filter = unionFilter(folding.map((l) => l.projection));
    const batchSize = lane === 'eventual' ? this.rebuildBatchSize : this.batchSize;
    const tail = this.events.subscribe({
      afterPosition: Math.min(...folding.map((l) => l.checkpoint)),
      batchSize,
      ...(filter ? { filter } : {}),
      onEvents: async (batch) => {
        if (lane === 'eventual') await this.eventualProgress;
        await this.applyTo(this.folding(lane), batch, 'live');
        this.tailFailures.set(lane, 0);
        this.notifyWaiters();
        if (lane === 'eventual' && batch.length < batchSize && batch.length >= EVENTUAL_BURST) await this.pause();
      },
      // Skipped events none of the lane's projections handles: they are caught up that far. The commands'
      // lane keeps it in memory (after a restart the filtered scan from the stored checkpoints is cheap); the
      // eventual lane stores it, as its readers wait on the stored checkpoint.
      onProgress: (position) => {
        const moved = this.folding(lane).filter((l) => l.checkpoint < position);
        for (const l of moved) l.checkpoint = position;
        if (lane === 'eventual' && moved.length > 0) this.storeProgress(moved, position);
        this.notifyWaiters();
      },
      onError: (err) => {
        const failures = this.tailFailures.get(lane) ?? 0;
        this.tailFailures.set(lane, failures + 1);
        const delay = Math.min(30_000, 500 * 2 ** failures);
        this.log.error('projection tail failed; resubscribing', { lane, err: err.message, checkpoint: Math.min(...this.folding(lane).map((l) => l.checkpoint)), retryInMs: delay });
        if (this.tails.get(lane) === tail) this.tails.delete(lane);
        const timer = setTimeout(() => this.openLane(lane), delay);
        timer.unref();
      },
    });
    this.tails.set(lane, tail);
  }

  /** The eventual lane's checkpoints moved over events it does not handle: stored, in order. */
  private storeProgress(moved: Live[], position: number): void {
    const groups = moved.map((l) => ({ checkpointName: this.checkpointName(l.projection, l.generation), changes: [], position }));
    this.eventualProgress = this.eventualProgress
      .then(() => this.commit(groups))
      .catch((err: unknown) => this.log.error('eventual projections: storing the checkpoint failed (the next batch stores it)', { err: err instanceof Error ? err.message : String(err) }));
  }

  /**
   * The eventual lane's pause after a short batch of an ingest. It lasts while the log keeps growing, up to
   * eventualPauseMs: once a check finds no new event (the ingest ended; a reader may be waiting for it), the
   * lane folds at once. closeTail ends it at once.
   */
  private async pause(): Promise<void> {
    // A closed lane (stop, a swap) does not pause: its tail is waiting for this handler to end.
    const closed = () => this.eventualPauseMs <= 0 || this.stopped || !this.tails.has('eventual');
    if (closed()) return;
    const until = Date.now() + this.eventualPauseMs;
    let head = await this.events.headPosition();
    for (;;) {
      if (closed()) return;
      const left = until - Date.now();
      if (left <= 0) return;
      await this.sleep(Math.min(left, EVENTUAL_QUIET_MS));
      const now = await this.events.headPosition();
      if (now === head) return;
      head = now;
    }
  }

  /** A wait closeTail ends at once. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        if (this.endPause === end) this.endPause = null;
        resolve();
      };
      const timer = setTimeout(end, ms);
      timer.unref();
      this.endPause = end;
    });
  }

  /**
   * One log batch for several projections (the live ones, or a rebuild's shadows): each folds what passes its
   * checkpoint, search documents are written, then all documents and checkpoints are committed together.
   * A live search projection's stored checkpoint waits for a search flush (flushSearchIfDue); a shadow's
   * documents are flushed before it is swapped in, and its stored checkpoints matter only after that.
   */
  private async applyTo(targets: Iterable<Live>, batch: RecordedEvent[], kind: 'live' | 'shadow'): Promise<void> {
    const list = [...targets];
    await foldInParts(batch, (part) => this.applyOnce(list, part as RecordedEvent[], kind), (cuts) =>
      this.log.info('replayed batch straddles stored counter versions; folding it in parts', { from: batch[0]!.position, to: batch[batch.length - 1]!.position, cuts }),
    );
  }

  private async applyOnce(targets: Live[], batch: RecordedEvent[], kind: 'live' | 'shadow'): Promise<void> {
    const last = batch[batch.length - 1]!.position;
    const groups: { target: Live; ctx: BatchContext }[] = [];
    for (const target of targets) {
      if (last <= target.checkpoint) continue;
      const events = target.checkpoint < batch[0]!.position ? batch : batch.filter((e) => e.position > target.checkpoint);
      const ctx = await this.fold(target.projection, target.generation, events, target);
      // A store that cannot add in place gets the increments as puts (read here, by the port's rule).
      if (!this.reads.increments) await ctx.resolveIncrements();
      groups.push({ target, ctx });
    }
    for (const { target, ctx } of groups) await this.writeSearch(target.projection, target.generation, ctx);
    const searchDurable = kind === 'shadow' || (await this.flushSearchIfDue(groups.some(({ target }) => target.projection.search)));
    const stored = (target: Live) => (target.projection.search && !searchDurable ? (target.durable ?? 0) : last);
    const checkpointed = groups.map(({ target, ctx }) => ({ checkpointName: this.checkpointName(target.projection, target.generation), changes: ctx.changes(), position: stored(target) }));
    if (kind === 'live' && groups.length > 0 && groups.every(({ target }) => laneOf(target.projection) === 'eventual' && !target.projection.search))
      await this.commitInSlices(checkpointed, groups.map(({ target }) => target.checkpoint));
    else await this.commit(checkpointed);
    for (const { target } of groups) {
      target.checkpoint = last;
      if (target.projection.search) target.durable = stored(target);
    }
  }

  /**
   * Search writes are durable when the index says so: at once for an adapter without `flush` (Elasticsearch
   * acknowledges after its translog), else at most every SEARCH_FLUSH_MS — one fsync per second instead of
   * one per batch. Returns whether everything written so far is durable.
   */
  private async flushSearchIfDue(wroteSearch: boolean): Promise<boolean> {
    if (!wroteSearch || !this.search.flush) return true;
    if (this.now() - this.lastSearchFlush < SEARCH_FLUSH_MS) return false;
    await this.search.flush();
    this.lastSearchFlush = this.now();
    return true;
  }

  /**
   * The eventual lane's commit: each projection's changes in slices of COMMIT_SLICE, one transaction each, the
   * event loop free between them (the commands' lane folds meanwhile: one transaction of thousands of counter
   * documents held this thread for hundreds of ms), the checkpoint moved by the last slice only. A crash between
   * slices leaves some documents ahead of the checkpoint, as a store without transactions (MongoDB) can after
   * any batch: the replay skips what a document's `_v` already folds (puts, increments), and increments come
   * first in a batch's changes (BatchContext.changes), so the memos the counting reads are as before the batch.
   */
  private async commitInSlices(groups: CheckpointedChanges[], before: number[]): Promise<void> {
    for (const [i, g] of groups.entries()) {
      for (let at = 0; at < g.changes.length - COMMIT_SLICE; at += COMMIT_SLICE) {
        await this.reads.applyChanges(g.checkpointName, g.changes.slice(at, at + COMMIT_SLICE), before[i]!);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const rest = g.changes.length <= COMMIT_SLICE ? g.changes : g.changes.slice(Math.floor((g.changes.length - 1) / COMMIT_SLICE) * COMMIT_SLICE);
      await this.reads.applyChanges(g.checkpointName, rest, g.position);
    }
  }

  private async commit(groups: CheckpointedChanges[]): Promise<void> {
    if (this.reads.applyChangesMany) return this.reads.applyChangesMany(groups);
    for (const g of groups) await this.reads.applyChanges(g.checkpointName, g.changes, g.position);
  }

  private rebuildNow(p: Projection, oldGeneration: number): Promise<void> {
    return this.rebuildTogether([{ projection: p, oldGeneration }]);
  }

  /**
   * Blue/green rebuild of several projections from ONE read of the log: each fills a new generation beside
   * its live one (a shadow), every batch is folded by all shadows and committed together, then they swap.
   */
  private async rebuildTogether(targets: { projection: Projection; oldGeneration: number }[]): Promise<void> {
    for (const t of targets) this.rebuilding.add(t.projection.name);
    const started = Date.now();
    try {
      const shadows: Live[] = [];
      for (const { projection: p, oldGeneration } of targets) shadows.push(await this.prepareGeneration(p, oldGeneration + 1));
      // Filled without their secondary indexes, which are built once at the end (a sort instead of one B-tree
      // insertion per index per document), then caught up again with them before the swap.
      let count = await this.fillShadows(shadows);
      if (count === null) return; // shut down mid-rebuild: the shadow is dropped and refilled next time
      for (const s of shadows) await this.ensureIndexes(s.projection, s.generation);
      const more = await this.fillShadows(shadows, true);
      if (more === null) return;
      count += more;
      // Caught up: swap. Pause the tail first so only one generation writes at a time; it reopens after.
      // The shadows' search documents are made durable first: their stored checkpoints already count them.
      await this.closeTail();
      if (shadows.some((s) => s.projection.search)) await this.search.flush?.();
      if (this.stopped) return;
      for (const [i, shadow] of shadows.entries()) await this.swapIn(shadow, targets[i]!.oldGeneration);
      // During start() the tail opens once, when every projection is live (from the lowest checkpoint).
      if (!this.starting) this.openTail();
      const ms = Date.now() - started;
      for (const s of shadows) this.log.info(`projection ${s.projection.name} v${s.projection.version} built as generation ${s.generation}`, { events: count, ms });
    } finally {
      for (const t of targets) this.rebuilding.delete(t.projection.name);
    }
  }

  /**
   * Folds the log into the shadows from their checkpoints up to the head, one rebuild batch at a time. Returns
   * the events read, or null when the runner was stopped meanwhile. `again`: a second pass, which reads
   * nothing when no event was appended since the first one ended at the head.
   */
  private async fillShadows(shadows: Live[], again = false): Promise<number | null> {
    const filter = unionFilter(shadows.map((s) => s.projection));
    let count = 0;
    for (;;) {
      if (this.stopped) return null;
      const head = await this.events.headPosition();
      if (again && shadows.every((s) => s.checkpoint >= head)) return count;
      const from = Math.min(...shadows.map((s) => s.checkpoint));
      const batch = await this.events.readAll({ afterPosition: from, maxCount: this.rebuildBatchSize, ...(filter ? { filter } : {}) });
      if (batch.length === 0) {
        // Nothing they handle up to the head: they start live from there, not from their last handled event
        // (a projection of rare events would otherwise send the shared tail back to the start of the log).
        const behind = shadows.filter((s) => s.checkpoint < head);
        for (const s of behind) s.checkpoint = head;
        await this.commit(behind.map((s) => ({ checkpointName: this.checkpointName(s.projection, s.generation), changes: [], position: head })));
        return count;
      }
      await this.applyTo(shadows, batch, 'shadow');
      count += batch.length;
    }
  }

  /** An empty new generation of a projection's collections (and search index), ready to fill (indexes come after). */
  private async prepareGeneration(p: Projection, generation: number): Promise<Live> {
    for (const c of p.collections) await this.reads.dropCollection(ProjectionRunner.physicalName(c, generation));
    await this.reads.deleteCheckpoint(this.checkpointName(p, generation));
    if (p.search) {
      await this.search.dropIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, generation));
      await this.search.createIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, generation));
    }
    return { projection: p, generation, checkpoint: 0, deadLetters: 0 };
  }

  /** The new generation becomes the one served (tail paused by the caller); the old one is dropped. */
  private async swapIn(shadow: Live, oldGeneration: number): Promise<void> {
    const p = shadow.projection;
    const metaDoc = await this.reads.get(META, p.name);
    await this.reads.applyChanges(
      `${META}:${p.name}`,
      [{ op: 'put', collection: META, doc: { _id: p.name, _v: (metaDoc?._v ?? 0) + 1, version: p.version, generation: shadow.generation } }],
      shadow.generation,
    );
    if (p.search) await this.search.setAlias(SEARCH_ALIAS, ProjectionRunner.physicalName(SEARCH_ALIAS, shadow.generation));
    this.live.set(p.name, shadow); // applyTo kept its durable checkpoint, and its search writes are flushed
    this.notifyWaiters(); // a frozen generation replaced by a folding one may change what waiters wait for
    await this.hooks.generationsChanged?.(this.generations());
    if (oldGeneration > 0 && oldGeneration !== shadow.generation) {
      for (const c of p.collections) await this.reads.dropCollection(ProjectionRunner.physicalName(c, oldGeneration));
      await this.reads.deleteCheckpoint(this.checkpointName(p, oldGeneration));
      if (p.search) await this.search.dropIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, oldGeneration));
    }
  }

  /** Folds the events a projection handles into a batch of changes (nothing is written yet). */
  private async fold(p: Projection, generation: number, batch: RecordedEvent[], live: Live): Promise<BatchContext> {
    const handled = new Set(p.handles);
    if (p.applyBatch) {
      const events = batch.filter((raw) => handled.size === 0 || handled.has(raw.type)).map((raw) => upcast(raw));
      const ctx = new BatchContext(this.reads, (c) => ProjectionRunner.physicalName(c, generation));
      if (events.length === 0) return ctx;
      ctx.first = events[0]!.position;
      ctx.position = events[events.length - 1]!.position;
      try {
        await p.applyBatch(events, ctx);
        return ctx;
      } catch (err) {
        if (err instanceof ReadStoreUnavailable) throw err;
        // Some event of the batch is poison: fold the batch again event by event (below), on a fresh context,
        // so exactly that event is dead-lettered and the others count.
        this.log.info(`projection ${p.name}: batch fold failed, folding event by event`, { err: err instanceof Error ? err.message : String(err) });
      }
    }
    const ctx = new BatchContext(this.reads, (c) => ProjectionRunner.physicalName(c, generation));
    for (const raw of batch) {
      if (handled.size > 0 && !handled.has(raw.type)) continue;
      const event = upcast(raw);
      ctx.position = event.position;
      try {
        await p.apply(event, ctx);
      } catch (err) {
        // The store failing under the projection is not a poison event: fail the batch, so the tail retries
        // it from the stored checkpoint (dead-lettering it lost the document; read-side-outage.spec.ts).
        if (err instanceof ReadStoreUnavailable) throw err;
        // A poison event must not stop the projection silently: park it, alert, go on.
        live.deadLetters++;
        const message = err instanceof Error ? err.message : String(err);
        this.log.error(`projection ${p.name} dead-lettered event`, { position: event.position, type: event.type, message });
        ctx.position = event.position;
        ctx.put(DEAD_LETTERS, { _id: `${p.name}:${event.position}`, projection: p.name, error: message, event });
      }
    }
    return ctx;
  }

  /** Search documents are written before the read store's checkpoint moves past them. */
  private async writeSearch(p: Projection, generation: number, ctx: BatchContext): Promise<void> {
    if (!p.search) return;
    const { upserts, deletes } = ctx.searchChanges();
    const index = ProjectionRunner.physicalName(SEARCH_ALIAS, generation);
    if (upserts.length) await this.search.bulkIndex(index, upserts);
    if (deletes.length) await this.search.bulkDelete(index, deletes);
    // Visible before the checkpoint moves: read-your-writes waits on the checkpoint, and Elasticsearch only
    // shows indexed documents after a refresh (SQLite: a no-op).
    if (upserts.length || deletes.length) await this.search.refresh(index);
  }
}

/** The event types any of the projections folds; none (read everything) when one of them folds every type. */
function unionFilter(projections: readonly Projection[]): { eventTypes: string[] } | null {
  if (projections.some((p) => p.handles.length === 0)) return null;
  return { eventTypes: [...new Set(projections.flatMap((p) => p.handles))] };
}
