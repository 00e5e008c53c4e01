import type { RecordedEvent } from '../../application/ports/event-store';
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
  createAuditColumns(db);
}

/**
 * What the audit query filters on (decision 0027), as VIRTUAL generated columns: computed from the envelope
 * when read or indexed, never stored in the row, never hashed — the event stays exactly what was appended.
 * `source` is the client address of logins and access-log entries (a string `data.source`; auditSourceOf).
 */
const AUDIT_COLUMNS: Record<string, string> = {
  actor_user_id: "json_extract(actor, '$.userId')",
  actor_region: "ifnull(json_extract(actor, '$.regionCode'), '')",
  source: "CASE WHEN json_type(data, '$.source') = 'text' THEN json_extract(data, '$.source') END",
};

/**
 * Each index also orders by position (the rowid every index entry ends with), so "newest first" reads an
 * index backwards. `source` is indexed only where present (a few events in a hundred).
 */
export const AUDIT_INDEXES: Record<string, string> = {
  events_by_event_id: 'events (event_id)',
  events_by_actor: 'events (actor_user_id)',
  events_by_actor_region: 'events (actor_region)',
  events_by_recorded_at: 'events (recorded_at)',
  events_by_source: 'events (source) WHERE source IS NOT NULL',
};

/**
 * Adds the audit columns and builds their indexes, once. On a ledger written before decision 0027 the build
 * reads every event (one pass per index, inside one transaction, before the store serves): measured in the
 * decision doc. Adding a virtual column rewrites nothing.
 */
function createAuditColumns(db: SqliteDatabase): void {
  const present = new Set(db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all('events') as string[]);
  const missing = Object.keys(AUDIT_COLUMNS).filter((c) => !present.has(c));
  const indexes = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'").pluck().all() as string[]);
  const absent = Object.keys(AUDIT_INDEXES).filter((name) => !indexes.has(name));
  if (missing.length === 0 && absent.length === 0) return;
  db.transaction(() => {
    for (const c of missing) db.exec(`ALTER TABLE events ADD COLUMN ${c} TEXT GENERATED ALWAYS AS (${AUDIT_COLUMNS[c]}) VIRTUAL`);
    for (const name of absent) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${AUDIT_INDEXES[name]}`);
  }).immediate();
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

/** A stored row as the port's RecordedEvent. */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    revision: row.revision,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: JSON.parse(row.actor),
    commandId: row.command_id,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    data: JSON.parse(row.data),
    prevHash: row.prev_hash,
    hash: row.hash,
    position: row.position,
  };
}
