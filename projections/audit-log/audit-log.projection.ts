import type { Projection } from '../runner/projection';

/**
 * One row per event, for the audit query "who did what, when, on which stream" (seed 004 log service).
 * The ledger itself stays the source of truth; this is an index over it by actor, time, stream and type.
 */
export const auditLogProjection: Projection = {
  name: 'audit-log',
  version: 2,
  handles: [], // empty = every event type (see ProjectionRunner)
  collections: ['audit_log'],
  async apply(event, ctx) {
    ctx.put('audit_log', {
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
      /** Client address of logins and access-log entries (seed 004: query by source). */
      source: typeof event.data.source === 'string' ? event.data.source : null,
      /** Keywords for free-text audit search: the type and the scalar values of the payload. */
      keywords: [event.type, event.streamId, ...scalarValues(event.data)].join(' ').slice(0, 2000),
    });
  },
};

function scalarValues(data: unknown, out: string[] = []): string[] {
  if (data === null || data === undefined) return out;
  if (typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') out.push(String(data));
  else if (Array.isArray(data)) data.forEach((d) => scalarValues(d, out));
  else if (typeof data === 'object') Object.values(data as object).forEach((d) => scalarValues(d, out));
  return out;
}
