import type { SqliteDatabase } from './sqlite-database';

/**
 * The event log. `position` is the rowid with AUTOINCREMENT, so a position is never reused, and because
 * SQLite has one writer at a time, positions grow in commit order: a reader never sees a gap that a
 * later commit fills (subscriptions rely on this).
 *
 * `streams` holds each stream's current revision (the expected-revision check is one primary-key
 * lookup), `commands` maps an idempotency key to the contiguous position range its append wrote and the
 * request fingerprint stored with it (decision 0010; kept here, beside the events, never inside one).
 */
export function createEventStoreSchema(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position        INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id        TEXT    NOT NULL,
      type            TEXT    NOT NULL,
      schema_version  INTEGER NOT NULL,
      stream_id       TEXT    NOT NULL,
      revision        INTEGER NOT NULL,
      occurred_at     TEXT    NOT NULL,
      recorded_at     TEXT    NOT NULL,
      actor           TEXT    NOT NULL,
      command_id      TEXT    NOT NULL,
      correlation_id  TEXT    NOT NULL,
      causation_id    TEXT,
      data            TEXT    NOT NULL,
      prev_hash       TEXT    NOT NULL,
      hash            TEXT    NOT NULL,
      UNIQUE (stream_id, revision)
    );
    CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
    CREATE TABLE IF NOT EXISTS streams (
      stream_id TEXT PRIMARY KEY,
      revision  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS commands (
      command_id     TEXT PRIMARY KEY,
      first_position INTEGER NOT NULL,
      last_position  INTEGER NOT NULL,
      fingerprint    TEXT
    ) WITHOUT ROWID;
  `);
  // Ledgers older than decision 0010 have no fingerprint column: add it (NULL = stored without one).
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('commands') as string[];
  if (!columns.includes('fingerprint')) db.exec('ALTER TABLE commands ADD COLUMN fingerprint TEXT');
}

export const EVENT_COLUMNS =
  'position, event_id, type, schema_version, stream_id, revision, occurred_at, recorded_at, actor, ' +
  'command_id, correlation_id, causation_id, data, prev_hash, hash';

export interface EventRow {
  position: number;
  event_id: string;
  type: string;
  schema_version: number;
  stream_id: string;
  revision: number;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  command_id: string;
  correlation_id: string;
  causation_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}
