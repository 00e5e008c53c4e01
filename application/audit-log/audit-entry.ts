import type { AuditLogEntry } from '../ports/audit-log-query';
import type { RecordedEvent } from '../ports/event-store';

/** Longest keyword text kept per entry: enough for every payload's identifying values, bounded for huge ones. */
export const KEYWORDS_MAX_CHARS = 2000;

/**
 * The audit entry of one event. The one definition both audit adapters use: the read model stores it, the
 * embedded adapter derives it from the event row when it answers — so both answer the same entries.
 */
export function auditEntryOf(event: RecordedEvent): AuditLogEntry {
  return {
    _id: event.eventId,
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    actorUserId: event.actor.userId,
    actorOrgId: event.actor.orgId,
    actorRole: event.actor.role,
    regionCode: event.actor.regionCode ?? '',
    commandId: event.commandId,
    correlationId: event.correlationId,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    source: auditSourceOf(event.data),
    keywords: [event.type, event.streamId, ...scalarValues(event.data)].join(' ').slice(0, KEYWORDS_MAX_CHARS),
  };
}

/** Logins and access-log entries carry the client address as `data.source`; no other shape counts as one. */
export function auditSourceOf(data: Record<string, unknown>): string | null {
  return typeof data.source === 'string' ? data.source : null;
}

function scalarValues(data: unknown, out: string[] = []): string[] {
  if (data === null || data === undefined) return out;
  if (typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') out.push(String(data));
  else if (Array.isArray(data)) data.forEach((d) => scalarValues(d, out));
  else if (typeof data === 'object') Object.values(data as object).forEach((d) => scalarValues(d, out));
  return out;
}
