import type { EventStore, RecordedEvent, Subscription } from '../ports/event-store';
import type { ProjectionProgress } from '../ports/read-models';
import type { ReadStore } from '../ports/read-store';
import { upcast } from '../ledger/registered-upcasters';

/**
 * A process manager's reaction to events of the log (DESIGN.md: process managers live in application/).
 * Reactions act through commands with deterministic command ids (derived from the event), so handling an
 * event twice — after a crash between acting and checkpointing — appends nothing the second time.
 */
export interface Reaction {
  name: string;
  handles: readonly string[];
  react(event: RecordedEvent): Promise<void>;
}

export interface ReactorLogger {
  info(msg: string, extra?: object): void;
  error(msg: string, extra?: object): void;
}

const DEAD_LETTERS = '_reaction_dead_letters';
const ATTEMPTS = 3;

/**
 * Runs reactions on a catch-up subscription to the global log, at least once, in log order, with a durable
 * checkpoint (in the read store, like the projections'). Before reacting to an event it waits until the
 * projections include it, so a reaction that queries read models (e.g. "every lot downstream") sees at
 * least the world as of that event. A reaction that keeps failing is parked as a dead letter and logged;
 * the runner goes on (a stuck process manager would silently stop every warning after it).
 */
export class ReactorRunner {
  private subscription: Subscription | null = null;
  private checkpoint = 0;
  private stopped = true;
  private readonly waiters: { position: number; resolve: () => void }[] = [];
  private readonly byType = new Map<string, Reaction[]>();
  deadLetters = 0;

  constructor(
    private readonly name: string,
    private readonly store: EventStore,
    private readonly reads: ReadStore,
    private readonly projections: ProjectionProgress,
    reactions: readonly Reaction[],
    private readonly log: ReactorLogger,
    /** Makes the reactions' side effects durable (e.g. JobQueue.flush) before the checkpoint moves past them. */
    private readonly beforeCheckpoint: () => Promise<void> = async () => undefined,
  ) {
    for (const r of reactions) for (const t of r.handles) this.byType.set(t, [...(this.byType.get(t) ?? []), r]);
  }

  private get checkpointName(): string {
    return `reactor:${this.name}`;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.checkpoint = (await this.reads.getCheckpoint(this.checkpointName)) ?? 0;
    this.subscribe(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    this.subscription = null;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  /** Resolves true once every event up to `position` was reacted to (false on timeout). */
  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    if (this.checkpoint >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.checkpoint >= position);
        },
      });
    });
  }

  get position(): number {
    return this.checkpoint;
  }

  private subscribe(failures: number): void {
    if (this.stopped) return;
    this.subscription = this.store.subscribe({
      afterPosition: this.checkpoint,
      batchSize: 200,
      // Only the types some reaction handles are read; onProgress moves the checkpoint past the rest.
      filter: { eventTypes: [...this.byType.keys()] },
      onProgress: (position) => {
        if (position <= this.checkpoint) return;
        this.checkpoint = position;
        this.resolveWaiters();
      },
      onEvents: async (batch) => {
        for (const raw of batch) {
          if (this.stopped) return;
          const reactions = this.byType.get(raw.type);
          if (reactions) {
            await this.projectionsReach(raw.position);
            const event = upcast(raw);
            for (const r of reactions) await this.run(r, event);
          }
          this.checkpoint = raw.position;
        }
        await this.beforeCheckpoint();
        await this.reads.applyChanges(this.checkpointName, [], this.checkpoint);
        failures = 0;
        this.resolveWaiters();
      },
      onError: (err) => {
        const delay = Math.min(30_000, 500 * 2 ** failures);
        this.log.error(`reactor ${this.name} subscription failed; resubscribing`, { err: err.message, checkpoint: this.checkpoint, retryInMs: delay });
        setTimeout(() => this.subscribe(failures + 1), delay).unref();
      },
    });
  }

  private resolveWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) if (this.waiters[i]!.position <= this.checkpoint) this.waiters.splice(i, 1)[0]!.resolve();
  }

  private async projectionsReach(position: number): Promise<void> {
    while (!this.stopped && !(await this.projections.waitFor(position, 5000))) {
      this.log.info(`reactor ${this.name} waiting for projections`, { position });
    }
  }

  private async run(reaction: Reaction, event: RecordedEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await reaction.react(event);
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (attempt < ATTEMPTS && !this.stopped) {
          await new Promise((r) => setTimeout(r, 50 * attempt));
          continue;
        }
        this.deadLetters++;
        this.log.error(`reaction ${reaction.name} failed; parked as a dead letter`, { position: event.position, type: event.type, message });
        await this.reads
          .applyChanges(`${this.checkpointName}:dead`, [{ op: 'put', collection: DEAD_LETTERS, doc: { _id: `${reaction.name}:${event.position}`, _v: event.position, reaction: reaction.name, position: event.position, type: event.type, error: message } }], event.position)
          .catch(() => undefined);
        return;
      }
    }
  }
}
