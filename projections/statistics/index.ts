/** Pre-aggregated statistics (issue 14): the projection and the indexes its dashboard queries rely on. */
export { statisticsProjection, STATS_MEMO } from './statistics.projection';
export { STATS, STATS_ENTITIES, STATS_FLOWS, type StatsEntity } from './tally';
export * from './buckets';
export { METRIC, split, quantityCounters } from './metrics';
import { statisticsSideReadModelIndexes } from './side.projection';
export { originDueProjection, STATS_ORIGIN_DUE, STATS_ORIGIN_MEMO } from './origin-due.projection';
export { statisticsSideProjections, statisticsReportsProjection, uploadsProjection, STATISTICS_REPORTS, STATS_UPLOADS, STATS_UPLOAD_CLIENTS } from './side.projection';

export const statisticsReadModelIndexes: Record<string, string[][]> = {
  // No index on `parent`: no query reads children by parent (breakdowns select a level under a region prefix),
  // and each index costs every bucket write two json_extract evaluations per path (virtual generated columns).
  stats: [
    ['grain', 'region', 'product', 'period'],
    ['grain', 'level', 'product', 'period'],
  ],
  stats_flows: [['grain', 'level', 'product', 'period']],
  stats_entities: [['grain', 'region', 'period']],
  ...statisticsSideReadModelIndexes,
};
