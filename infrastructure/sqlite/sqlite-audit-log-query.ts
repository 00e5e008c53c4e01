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

  constructor(db: SqliteDatabase) {
    this.statements = new StatementCache(db);
  }

  async find(criteria: AuditLogCriteria, page: { skip: number; limit: number }): Promise<AuditLogEntry[]> {
    const { where, params } = whereOf(criteria);
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
