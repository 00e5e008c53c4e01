/**
 * The audit query (seed 004 日志服务: who did what, when, from where, on which stream) as a port, so that each
 * stack answers it where it is cheapest (decision 0027):
 * - embedded (EVENT_STORE=sqlite): straight from the ledger's own `events` table, through indexes over the
 *   actor, the time and the source (infrastructure/sqlite/sqlite-audit-log-query.ts) — no second copy;
 * - distributed (KurrentDB, which cannot filter like this): from the `audit_log` read model
 *   (application/audit-log/read-model-audit-log-query.ts).
 * Both answer the same entries for the same criteria: tests/integration/audit-log-query.contract.spec.ts.
 */
export interface AuditLogCriteria {
  /** The actor's region starts with this (GB/T 2260 prefix; the caller's scope). */
  regionPrefix?: string;
  actorUserId?: string;
  streamId?: string;
  type?: string;
  /** Client address of logins, failed logins and access-log entries. */
  source?: string;
  /** recordedAt bounds, inclusive, ISO-8601 (compared as the stored text, as the read model did). */
  recordedFrom?: string;
  recordedTo?: string;
}

/** One event as the audit log shows it: its envelope's who/when/where, and keywords for free-text search. */
export interface AuditLogEntry {
  _id: string; // the event id
  position: number;
  streamId: string;
  revision: number;
  type: string;
  actorUserId: string;
  actorOrgId: string;
  actorRole: string;
  regionCode: string;
  commandId: string;
  correlationId: string;
  occurredAt: string;
  recordedAt: string;
  source: string | null;
  /** The type, the stream and the scalar values of the payload (up to 2,000 characters). */
  keywords: string;
}

export interface AuditLogQuery {
  /** Entries matching every criterion, newest (highest position) first. */
  find(criteria: AuditLogCriteria, page: { skip: number; limit: number }): Promise<AuditLogEntry[]>;
  count(criteria: AuditLogCriteria): Promise<number>;
  /** The entry of one event, by event id. */
  entry(eventId: string): Promise<AuditLogEntry | null>;
}

export const AUDIT_LOG_QUERY = Symbol('AuditLogQuery');
