import type { AuditLogCriteria, AuditLogEntry, AuditLogQuery } from '../ports/audit-log-query';
import type { ReadModels } from '../ports/read-models';
import type { Filter, ReadDoc } from '../ports/read-store';

/** The audit query over the `audit_log` read model (the distributed stack, where the log cannot answer it). */
export class ReadModelAuditLogQuery implements AuditLogQuery {
  constructor(private readonly models: ReadModels) {}

  async find(criteria: AuditLogCriteria, page: { skip: number; limit: number }): Promise<AuditLogEntry[]> {
    const docs = await this.models.find('audit_log', filterOf(criteria), { sort: { position: -1 }, skip: page.skip, limit: page.limit });
    return docs.map(entryOf);
  }

  count(criteria: AuditLogCriteria): Promise<number> {
    return this.models.count('audit_log', filterOf(criteria));
  }

  async entry(eventId: string): Promise<AuditLogEntry | null> {
    const doc = await this.models.get('audit_log', eventId);
    return doc ? entryOf(doc) : null;
  }
}

function filterOf(c: AuditLogCriteria): Filter {
  const filter: Filter = {};
  if (c.regionPrefix) filter.regionCode = { $prefix: c.regionPrefix };
  if (c.actorUserId !== undefined) filter.actorUserId = c.actorUserId;
  if (c.streamId !== undefined) filter.streamId = c.streamId;
  if (c.type !== undefined) filter.type = c.type;
  if (c.source !== undefined) filter.source = c.source;
  if (c.recordedFrom !== undefined || c.recordedTo !== undefined)
    filter.recordedAt = { ...(c.recordedFrom !== undefined ? { $gte: c.recordedFrom } : {}), ...(c.recordedTo !== undefined ? { $lte: c.recordedTo } : {}) };
  return filter;
}

/** The stored document minus the store's own version field. */
function entryOf(doc: ReadDoc): AuditLogEntry {
  const { _v: _version, ...entry } = doc;
  return entry as unknown as AuditLogEntry;
}
