import type { ReadModels } from '../../application/ports/read-models';
import { PRODUCTS } from '../generator/catalog';
import { Prng } from '../generator/prng';
import type { HttpClient } from '../lib/http';
import { now, summarize, type Summary } from '../lib/stats';

/**
 * Monitoring on top of the supply chains (the quality module): per province one special task (published
 * by the province, model and distribution by its lead lab), then samples of lots held there and a lab
 * result for each — 5 % failing, which opens a case, holds the lot and everything downstream and raises
 * warnings. These commands are not batch types: they go through their own routes, 4 at a time.
 */
export async function sampleAndTest(
  client: HttpClient,
  models: ReadModels,
  options: { samples: number; seed: number; concurrency?: number },
): Promise<{ tasks: number; samples: number; results: number; failedVerdicts: number; errors: Record<string, number>; seconds: number; sampleMs: Summary; resultMs: Summary; events: number }> {
  const rng = new Prng(options.seed);
  const headBefore = await head(client);
  const start = now();
  // Lots come back in trace-code order (region first): take a wide slice and draw from it.
  const lots = await models.find('lots', {}, { limit: options.samples * 20 });
  const picked = lots.filter(() => rng.chance(0.05)).slice(0, options.samples);
  const errors: Record<string, number> = {};
  const fail = (what: string, res: { status: number; body: any }) => {
    const key = `${what} ${res.status} ${res.body?.error ?? ''}`.trim();
    errors[key] = (errors[key] ?? 0) + 1;
  };
  const today = new Date(Date.now() + 8 * 3_600_000);
  const day = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);

  // One task per province that has a sampled lot.
  const tasks = new Map<string, { taskId: string; lab: { orgId: string; name: string } }>();
  for (const province of new Set(picked.map((l) => (l.holder as { regionCode: string }).regionCode.slice(0, 2)))) {
    const lab = { orgId: `lab-${province}-center`, name: `${province} 省级农产品质量安全检测中心` };
    const asProvince = client.withHeaders({ 'X-Role': 'province-admin', 'X-Org-Id': `agri-${province}`, 'X-User-Id': `u-agri-${province}`, 'X-Region': province });
    const asLab = client.withHeaders({ 'X-Role': 'lab', 'X-Org-Id': lab.orgId, 'X-User-Id': `u-${lab.orgId}`, 'X-Region': province });
    const published = await asProvince.post('/api/v1/tasks', { kind: 'special', title: '农药残留专项监测（基准测试）', regionCode: `${province}0000`, period: { from: day(-30), to: day(30) }, leadLab: lab });
    if (published.status !== 201) {
      fail('task', published);
      continue;
    }
    const taskId = published.body.taskId as string;
    const model = {
      products: PRODUCTS.map((p) => p.name),
      standard: 'GB 2763-2021 食品安全国家标准 食品中农药最大残留限量',
      analytes: [
        { code: 'clothianidin', name: '噻虫胺', limit: { kind: 'max', value: 0.01, unit: 'mg/kg' }, lod: { value: 0.002, unit: 'mg/kg' } },
        { code: 'carbofuran', name: '克百威', limit: { kind: 'max', value: 0.02, unit: 'mg/kg' }, lod: { value: 0.005, unit: 'mg/kg' } },
      ],
    };
    const configured = await asLab.post(`/api/v1/tasks/${taskId}/model`, { model });
    const distributed = configured.status === 200 ? await asLab.post(`/api/v1/tasks/${taskId}/distribute`, { assignments: [lab] }) : configured;
    if (distributed.status !== 200) {
      fail('task setup', distributed);
      continue;
    }
    tasks.set(province, { taskId, lab });
  }

  const sampleMs: number[] = [];
  const resultMs: number[] = [];
  let samples = 0;
  let results = 0;
  let failedVerdicts = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 4 }, async () => {
      for (let i = next++; i < picked.length; i = next++) {
        const lot = picked[i]!;
        const region = (lot.holder as { regionCode: string }).regionCode;
        const task = tasks.get(region.slice(0, 2));
        if (!task) continue;
        const asLab = client.withHeaders({ 'X-Role': 'lab', 'X-Org-Id': task.lab.orgId, 'X-User-Id': `u-${task.lab.orgId}`, 'X-Region': region.slice(0, 2) });
        let t = now();
        const sample = await asLab.post('/api/v1/samples', {
          taskId: task.taskId,
          traceCode: lot._id,
          place: { address: `${region} 农贸市场`, regionCode: region },
          sampledAt: new Date(Date.now() - 3_600_000).toISOString(),
          sampler: { name: '基准抽样员', certificateNo: 'BENCH-0001' },
          quantity: { amount: 1, unit: 'kg' },
        });
        sampleMs.push(now() - t);
        if (sample.status !== 201) {
          fail('sample', sample);
          continue;
        }
        samples++;
        const failing = rng.chance(0.05);
        t = now();
        const result = await asLab.post(`/api/v1/samples/${sample.body.sampleId}/results`, {
          analytes: failing
            ? [{ code: 'clothianidin', value: 35, unit: 'μg/kg' }, { code: 'carbofuran', notDetected: true }]
            : [{ code: 'clothianidin', value: 4, unit: 'ug/kg' }, { code: 'carbofuran', notDetected: true }],
          testedAt: new Date(Date.now() - 60_000).toISOString(),
          reportNo: `BENCH-${i}`,
        });
        resultMs.push(now() - t);
        if (result.status !== 201) {
          fail('result', result);
          continue;
        }
        results++;
        if (result.body.verdict === 'fail') failedVerdicts++;
      }
    }),
  );
  return { tasks: tasks.size, samples, results, failedVerdicts, errors, seconds: (now() - start) / 1000, sampleMs: summarize(sampleMs), resultMs: summarize(resultMs), events: (await head(client)) - headBefore };
}

async function head(client: HttpClient): Promise<number> {
  const { body } = await client.get<{ head: number }[]>('/api/v1/admin/projections');
  return body[0]?.head ?? 0;
}
