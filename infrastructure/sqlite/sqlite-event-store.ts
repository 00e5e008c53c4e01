import {
  ConcurrencyError,
  duplicateOf,
  type AppendedEvents,
  type AppendResult,
  type CommandAppend,
  type CommandAppendResult,
  type EventEnvelope,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredCommand,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../../application/ports/event-store';
import Database from 'better-sqlite3';
import { AppendNotifier } from './append-notifier';
import { createEventStoreSchema, EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-store-schema';
import { openDatabase, StatementCache, type OpenOptions, type SqliteDatabase } from './sqlite-database';
import { SqliteAuditLogQuery } from './sqlite-audit-log-query';
import { CatchUpSubscription } from './sqlite-subscription';
import { prefixCondition } from './text-range';

export interface SqliteEventStoreOptions extends OpenOptions {
  /** How often a caught-up subscription looks for appends made by other processes (default 200 ms). */
  pollMs?: number;
}

const NO_LIMIT = -1; // SQLite: a negative LIMIT means no limit
/** A filtered read this close to the head scans the rows by position instead of the type index (see selectAll). */
const NEAR_HEAD = 1000;

/**
 * The embedded EventStore: one SQLite file in WAL mode. An append is one BEGIN IMMEDIATE transaction over
 * all its streams (decision 0001), committed with synchronous=FULL so that when append() resolves, the
 * events are on disk (decision 0002).
 */
export class SqliteEventStore implements EventStore {
  private readonly db: SqliteDatabase;
  private readonly statements: StatementCache;
  private readonly notifier: AppendNotifier;
  private readonly pollMs: number;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closed = false;
  /** Appends waiting for the next group commit (see append). */
  private pendingAppends: { command: CommandAppend; resolve: (r: AppendResult) => void; reject: (e: unknown) => void }[] = [];
  /** observeAppends listeners, and the rows the open write transaction inserted for them (none without listeners). */
  private readonly appendObservers = new Set<(appended: AppendedEvents) => void>();
  private observedRows: EventRow[] = [];

  private readonly insertEvent;
  private readonly selectStreamRevision;
  private readonly upsertStreamRevision;
  private readonly selectCommand;
  private readonly insertCommand;
  private readonly selectCommandEvents;
  private readonly selectHead;
  private readonly appendTransaction;
  private readonly appendManyTransaction;
  private readonly readBatchTransaction;

  constructor(filePath: string, options: SqliteEventStoreOptions = {}) {
    this.db = openDatabase(filePath, options);
    createEventStoreSchema(this.db);
    this.statements = new StatementCache(this.db);
    this.notifier = new AppendNotifier(filePath);
    this.pollMs = options.pollMs ?? 200;

    this.insertEvent = this.db.prepare(
      `INSERT INTO events (event_id, type, schema_version, stream_id, revision, occurred_at, recorded_at, actor,
                           command_id, correlation_id, causation_id, data, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectStreamRevision = this.db.prepare('SELECT revision FROM streams WHERE stream_id = ?').pluck();
    this.upsertStreamRevision = this.db.prepare(
      'INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision',
    );
    this.selectCommand = this.db.prepare('SELECT first_position, last_position, fingerprint FROM commands WHERE command_id = ?');
    this.insertCommand = this.db.prepare('INSERT INTO commands (command_id, first_position, last_position, fingerprint) VALUES (?, ?, ?, ?)');
    this.selectCommandEvents = this.db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position BETWEEN ? AND ? AND command_id = ? ORDER BY position`,
    );
    this.selectHead = this.db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck();

    this.appendTransaction = this.db.transaction((command: CommandAppend) => this.appendInTransaction(command));
    // Group commit (decision 0006): one outer transaction, one fsync. A command that is refused has written
    // nothing (appendInTransaction checks everything first; decision 0020), so the loop goes on with the
    // next one without a savepoint per command.
    this.appendManyTransaction = this.db.transaction((commands: CommandAppend[]) =>
      commands.map((c): CommandAppendResult => {
        try {
          return { ok: true, result: this.appendInTransaction(c) };
        } catch (err) {
          // An SQLite failure (I/O, disk full, …) may have ended the whole transaction: never go on in
          // autocommit mode — fail the group, which rolls everything back.
          if (err instanceof Database.SqliteError || !this.db.inTransaction) throw err;
          return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
        }
      }),
    );
    // One read transaction = one snapshot: the batch and the head it was scanned to agree.
    this.readBatchTransaction = this.db.transaction((afterPosition: number, maxCount: number, filter: EventFilter | undefined) => {
      const head = this.selectHead.get() as number;
      return { events: this.selectAll(afterPosition, maxCount, filter, head), scannedTo: head };
    });
  }

  /**
   * Group commit: the appends requested during one turn of the event loop (concurrent HTTP commands) are
   * written in one IMMEDIATE transaction — one fsync for all of them — each command isolated in its own
   * savepoint exactly as `appendMany` does, so a command's revision check, idempotency and failure are its
   * own. Each caller's promise settles after that durable commit. Alone, an append waits one setImmediate.
   */
  append(appends: StreamAppend[], commandId: string, fingerprint?: string): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.assertOpen(); // a closed store rejects, as an async method would
      this.pendingAppends.push({ command: { appends, commandId, ...(fingerprint !== undefined ? { fingerprint } : {}) }, resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => this.flushAppends());
    });
  }

  private flushAppends(): void {
    const pending = this.pendingAppends;
    this.pendingAppends = [];
    if (pending.length === 0) return;
    let results: CommandAppendResult[];
    try {
      this.assertOpen();
      // IMMEDIATE takes the write lock up front: the revision checks and the writes see the same state,
      // and a concurrent writer in another process waits (busy timeout) instead of failing mid-way.
      results = this.observed(() => this.appendManyTransaction.immediate(pending.map((p) => p.command)));
    } catch (err) {
      // The group failed as a whole (an SQLite error in one command aborts the transaction): commit each
      // command on its own, so only the command that caused it fails — as if there had been no group.
      if (pending.length === 1 || this.closed) {
        for (const p of pending) p.reject(err);
        return;
      }
      for (const p of pending) {
        try {
          const result = this.observed(() => this.appendTransaction.immediate(p.command));
          if (!result.duplicate && result.events.length > 0) this.notifier.notify();
          p.resolve(result);
        } catch (own) {
          p.reject(own);
        }
      }
      return;
    }
    if (results.some((r) => r.ok && !r.result.duplicate && r.result.events.length > 0)) this.notifier.notify();
    results.forEach((r, i) => (r.ok ? pending[i]!.resolve(r.result) : pending[i]!.reject(r.error)));
  }

  /** Many commands in one IMMEDIATE transaction: one fsync for all of them (see the port). */
  async appendMany(commands: CommandAppend[]): Promise<CommandAppendResult[]> {
    this.assertOpen();
    if (commands.length === 0) return [];
    const results = this.observed(() => this.appendManyTransaction.immediate(commands));
    if (results.some((r) => r.ok && !r.result.duplicate && r.result.events.length > 0)) this.notifier.notify();
    return results;
  }

  observeAppends(listener: (appended: AppendedEvents) => void): () => void {
    this.appendObservers.add(listener);
    return () => this.appendObservers.delete(listener);
  }

  /**
   * Runs one write transaction and, once it has committed, hands its rows to the observers (decision 0018):
   * decoded only if a listener reads them, by the same function readAll uses. A failed transaction wrote
   * nothing and notifies nothing.
   */
  private observed<T>(transaction: () => T): T {
    this.observedRows = [];
    let result: T;
    try {
      result = transaction();
    } catch (err) {
      this.observedRows = [];
      throw err;
    }
    const rows = this.observedRows;
    this.observedRows = [];
    if (rows.length > 0 && this.appendObservers.size > 0) {
      const appended: AppendedEvents = { positions: rows.map((r) => r.position), read: () => rows.map(toRecordedEvent) };
      for (const listener of this.appendObservers) {
        try {
          listener(appended);
        } catch {
          // An observer is an optimisation of a reader (it reads the log otherwise): never the append's failure.
        }
      }
    }
    return result;
  }

  async readByCommandId(commandId: string): Promise<RecordedEvent[] | null> {
    this.assertOpen();
    return this.storedCommand(commandId)?.events ?? null;
  }

  async readCommand(commandId: string): Promise<StoredCommand | null> {
    this.assertOpen();
    return this.storedCommand(commandId);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? NO_LIMIT;
    const rows =
      options.direction === 'backwards'
        ? this.statements
            .get(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
            .all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.statements
            .get(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
            .all(streamId, options.fromRevision ?? 0, limit);
    return (rows as EventRow[]).map(toRecordedEvent);
  }

  async readStreams(streams: readonly { streamId: string; maxCount?: number }[]): Promise<RecordedEvent[][]> {
    this.assertOpen();
    const byStream = new Map<string, RecordedEvent[]>();
    const ids = [...new Set(streams.map((s) => s.streamId))];
    // The (stream_id, revision) index, one statement per 500 ids (well under SQLite's parameter limit).
    for (let k = 0; k < ids.length; k += 500) {
      const part = ids.slice(k, k + 500);
      const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id IN (${part.map(() => '?').join(', ')}) ORDER BY stream_id, revision`;
      for (const row of this.statements.get(sql).all(...part) as EventRow[]) {
        let events = byStream.get(row.stream_id);
        if (!events) byStream.set(row.stream_id, (events = []));
        events.push(toRecordedEvent(row));
      }
    }
    return streams.map((s) => {
      const events = byStream.get(s.streamId) ?? [];
      return s.maxCount === undefined || s.maxCount < 0 ? [...events] : events.slice(0, s.maxCount);
    });
  }

  async streamRevision(streamId: string): Promise<number | 'no_stream'> {
    this.assertOpen();
    const revision = this.selectStreamRevision.get(streamId) as number | undefined;
    return revision ?? 'no_stream';
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.selectAll(options.afterPosition, options.maxCount, options.filter);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.selectHead.get() as number;
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      { readBatch: (after, max, filter) => this.readBatchTransaction(after, max, filter) },
      this.notifier,
      options,
      this.pollMs,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async listStreams(prefix: string, after: string | null, limit: number): Promise<string[]> {
    this.assertOpen();
    const params: unknown[] = [];
    const conditions = [prefixCondition('stream_id', prefix, params)];
    if (after !== null) {
      conditions.push('stream_id > ?');
      params.push(after);
    }
    params.push(limit);
    const sql = `SELECT stream_id FROM streams WHERE ${conditions.join(' AND ')} ORDER BY stream_id LIMIT ?`;
    return this.statements.get(sql).pluck().all(...params) as string[];
  }

  /** The audit query over this ledger's own table and connection (decision 0027); `probeRows`: see SqliteAuditLogQuery. */
  auditLog(probeRows?: number): SqliteAuditLogQuery {
    return new SqliteAuditLogQuery(this.db, probeRows);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flushAppends(); // appends already accepted are committed, not dropped
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.db.close();
  }

  /**
   * One command's append inside an open transaction. Everything that can refuse the command (a duplicate,
   * a revision check, a malformed envelope, data JSON cannot write) is decided BEFORE the first write, so
   * a refused command has written nothing and the group commit needs no savepoint per command (decision
   * 0020: the savepoints were a fifth of the store's time). What can still fail once writing has begun is
   * SQLite itself (I/O, disk full), and that fails the whole group (see appendManyTransaction).
   */
  private appendInTransaction({ appends, commandId, fingerprint }: CommandAppend): AppendResult {
    const original = this.storedCommand(commandId);
    if (original) return duplicateOf(original);

    // A command may name the same stream twice; the second part continues where the first left off.
    const revisions = new Map<string, number | 'no_stream'>();
    const rows: { event: EventEnvelope; actor: string; data: string }[] = [];
    const heads: [string, number][] = [];
    const actors = new Map<object, string>(); // the events of a command share one actor object
    for (const part of appends) {
      const actual = revisions.has(part.streamId) ? revisions.get(part.streamId)! : this.currentRevision(part.streamId);
      checkExpectedRevision(part.streamId, part.expectedRevision, actual);
      let next = actual === 'no_stream' ? 0 : actual + 1;
      for (const event of part.events) {
        checkEnvelope(part.streamId, commandId, next, event);
        let actor = actors.get(event.actor);
        if (actor === undefined) actors.set(event.actor, (actor = JSON.stringify(event.actor)));
        rows.push({ event, actor, data: JSON.stringify(event.data) });
        next++;
      }
      if (part.events.length > 0) {
        heads.push([part.streamId, next - 1]);
        revisions.set(part.streamId, next - 1);
      }
    }
    // A command that wrote nothing leaves no trace: there is no position range to remember.
    if (rows.length === 0) return { duplicate: false, events: [] };

    const recorded: RecordedEvent[] = [];
    for (const { event, actor, data } of rows) {
      const info = this.insertEvent.run(
        event.eventId,
        event.type,
        event.schemaVersion,
        event.streamId,
        event.revision,
        event.occurredAt,
        event.recordedAt,
        actor,
        event.commandId,
        event.correlationId,
        event.causationId,
        data,
        event.prevHash,
        event.hash,
      );
      const position = Number(info.lastInsertRowid);
      recorded.push({ ...event, position });
      if (this.appendObservers.size > 0)
        this.observedRows.push({
          position,
          event_id: event.eventId,
          type: event.type,
          schema_version: event.schemaVersion,
          stream_id: event.streamId,
          revision: event.revision,
          occurred_at: event.occurredAt,
          recorded_at: event.recordedAt,
          actor,
          command_id: event.commandId,
          correlation_id: event.correlationId,
          causation_id: event.causationId,
          data,
          prev_hash: event.prevHash,
          hash: event.hash,
        });
    }
    for (const [streamId, revision] of heads) this.upsertStreamRevision.run(streamId, revision);
    this.insertCommand.run(commandId, recorded[0]!.position, recorded[recorded.length - 1]!.position, fingerprint ?? null);
    return { duplicate: false, events: recorded };
  }

  private currentRevision(streamId: string): number | 'no_stream' {
    const revision = this.selectStreamRevision.get(streamId) as number | undefined;
    return revision ?? 'no_stream';
  }

  private storedCommand(commandId: string): StoredCommand | null {
    const range = this.selectCommand.get(commandId) as { first_position: number; last_position: number; fingerprint: string | null } | undefined;
    if (!range) return null;
    const rows = this.selectCommandEvents.all(range.first_position, range.last_position, commandId) as EventRow[];
    return { events: rows.map(toRecordedEvent), fingerprint: range.fingerprint };
  }

  /** `head`: the log's head in the caller's snapshot (read here when the caller has none and a filter needs it). */
  private selectAll(afterPosition: number, maxCount: number, filter: EventFilter | undefined, head?: number): RecordedEvent[] {
    if (maxCount <= 0) return [];
    const params: unknown[] = [];
    const prefixes = filter?.streamPrefixes ?? [];
    const prefixSql = (): string => {
      if (prefixes.length === 0) return '';
      return ` AND (${prefixes.map((p) => prefixCondition('stream_id', p, params)).join(' OR ')})`;
    };
    const types = [...new Set(filter?.eventTypes ?? [])];
    const top = types.length > 0 ? (head ?? (this.selectHead.get() as number)) : 0;
    let sql: string;
    if (types.length === 0) {
      params.push(afterPosition);
      sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ?${prefixSql()} ORDER BY position LIMIT ?`;
    } else if (top - afterPosition <= NEAR_HEAD) {
      // Near the head (a live subscription woken by an append): scanning the few new rows by position is far
      // cheaper than one index seek per type. `+type` keeps SQLite from choosing the type index here.
      params.push(afterPosition, top, ...types);
      sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? AND +type IN (${types.map(() => '?').join(', ')})${prefixSql()} ORDER BY position LIMIT ?`;
    } else {
      // One ordered range scan of events_by_type (type, position) per type, merged by position: each arm
      // reads at most maxCount index entries. A plain `type IN (…) ORDER BY position` makes SQLite collect
      // and sort EVERY matching event after the cursor for each batch — quadratic over a catch-up.
      const arms = types.map((type) => {
        params.push(type, afterPosition);
        const arm = `SELECT position FROM events WHERE type = ? AND position > ?${prefixSql()} ORDER BY position LIMIT ?`;
        params.push(maxCount);
        return `SELECT position FROM (${arm})`;
      });
      sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position IN (SELECT position FROM (${arms.join(' UNION ALL ')}) ORDER BY position LIMIT ?) ORDER BY position`;
    }
    params.push(maxCount);
    return (this.statements.get(sql).all(...params) as EventRow[]).map(toRecordedEvent);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteEventStore is closed');
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

/** The writer computes revisions from the expected revision; a mismatch is a bug, not a conflict. */
function checkEnvelope(streamId: string, commandId: string, nextRevision: number, event: EventEnvelope): void {
  if (event.streamId !== streamId) {
    throw new Error(`Event ${event.eventId} names stream ${event.streamId} but is appended to ${streamId}`);
  }
  if (event.revision !== nextRevision) {
    throw new Error(`Event ${event.eventId} in ${streamId} has revision ${event.revision}, the stream's next is ${nextRevision}`);
  }
  if (event.commandId !== commandId) {
    throw new Error(`Event ${event.eventId} carries commandId ${event.commandId} but is appended by ${commandId}`);
  }
}
