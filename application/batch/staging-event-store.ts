import {
  ConcurrencyError,
  duplicateOf,
  type AppendResult,
  type CommandAppend,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredCommand,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../ports/event-store';

/** What the batch knows of one stream: the stored events (read once) plus the ones staged in this batch. */
interface StreamView {
  /** The stream's revision in the store when the batch first looked. */
  storedRevision: number | 'no_stream';
  /** The stored events; null while only the revision has been looked up. */
  stored: RecordedEvent[] | null;
  /** Events staged by items of this batch, in revision order after the stored ones. */
  staged: RecordedEvent[];
  /** Current revision as the batch sees it (stored + staged). */
  revision: number | 'no_stream';
}

/** A command decided in this batch, waiting for the group commit. */
export interface StagedCommand {
  /** Index of the batch item that staged it. */
  item: number;
  command: CommandAppend;
  /** The recorded events as the item saw them; positions are provisional (negative) until the commit. */
  events: RecordedEvent[];
  /** Undo information: each written stream's revision and staged count before this command. */
  before: { streamId: string; revision: number | 'no_stream'; staged: number }[];
}

/**
 * An EventStore in front of the real one for the duration of one batch (decision 0006). The unmodified
 * Ledger and command handlers run against it:
 *  - reads come from a per-batch cache of streams (each read from the store at most once) with the events
 *    staged by earlier items of the batch on top, so item 5 sees what item 2 decided;
 *  - `append` checks expected revisions against that view exactly as the store would, and stages the
 *    command instead of writing it;
 *  - a command that READ a stream holding staged events also gets a revision check on that stream (a
 *    part without events), so if the earlier item fails at the group commit, this one fails too instead
 *    of being committed on a decision that rests on something that was never written.
 */
export class StagingEventStore implements EventStore {
  private readonly views = new Map<string, StreamView>();
  private readonly stagedByCommandId = new Map<string, StagedCommand>();
  private readonly stagedCommands: StagedCommand[] = [];
  /** Streams with staged events the current item has read, and the revision it saw. */
  private readSet = new Map<string, number>();
  private currentItem = -1;
  private nextProvisionalPosition = -1;

  constructor(private readonly store: EventStore) {}

  /** Starts a new item: what it reads from now on is its own read set. */
  beginItem(item: number): void {
    this.currentItem = item;
    this.readSet = new Map();
  }

  get staged(): readonly StagedCommand[] {
    return this.stagedCommands;
  }

  /** The item that staged a commandId in this batch (an in-batch duplicate), if any. */
  stagedItemOf(commandId: string): number | undefined {
    return this.stagedByCommandId.get(commandId)?.item;
  }

  /** Whether the current item has read anything that exists only in this batch so far. */
  get currentItemReadStaged(): boolean {
    return this.readSet.size > 0;
  }

  /**
   * The current item uses a result of an earlier staged item (a `$ref`): treat it as having read every
   * stream that item wrote, so it cannot commit if that item does not.
   */
  dependOn(item: number): void {
    for (const staged of this.stagedCommands) {
      if (staged.item !== item) continue;
      for (const part of staged.command.appends) {
        if (part.events.length === 0) continue;
        const view = this.views.get(part.streamId);
        if (view && view.revision !== 'no_stream') this.readSet.set(part.streamId, view.revision);
      }
    }
  }

  /** Undoes what the given item staged (its handler failed after its append, e.g. deriving the result). */
  discardItem(item: number): void {
    const last = this.stagedCommands[this.stagedCommands.length - 1];
    if (!last || last.item !== item) return;
    this.stagedCommands.pop();
    this.stagedByCommandId.delete(last.command.commandId);
    for (const b of [...last.before].reverse()) {
      const view = this.views.get(b.streamId)!;
      view.revision = b.revision;
      view.staged.length = b.staged;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const view = await this.loadedView(streamId);
    this.noteRead(streamId, view);
    const events = view.staged.length === 0 ? view.stored! : [...view.stored!, ...view.staged];
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? Number.MAX_SAFE_INTEGER;
      const selected = events.filter((e) => e.revision <= from).reverse();
      return options.maxCount === undefined ? selected : selected.slice(0, options.maxCount);
    }
    const from = options.fromRevision ?? 0;
    const selected = from === 0 ? events : events.filter((e) => e.revision >= from);
    return options.maxCount === undefined ? selected : selected.slice(0, options.maxCount);
  }

  async streamRevision(streamId: string): Promise<number | 'no_stream'> {
    const view = await this.revisionView(streamId);
    this.noteRead(streamId, view);
    return view.revision;
  }

  async readByCommandId(commandId: string): Promise<RecordedEvent[] | null> {
    return (await this.readCommand(commandId))?.events ?? null;
  }

  /** A command staged by an earlier item of this batch (with its fingerprint), else the store's. */
  async readCommand(commandId: string): Promise<StoredCommand | null> {
    const staged = this.stagedByCommandId.get(commandId);
    if (staged) return { events: staged.events, fingerprint: staged.command.fingerprint ?? null };
    return this.store.readCommand(commandId);
  }

  async append(appends: StreamAppend[], commandId: string, fingerprint?: string): Promise<AppendResult> {
    const staged = this.stagedByCommandId.get(commandId);
    if (staged) return duplicateOf({ events: staged.events, fingerprint: staged.command.fingerprint ?? null });

    // Check every part first (as the store's transaction would), so a refused command stages nothing.
    const written = new Map<string, number | 'no_stream'>();
    for (const part of appends) {
      const view = await this.revisionView(part.streamId);
      const actual = written.has(part.streamId) ? written.get(part.streamId)! : view.revision;
      checkExpectedRevision(part.streamId, part.expectedRevision, actual);
      if (part.events.length > 0) written.set(part.streamId, part.events[part.events.length - 1]!.revision);
    }

    const before: StagedCommand['before'] = [];
    const events: RecordedEvent[] = [];
    for (const part of appends) {
      if (part.events.length === 0) continue;
      const view = this.views.get(part.streamId)!;
      before.push({ streamId: part.streamId, revision: view.revision, staged: view.staged.length });
      for (const envelope of part.events) {
        const recorded: RecordedEvent = { ...envelope, position: this.nextProvisionalPosition-- };
        events.push(recorded);
        view.staged.push(recorded);
      }
      view.revision = part.events[part.events.length - 1]!.revision;
    }
    // Streams this item read from the batch but does not write itself: checked at commit time.
    const checks: StreamAppend[] = [];
    for (const [streamId, revision] of this.readSet) {
      if (!written.has(streamId)) checks.push({ streamId, expectedRevision: revision, events: [] });
    }
    const command: StagedCommand = {
      item: this.currentItem,
      command: { commandId, appends: [...checks, ...appends], ...(fingerprint !== undefined ? { fingerprint } : {}) },
      events,
      before,
    };
    if (events.length > 0) {
      this.stagedCommands.push(command);
      this.stagedByCommandId.set(commandId, command);
    }
    return { duplicate: false, events };
  }

  // The rest of the port is not part of deciding a command; reads of the global log go to the store.
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.store.readAll(options);
  }
  headPosition(): Promise<number> {
    return this.store.headPosition();
  }
  subscribe(_options: SubscribeOptions): Subscription {
    throw new Error('StagingEventStore: subscribe is not available inside a batch');
  }
  listStreams(prefix: string, after: string | null, limit: number): Promise<string[]> {
    return this.store.listStreams(prefix, after, limit);
  }
  async close(): Promise<void> {
    // The store belongs to the platform; a batch never closes it.
  }

  private noteRead(streamId: string, view: StreamView): void {
    if (view.staged.length > 0 && view.revision !== 'no_stream') this.readSet.set(streamId, view.revision);
  }

  /** A view with the stream's stored events (read from the store at most once per batch). */
  private async loadedView(streamId: string): Promise<StreamView> {
    const known = this.views.get(streamId);
    if (known?.stored) return known;
    if (known) {
      // Known by revision only. A stream this batch created (it did not exist) has nothing stored.
      known.stored = known.storedRevision === 'no_stream' ? [] : await this.store.readStream(streamId, { maxCount: known.storedRevision + 1 });
      return known;
    }
    const stored = await this.store.readStream(streamId);
    const revision = stored.length > 0 ? stored[stored.length - 1]!.revision : 'no_stream';
    const view: StreamView = { storedRevision: revision, stored, staged: [], revision };
    this.views.set(streamId, view);
    return view;
  }

  /** A view that knows at least the stream's current revision (one primary-key lookup when new). */
  private async revisionView(streamId: string): Promise<StreamView> {
    let view = this.views.get(streamId);
    if (!view) {
      const revision = await this.store.streamRevision(streamId);
      view = { storedRevision: revision, stored: null, staged: [], revision };
      this.views.set(streamId, view);
    }
    return view;
  }
}

function checkExpectedRevision(streamId: string, expected: ExpectedRevision, actual: number | 'no_stream'): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 'no_stream') ||
    (expected === 'stream_exists' && actual !== 'no_stream') ||
    (typeof expected === 'number' && expected === actual);
  if (!ok) throw new ConcurrencyError(streamId, expected, actual);
}
