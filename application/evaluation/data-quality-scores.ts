import { regionScores } from '../data-quality/queries';
import type { ReadModels } from '../ports/read-models';

/**
 * 数据质量评分 of a region and of each region one level below it, for the evaluation: the data-quality module's
 * own scores (`regionScores`: pre-aggregated counters from the country down to a city, the findings themselves
 * for a county or a township), as region code → score.
 */
export async function dataQualityScores(models: ReadModels, region: string, now: Date): Promise<Map<string, number | null>> {
  const dq = await regionScores(models, region, now);
  return new Map<string, number | null>([[dq.region.regionCode, dq.region.score], ...dq.children.map((c) => [c.regionCode, c.score] as [string, number | null])]);
}
