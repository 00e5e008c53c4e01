import { auditEntryOf } from '../../application/audit-log/audit-entry';
import { upcast } from '../../application/ledger/registered-upcasters';
import type { AuditLogCriteria, AuditLogEntry, AuditLogQuery } from '../../application/ports/audit-log-query';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-store-schema';
import { StatementCache, type SqliteDatabase } from './sqlite-database';
import { prefixCondition } from './text-range';

/**
 * The audit query answered by the ledger itself (decision 0027): the `events` table's virtual audit columns
 * and their indexes (event-store-schema.ts) select the rows, and each entry is derived from its event by the
 * same `auditEntryOf` the distributed stack's read model stores. Reads share the store's connection: SQLite
 * answers them from the last committed state, and no second copy of the log exists to fall behind.
 */
export class SqliteAuditLogQuery implements AuditLogQuery {
  private readonly statements: StatementCache;

  /**
   * `probeRows`: how many of the newest events a page is first looked for in, by position alone (see find).
   * Tests make it small so that both plans answer.
   */
  constructor(
    db: SqliteDatabase,
    private readonly probeRows = PROBE_ROWS,
  ) {
    this.statements = new StatementCache(db);
  }

  /**
   * A page, newest first. Looked for first among the newest `probeRows` events by position alone (`NOT INDEXED`:
   * the rowid range, each row's columns tested): a filter that matches densely, such as one actor or one busy
   * day, fills its page there in a few ms. Through its index the same filter would fetch every matching row
   * and sort them all by position for the newest few (1.6 s for one day of a million events,
   * bench/audit-query-results.md). The newest slice holding a full page means that page is the newest matches
   * of the whole log, so the answer is the same. Otherwise, a sparse filter or a deep page, the indexed query
   * answers; the probe then cost at most `probeRows` row tests (~1–2 ms for 2,000).
   */
  async find(criteria: AuditLogCriteria, page: { skip: number; limit: number }): Promise<AuditLogEntry[]> {
    const { where, params } = whereOf(criteria);
    if (where && page.limit > 0 && page.skip + page.limit <= this.probeRows) {
      const probed = this.statements
        .get(`SELECT ${EVENT_COLUMNS} FROM events NOT INDEXED${where} AND position > (SELECT coalesce(max(position), 0) FROM events) - ? ORDER BY position DESC LIMIT ? OFFSET ?`)
        .all(...params, this.probeRows, page.limit, page.skip) as EventRow[];
      if (probed.length === page.limit) return probed.map(entryOfRow);
    }
    const rows = this.statements.get(`SELECT ${EVENT_COLUMNS} FROM events${where} ORDER BY position DESC LIMIT ? OFFSET ?`).all(...params, page.limit, page.skip) as EventRow[];
    return rows.map(entryOfRow);
  }

  async count(criteria: AuditLogCriteria): Promise<number> {
    const { where, params } = whereOf(criteria);
    return this.statements.get(`SELECT count(*) FROM events${where}`).pluck().get(...params) as number;
  }

  async entry(eventId: string): Promise<AuditLogEntry | null> {
    const row = this.statements.get(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`).get(eventId) as EventRow | undefined;
    return row ? entryOfRow(row) : null;
  }
}

/** The newest events a page is first looked for in (find). */
const PROBE_ROWS = 2_000;

/**
 * Upcast first, as the projections see events: an old version's upcaster may drop what must never reach a view
 * (a development ledger's password hash in AccountCreated v1), and the keywords must not find it either.
 */
function entryOfRow(row: EventRow): AuditLogEntry {
  return auditEntryOf(upcast(toRecordedEvent(row)));
}

function whereOf(c: AuditLogCriteria): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (c.regionPrefix) conditions.push(prefixCondition('actor_region', c.regionPrefix, params));
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    conditions.push(`${column} = ?`);
    params.push(value);
  };
  equal('actor_user_id', c.actorUserId);
  equal('stream_id', c.streamId);
  equal('type', c.type);
  equal('source', c.source);
  if (c.recordedFrom !== undefined) {
    conditions.push('recorded_at >= ?');
    params.push(c.recordedFrom);
  }
  if (c.recordedTo !== undefined) {
    conditions.push('recorded_at <= ?');
    params.push(c.recordedTo);
  }
  return { where: conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '', params };
}
