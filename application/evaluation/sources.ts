import { regionScores } from '../data-quality/queries';
import type { ReadModels } from '../ports/read-models';
import type { Filter } from '../ports/read-store';
import type { EvaluationSources } from './evaluation-queries';

/**
 * The two evaluation indicators that come from other read models, for a region and the regions one level
 * below it (the rows of the evaluation):
 *  - 数据质量评分: the data-quality score (100 × (1 − weighted open findings ÷ records checked), decision 0017)
 *    as a share; one read of the region's findings serves the region and all its sub-regions;
 *  - 产地信息及时率: of the region's origin records (数字地图, decision 0016), the share not past their refresh
 *    date (each record is due again within its product's collection period).
 * Both are the state now — they have no month-by-month history — so the monthly trend leaves them out.
 */
export async function evaluationSources(models: ReadModels, region: string, now: Date): Promise<EvaluationSources> {
  const dq = await regionScores(models, region, now);
  const scores = new Map<string, number | null>([[dq.region.regionCode, dq.region.score], ...dq.children.map((c) => [c.regionCode, c.score] as [string, number | null])]);
  return {
    dataQuality: async (code) => {
      const score = scores.get(code);
      return score === null || score === undefined ? null : score / 100;
    },
    originTimeliness: async (code) => {
      const scope: Filter = code ? { villageCode: { $prefix: code } } : {};
      const [all, onTime] = await Promise.all([models.count('origin_records', scope), models.count('origin_records', { ...scope, refreshDueAt: { $gte: now.toISOString() } })]);
      return all > 0 ? onTime / all : null;
    },
  };
}
