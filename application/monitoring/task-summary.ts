import type { TaskSummary } from '../../domain/monitoring';
import type { ReadDoc } from '../ports/read-store';
import type { ReadModels } from '../ports/read-models';

interface OutcomeDoc {
  code: string;
  name: string;
  detected: boolean;
  verdict: string;
}

/**
 * 检测结果汇总 (seed 002, 第十七/十八条): counts per verdict and per analyte over a task's samples — one lab's
 * (its summary to the lead lab) or all (the lead lab's report to the publishing agency). The verdict that
 * counts is the final one (a re-test's when there was one).
 */
export function summarize(samples: ReadDoc[]): TaskSummary {
  const tested = samples.filter((s) => s.verdict);
  const count = (v: string) => tested.filter((s) => s.verdict === v).length;
  const analytes = new Map<string, TaskSummary['analytes'][number]>();
  for (const s of tested) {
    for (const o of (s.outcomes as OutcomeDoc[]) ?? []) {
      const a = analytes.get(o.code) ?? { code: o.code, name: o.name, tested: 0, detected: 0, exceeded: 0 };
      a.tested++;
      if (o.detected) a.detected++;
      if (o.verdict === 'fail') a.exceeded++;
      analytes.set(o.code, a);
    }
  }
  const passed = count('pass');
  return {
    samples: samples.length,
    tested: tested.length,
    passed,
    failed: count('fail'),
    inconclusive: count('inconclusive'),
    passRate: tested.length ? Math.round((passed / tested.length) * 10_000) / 10_000 : null,
    analytes: [...analytes.values()],
    failedSamples: tested
      .filter((s) => s.verdict === 'fail')
      .map((s) => ({
        sampleId: s._id,
        product: s.product as string,
        entityName: (s.subject as { entityName: string }).entityName,
        traceCode: (s.traceCode as string | null) ?? null,
        failed: (s.failed as string[]) ?? [],
      })),
  };
}

export async function taskSummary(models: ReadModels, taskId: string, labOrgId?: string): Promise<TaskSummary> {
  const samples = await models.find('samples', { taskId, ...(labOrgId ? { labOrgId } : {}) }, { sort: { sampledAt: 1 }, limit: 100_000 });
  return summarize(samples);
}
