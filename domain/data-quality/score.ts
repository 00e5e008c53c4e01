import { SEVERITY_WEIGHTS, type Severity } from './rules';

/**
 * The data-quality score of a region (数据质量评分), 0–100:
 *
 *   score = 100 × (1 − min(1, Σ weight(severity) of the open findings / number of records checked))
 *
 * with weights high 1, medium 0.5, low 0.2. A region whose every record carries one serious open problem scores
 * 0; one without records scores null (nothing to judge). Rounded to one decimal. Exported for the statistics
 * dashboards (STATS) and used by the data-quality API and report (docs/decisions/0017-data-quality.md).
 */
export function qualityScore(openBySeverity: Partial<Record<Severity, number>>, subjects: number): number | null {
  if (subjects <= 0) return null;
  let weighted = 0;
  for (const [severity, n] of Object.entries(openBySeverity)) weighted += SEVERITY_WEIGHTS[severity as Severity] * (n ?? 0);
  return Math.round(1000 * (1 - Math.min(1, weighted / subjects))) / 10;
}
