import { randomUUID } from 'node:crypto';
import type { EnqueueOptions, FailedJob, Job, JobHandler, JobQueue } from '../../application/ports/job-queue';
import { DurabilityBarrier, openDatabase, type OpenOptions, type SqliteDatabase } from './sqlite-database';

export interface SqliteJobQueueOptions extends OpenOptions {
  /** Longest sleep of the worker when nothing is due; bounds how late a job added by another process is seen (default 1000 ms). */
  pollMs?: number;
  /** Clock in epoch ms, injectable for tests (default Date.now). */
  now?: () => number;
  /** Handlers running at once (default 1). */
  concurrency?: number;
}

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BACKOFF_MS = 1000;
const REPEAT_PREFIX = 'repeat:';

interface JobRow {
  id: string;
  name: string;
  data: string;
  attempts_made: number;
  max_attempts: number;
  backoff_ms: number;
  run_at: number;
  repeat_key: string | null;
}

/**
 * The embedded JobQueue: jobs are rows in a SQLite file, so a delayed job survives a restart. A small
 * worker loop sleeps on a timer until the next job is due (or `pollMs`, to notice jobs added by another
 * process), claims due jobs, and runs them with retries and exponential back-off. Jobs that exhaust their
 * attempts move to `failed_jobs` and stay visible. A repeatable job is one row rescheduled after each run.
 *
 * One process owns a jobs file: on open, jobs left `running` by a crash are made pending again (they run
 * again — handlers must be idempotent, as with any at-least-once queue).
 */
export class SqliteJobQueue implements JobQueue {
  private readonly db: SqliteDatabase;
  /** With synchronous=NORMAL, flush() makes the jobs added so far durable together. */
  private readonly barrier: DurabilityBarrier;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private closing = false;
  private closed = false;

  private readonly claimNext;

  constructor(filePath: string, options: SqliteJobQueueOptions = {}) {
    this.pollMs = options.pollMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.db = openDatabase(filePath, options);
    this.barrier = new DurabilityBarrier(this.db, options);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        id            TEXT PRIMARY KEY,
        name          TEXT    NOT NULL,
        data          TEXT    NOT NULL,
        state         TEXT    NOT NULL CHECK (state IN ('pending', 'running')),
        run_at        INTEGER NOT NULL,
        attempts_made INTEGER NOT NULL DEFAULT 0,
        max_attempts  INTEGER NOT NULL,
        backoff_ms    INTEGER NOT NULL,
        repeat_key    TEXT,
        created_at    INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, run_at);
      CREATE TABLE IF NOT EXISTS repeats (
        repeat_key TEXT PRIMARY KEY,
        name       TEXT    NOT NULL,
        data       TEXT    NOT NULL,
        every_ms   INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS failed_jobs (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        id        TEXT    NOT NULL,
        name      TEXT    NOT NULL,
        data      TEXT    NOT NULL,
        attempts  INTEGER NOT NULL,
        error     TEXT    NOT NULL,
        failed_at TEXT    NOT NULL
      );
      UPDATE jobs SET state = 'pending' WHERE state = 'running';
    `);
    this.claimNext = this.db.transaction((names: string, now: number): JobRow | undefined => {
      const row = this.db
        .prepare(
          `SELECT id, name, data, attempts_made, max_attempts, backoff_ms, run_at, repeat_key FROM jobs
           WHERE state = 'pending' AND run_at <= ? AND name IN (SELECT value FROM json_each(?))
           ORDER BY run_at, created_at LIMIT 1`,
        )
        .get(now, names) as JobRow | undefined;
      if (row) this.db.prepare(`UPDATE jobs SET state = 'running' WHERE id = ?`).run(row.id);
      return row;
    });
  }

  register<T = any>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler);
    if (this.started) this.wake();
  }

  /** The jobs added so far become durable (one fsync for all of them when the file is on NORMAL). */
  async flush(): Promise<void> {
    this.assertOpen();
    this.barrier.flush();
  }

  async add(name: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    this.assertOpen();
    this.barrier.written();
    const id = options.jobId ?? randomUUID();
    const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const delayMs = options.delayMs ?? 0;
    if (!(attempts >= 1) || !(backoffMs >= 0) || !(delayMs >= 0)) throw new Error('attempts must be >= 1, backoffMs and delayMs >= 0');
    const now = this.now();
    // A job whose id is already queued (waiting, delayed or running) is not added again.
    this.db
      .prepare(
        `INSERT INTO jobs (id, name, data, state, run_at, max_attempts, backoff_ms, created_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(id, name, JSON.stringify(data), now + delayMs, Math.floor(attempts), backoffMs, now);
    this.wake();
    return id;
  }

  async repeat(name: string, data: Record<string, unknown>, everyMs: number, repeatKey: string): Promise<void> {
    this.assertOpen();
    if (!(everyMs > 0)) throw new Error('everyMs must be > 0');
    const now = this.now();
    const id = REPEAT_PREFIX + repeatKey;
    this.db.transaction(() => {
      const before = this.db.prepare('SELECT every_ms FROM repeats WHERE repeat_key = ?').pluck().get(repeatKey) as number | undefined;
      this.db
        .prepare(
          `INSERT INTO repeats (repeat_key, name, data, every_ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (repeat_key) DO UPDATE SET name = excluded.name, data = excluded.data, every_ms = excluded.every_ms`,
        )
        .run(repeatKey, name, JSON.stringify(data), everyMs);
      // Registering again (every start of the app) keeps the schedule; a changed interval restarts it.
      this.db
        .prepare(
          `INSERT INTO jobs (id, name, data, state, run_at, max_attempts, backoff_ms, repeat_key, created_at)
           VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data,
             run_at = CASE WHEN ? THEN excluded.run_at ELSE jobs.run_at END`,
        )
        .run(id, name, JSON.stringify(data), now + everyMs, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, repeatKey, now, before !== undefined && before !== everyMs ? 1 : 0);
    })();
    this.wake();
  }

  /** Removes a pending job; given a repeatable job's id (`repeat:<key>`) or its repeat key, also ends the repetition. */
  async remove(jobId: string): Promise<boolean> {
    this.assertOpen();
    return this.db.transaction(() => {
      const repeatKey = jobId.startsWith(REPEAT_PREFIX) ? jobId.slice(REPEAT_PREFIX.length) : jobId;
      const repeats = this.db.prepare('DELETE FROM repeats WHERE repeat_key = ?').run(repeatKey).changes;
      const ids = repeats > 0 ? [jobId, REPEAT_PREFIX + repeatKey] : [jobId];
      let removed = 0;
      for (const id of new Set(ids)) removed += this.db.prepare(`DELETE FROM jobs WHERE id = ? AND state = 'pending'`).run(id).changes;
      return removed + repeats > 0;
    })();
  }

  async failed(limit = 50): Promise<FailedJob[]> {
    this.assertOpen();
    const rows = this.db
      .prepare('SELECT id, name, data, attempts, error, failed_at FROM failed_jobs ORDER BY seq DESC LIMIT ?')
      .all(limit) as { id: string; name: string; data: string; attempts: number; error: string; failed_at: string }[];
    return rows.map((r) => ({ id: r.id, name: r.name, data: JSON.parse(r.data), attempts: r.attempts, error: r.error, failedAt: r.failed_at }));
  }

  async pendingCount(): Promise<number> {
    this.assertOpen();
    return this.db.prepare(`SELECT count(*) FROM jobs WHERE state = 'pending'`).pluck().get() as number;
  }

  async start(): Promise<void> {
    this.assertOpen();
    if (this.closing) throw new Error('SqliteJobQueue is closing');
    this.started = true;
    this.wake();
  }

  /** Stops claiming jobs, waits for the running handlers (their outcome is recorded), then closes the file. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values()]);
    this.closed = true;
    this.db.close();
  }

  /**
   * Resolves once no registered job is due at the clock's `now` and none is running. With an injected clock
   * this is how a test (or an operator's script) knows that everything due has run, and that a job not yet
   * due has not, without sleeping for a poll interval and hoping.
   */
  async idle(): Promise<void> {
    this.assertOpen();
    const names = JSON.stringify([...this.handlers.keys()]);
    for (;;) {
      if (this.running.size > 0) {
        await Promise.allSettled([...this.running.values()]);
        continue;
      }
      const due = this.db
        .prepare(`SELECT count(*) FROM jobs WHERE state = 'pending' AND run_at <= ? AND name IN (SELECT value FROM json_each(?))`)
        .pluck()
        .get(this.now(), names) as number;
      if (due === 0 || !this.started || this.closing) return;
      if (this.timer) clearTimeout(this.timer);
      this.tick(); // claims the due jobs now instead of at the next poll
      await new Promise((resolve) => setImmediate(resolve)); // a claim that failed (busy file) is retried, not spun on
    }
  }

  private wake(): void {
    if (this.started) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.closing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(delayMs, 2 ** 31 - 1)));
  }

  /** Claims and starts due jobs up to the concurrency, then sleeps until the next one is due. */
  private tick(): void {
    this.timer = null;
    if (this.closing) return;
    const names = JSON.stringify([...this.handlers.keys()]);
    try {
      while (this.running.size < this.concurrency) {
        const row = this.claimNext.immediate(names, this.now());
        if (!row) break;
        const run = this.execute(row).finally(() => {
          this.running.delete(row.id);
          if (!this.closing) this.schedule(0);
        });
        this.running.set(row.id, run);
      }
      if (this.running.size >= this.concurrency) return; // a finishing job reschedules
      const nextDue = this.db
        .prepare(`SELECT min(run_at) FROM jobs WHERE state = 'pending' AND name IN (SELECT value FROM json_each(?))`)
        .pluck()
        .get(names) as number | null;
      this.schedule(nextDue === null ? this.pollMs : Math.min(this.pollMs, nextDue - this.now()));
    } catch (err) {
      // A busy or failing database must not kill the loop; try again later.
      console.error(`SqliteJobQueue: ${(err as Error).message}`);
      this.schedule(this.pollMs);
    }
  }

  private async execute(row: JobRow): Promise<void> {
    const attempt = row.attempts_made + 1;
    const job: Job = { id: row.id, name: row.name, data: JSON.parse(row.data), attempt };
    let error: unknown = null;
    try {
      const handler = this.handlers.get(row.name);
      if (!handler) throw new Error(`No handler registered for job ${row.name}`);
      await handler(job);
    } catch (err) {
      error = err ?? new Error('job failed');
    }
    this.db.transaction(() => {
      const now = this.now();
      if (error === null) return this.finishRun(row, now);
      if (attempt < row.max_attempts) {
        const retryAt = now + row.backoff_ms * 2 ** (attempt - 1);
        this.db.prepare(`UPDATE jobs SET state = 'pending', attempts_made = ?, run_at = ? WHERE id = ?`).run(attempt, retryAt, row.id);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.db
        .prepare('INSERT INTO failed_jobs (id, name, data, attempts, error, failed_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(row.id, row.name, row.data, attempt, message, new Date(now).toISOString());
      this.finishRun(row, now);
    })();
  }

  /** After the last try: a repeatable job waits for its next occurrence, any other job is done. */
  private finishRun(row: JobRow, now: number): void {
    const repeat = row.repeat_key
      ? (this.db.prepare('SELECT name, data, every_ms FROM repeats WHERE repeat_key = ?').get(row.repeat_key) as
          | { name: string; data: string; every_ms: number }
          | undefined)
      : undefined;
    if (!repeat) {
      this.db.prepare('DELETE FROM jobs WHERE id = ?').run(row.id);
      return;
    }
    // Next occurrence on the original cadence; occurrences missed while down are skipped, not replayed.
    let next = row.run_at + repeat.every_ms;
    if (next <= now) next = now + repeat.every_ms - ((now - row.run_at) % repeat.every_ms);
    this.db
      .prepare(`UPDATE jobs SET state = 'pending', attempts_made = 0, run_at = ?, name = ?, data = ? WHERE id = ?`)
      .run(next, repeat.name, repeat.data, row.id);
  }

  /** Still usable while closing: a running handler may enqueue follow-up jobs (they run after a restart). */
  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteJobQueue is closed');
  }
}
