import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

export interface OpenOptions {
  /**
   * FULL (default): each commit fsyncs the WAL, so an acknowledged write survives kill -9 AND power loss.
   * NORMAL: survives kill -9 (the OS holds the written pages) but may lose the last commits on power loss.
   * See docs/decisions/0002-embedded-sqlite-adapters.md for the measured difference.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** Size the WAL file is cut back to when SQLite rewinds it (`journal_size_limit`); WAL_SIZE_LIMIT_BYTES by default. */
  walSizeLimitBytes?: number;
}

/**
 * The WAL file keeps the size of the largest transaction it ever held: SQLite rewinds it after a complete
 * checkpoint and writes over it from the start, but never shrinks it unless `journal_size_limit` is set. One
 * rebuild (a new generation's indexes built in one transaction, an old one dropped) left the read models'
 * WAL at 1.5 GB beside a 2.9 GB file at the end of the quiet M benchmark (bench/RESULTS.md, session 10), and
 * 315 MB at S. 64 MiB is far above what the automatic checkpoint lets a WAL reach in normal operation (1,000
 * pages, ~4 MB), so ordinary batches never pay for cutting the file and growing it again.
 */
export const WAL_SIZE_LIMIT_BYTES = 64 * 2 ** 20;

/**
 * Opens one SQLite file the way every embedded adapter wants it: WAL (readers never block the single
 * writer, and other processes can read), a busy timeout instead of immediate SQLITE_BUSY when another
 * connection holds the write lock, and the configured fsync policy.
 */
export function openDatabase(filePath: string, options: OpenOptions = {}): SqliteDatabase {
  const db = new Database(filePath, { timeout: 10_000 });
  try {
    // ':memory:' answers 'memory' — there is no WAL for it, and nothing to make durable either.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`journal_size_limit = ${Math.max(0, Math.floor(options.walSizeLimitBytes ?? WAL_SIZE_LIMIT_BYTES))}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Whether a path names a real file (':memory:' and '' are private, per-connection databases). */
export function isFileBacked(filePath: string): boolean {
  return filePath !== ':memory:' && filePath !== '' && !filePath.startsWith('file::memory:');
}

/** Prepared statements keyed by SQL text: dynamic queries (filters of varying shape) are compiled once. */
export class StatementCache {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly maxSize = 500,
  ) {}

  get(sql: string): SqliteStatement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      // A runaway number of distinct shapes would otherwise grow without bound; forget the oldest.
      if (this.statements.size >= this.maxSize) this.statements.delete(this.statements.keys().next().value!);
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Statements compiled against a table that was dropped must not be reused. */
  clear(): void {
    this.statements.clear();
  }
}

/**
 * Deferred durability for a file opened with synchronous=NORMAL: commits are not fsynced one by one, and
 * `flush()` makes all of them durable with one commit in FULL mode (in WAL mode that fsyncs the log file,
 * and with it every earlier commit of the file). Nothing to do when the file is FULL or nothing was written.
 */
export class DurabilityBarrier {
  private readonly deferred: boolean;
  private unsynced = false;

  constructor(
    private readonly db: SqliteDatabase,
    options: OpenOptions,
  ) {
    this.deferred = options.synchronous === 'NORMAL';
    db.exec('CREATE TABLE IF NOT EXISTS sync_barrier (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)');
  }

  /** A commit happened (or is about to) that flush() must cover. */
  written(): void {
    this.unsynced = true;
  }

  flush(): void {
    if (!this.deferred || !this.unsynced) return;
    this.db.pragma('synchronous = FULL');
    try {
      this.db.prepare('INSERT INTO sync_barrier (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1').run();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
    this.unsynced = false;
  }
}
