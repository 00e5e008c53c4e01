import { auditEntryOf } from '../../application/audit-log/audit-entry';
import type { Projection } from '../runner/projection';

/**
 * One row per event, for the audit query "who did what, when, on which stream" (seed 004 log service), on the
 * distributed stack only: KurrentDB cannot filter by actor, time or source itself. The embedded stack answers
 * the same query from the ledger's own table instead (decision 0027; projections/index.ts `projectionsFor`).
 */
export const auditLogProjection: Projection = {
  name: 'audit-log',
  version: 2,
  handles: [], // empty = every event type (see ProjectionRunner)
  collections: ['audit_log'],
  async apply(event, ctx) {
    ctx.put('audit_log', { ...auditEntryOf(event) });
  },
};
