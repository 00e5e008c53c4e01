import { withStreamCache } from '../ledger/cached-event-store';
import { inlineChainHasher, sealChains, type ChainHasher } from '../ledger/chain-hasher';
import { Ledger } from '../ledger/ledger';
import type { CommandOutcome } from '../ledger/run-command';
import type { Clock, IdGenerator } from '../ports/clock';
import type { CommandAppendResult, EventStore } from '../ports/event-store';
import { appendMany } from './append-many';
import { StagingEventStore } from './staging-event-store';

/** How one item went while the batch was being decided (before the group commit). */
export type StagedItem =
  /** Decided; its command waits for the commit. */
  | { kind: 'staged'; outcome: CommandOutcome<object> }
  /** Nothing to write: its commandId was appended by an earlier request (the original outcome). */
  | { kind: 'done'; outcome: CommandOutcome<object> }
  /** Same commandId as an earlier item of this batch: it shares that item's fate. */
  | { kind: 'mirror'; of: number; outcome: CommandOutcome<object> }
  /** Refused (validation, business rule, …); nothing staged. `readStaged`: the refusal may rest on staged data. */
  | { kind: 'failed'; error: Error; readStaged: boolean };

/**
 * One round of a batch (decision 0006): the items are decided one after the other by the ordinary
 * handlers over a Ledger whose store is a StagingEventStore (stream cache + staged appends), then all
 * staged commands are written by ONE `appendMany` — one transaction, one fsync.
 */
export class BatchUnitOfWork {
  readonly ledger: Ledger;
  private readonly staging: StagingEventStore;

  private readonly store: EventStore;

  constructor(
    store: EventStore,
    clock: Clock,
    ids: IdGenerator,
    private readonly hasher: ChainHasher = inlineChainHasher,
  ) {
    // The staging store reads through the platform's stream cache, and the group commit goes through it
    // too, so the cache learns what this batch wrote (decision 0020). The items' events are hashed all at
    // once before the commit (sealChains: per stream, in parallel when the hasher has worker threads).
    this.store = withStreamCache(store);
    this.staging = new StagingEventStore(this.store);
    this.ledger = new Ledger(this.staging, clock, ids, { cacheStreams: false, deferHashes: true });
  }

  /** Decides item `item` (running `execute`, its handler); `dependsOn`: earlier items whose results it uses. */
  async decide(item: number, commandId: string, dependsOn: number[], execute: () => Promise<CommandOutcome<object>>): Promise<StagedItem> {
    this.staging.beginItem(item);
    for (const d of dependsOn) this.staging.dependOn(d);
    const mirrorOf = this.staging.stagedItemOf(commandId);
    try {
      const outcome = await execute();
      if (mirrorOf !== undefined) return { kind: 'mirror', of: mirrorOf, outcome };
      const last = this.staging.staged[this.staging.staged.length - 1];
      return last?.item === item ? { kind: 'staged', outcome } : { kind: 'done', outcome };
    } catch (err) {
      this.staging.discardItem(item);
      return { kind: 'failed', error: err instanceof Error ? err : new Error(String(err)), readStaged: this.staging.currentItemReadStaged || dependsOn.length > 0 };
    }
  }

  /** Refuses item `item` before it ran (bad payload, missing permission). */
  refuse(error: unknown, readStaged: boolean): StagedItem {
    return { kind: 'failed', error: error instanceof Error ? error : new Error(String(error)), readStaged };
  }

  /** Writes every staged command in one group; the result of each, by item index. */
  async commit(): Promise<Map<number, CommandAppendResult>> {
    const staged = this.staging.staged;
    await sealChains(
      staged.map((s) => s.command),
      this.hasher,
    );
    const results = await appendMany(
      this.store,
      staged.map((s) => s.command),
    );
    return new Map(staged.map((s, i) => [s.item, results[i]!]));
  }
}
