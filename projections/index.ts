import { accountsProjection } from './accounts/accounts.projection';
import { auditLogProjection } from './audit-log/audit-log.projection';
import { entitiesProjection } from './entities/entities.projection';
import { lotsProjection } from './lots/lots.projection';
import type { Projection } from './runner/projection';
import { searchProjection } from './search/search.projection';
import { traceGraphProjection } from './trace-graph/trace-graph.projection';
import { transfersProjection } from './transfers/transfers.projection';
import { qualityProjections, qualityReadModelIndexes } from './quality';
import { incidentReadModelIndexes, incidentsProjection } from './incidents/incidents.projection';
import { recallProjection, recallReadModelIndexes } from './recall/recall.projection';
import { statisticsProjection, statisticsReadModelIndexes, statisticsSideProjections } from './statistics';
import { originReadModelIndexes, originRecordsProjection } from './origin/origin-records.projection';
import { originPointsProjection } from './origin/origin-points.projection';
import { dataQualityProjection, dataQualityReadModelIndexes } from './data-quality';
import { attachmentsProjection } from './attachments/attachments.projection';
import { complaintReadModelIndexes, complaintsProjection } from './complaints/complaints.projection';

/** Every read model the platform maintains; the runner builds and feeds each one. */
export const allProjections: readonly Projection[] = [
  lotsProjection,
  traceGraphProjection,
  transfersProjection,
  entitiesProjection,
  searchProjection,
  auditLogProjection,
  accountsProjection,
  ...qualityProjections,
  incidentsProjection,
  recallProjection,
  statisticsProjection,
  ...statisticsSideProjections,
  dataQualityProjection,
  originRecordsProjection,
  originPointsProjection,
  attachmentsProjection,
  complaintsProjection,
];

/**
 * The projections a stack runs. The embedded ledger answers the audit query from its own table (decision
 * 0027), so the `audit-log` read model is only built where the log cannot (KurrentDB).
 */
export function projectionsFor(eventStore: 'sqlite' | 'kurrentdb'): readonly Projection[] {
  return eventStore === 'sqlite' ? allProjections.filter((p) => !EMBEDDED_RETIRED.some((r) => r.name === p.name)) : allProjections;
}

/** Projections the embedded stack no longer runs, with the collections a ledger from before may still hold. */
export const EMBEDDED_RETIRED: readonly { name: string; collections: readonly string[] }[] = [{ name: auditLogProjection.name, collections: auditLogProjection.collections }];

/** Indexes each read model's queries rely on (created on the live generation at start). */
export const readModelIndexes: Record<string, string[][]> = {
  lots: [['holder.entityId'], ['parentTraceCode'], ['rootTraceCode'], ['regionCode'], ['product']],
  lot_edges: [['from', 'to'], ['to']], // (from, to): the recursive walk steps inside the index (decision 0021)
  transfers: [['toEntityId', 'status'], ['fromEntityId'], ['fromTraceCode']],
  entities: [['eid'], ['regionCode'], ['status']],
  audit_log: [['streamId'], ['actorUserId'], ['recordedAt'], ['type']],
  accounts: [['regionCode'], ['username']],
  ...qualityReadModelIndexes,
  ...incidentReadModelIndexes,
  ...recallReadModelIndexes,
  ...statisticsReadModelIndexes,
  ...dataQualityReadModelIndexes,
  ...originReadModelIndexes,
  ...complaintReadModelIndexes,
};
