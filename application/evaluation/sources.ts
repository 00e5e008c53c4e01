import type { ReadModels } from '../ports/read-models';
import { dataQualityScores } from './data-quality-scores';
import type { EvaluationSources } from './evaluation-queries';
import { originTimelinessOf } from './origin-timeliness';

/**
 * The two evaluation indicators that come from other read models, for a region and the regions one level
 * below it (the rows of the evaluation), each read from pre-aggregated per-region documents:
 *  - 数据质量评分: the data-quality score (100 × (1 − weighted open findings ÷ records checked), decision 0017)
 *    as a share, from the data-quality projection's per-region counters (data-quality-scores.ts);
 *  - 产地信息及时率: of the region's origin records (数字地图, decision 0016), the share not past their refresh
 *    date (each record is due again within its product's collection period), from the records per region by
 *    due day (origin-timeliness.ts).
 * Both are the state now — they have no month-by-month history — so the monthly trend leaves them out.
 */
export async function evaluationSources(models: ReadModels, region: string, now: Date): Promise<EvaluationSources> {
  const [scores, originTimeliness] = await Promise.all([dataQualityScores(models, region, now), originTimelinessOf(models, region, now)]);
  return {
    dataQuality: async (code) => {
      const score = scores.get(code);
      return score === null || score === undefined ? null : score / 100;
    },
    originTimeliness,
  };
}
