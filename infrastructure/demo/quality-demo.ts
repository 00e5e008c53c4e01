import type { CommandMeta } from '../../application/ledger/ledger';
import { ConfigureModelCommand, DistributeTaskCommand, PublishTaskCommand } from '../../application/monitoring/task-commands';
import { RecordResultCommand, type RecordedResult } from '../../application/sampling/record-result';
import { TakeSampleCommand } from '../../application/sampling/take-sample';
import type { MonitoringModel } from '../../domain/monitoring/model';
import type { Actor } from '../../domain/shared/actor';

export interface QualityDemoSummary {
  taskId: string;
  /** The lot whose sample failed: it and its downstream lot are on hold (不合格) in the consumer view. */
  failedTraceCode: string;
  caseId: string | null;
  warnings: number;
}

/** 海南省农业农村厅 publishes, the provincial lab (the demo-lab account's organisation) does the work. */
const AGENCY: Actor = { userId: 'demo-hainan-staff', orgId: 'org-demo-hainan', role: 'province-admin', regionCode: '46' };
const LAB: Actor = { userId: 'demo-lab-staff', orgId: 'org-demo-lab', role: 'lab', regionCode: '46' };

/** GB 2763-2021 maximum residue limits for 豇豆, the analytes of the 2023 cowpea campaigns. */
const COWPEA_MODEL: MonitoringModel = {
  products: ['豇豆'],
  standard: 'GB 2763-2021 食品安全国家标准 食品中农药最大残留限量',
  analytes: [
    { code: 'clothianidin', name: '噻虫胺', limit: { kind: 'max', value: 0.01, unit: 'mg/kg' }, lod: { value: 0.002, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
    { code: 'carbofuran', name: '克百威', limit: { kind: 'max', value: 0.02, unit: 'mg/kg' }, lod: { value: 0.005, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
    { code: 'omethoate', name: '氧乐果', limit: { kind: 'max', value: 0.02, unit: 'mg/kg' }, lod: { value: 0.005, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
    { code: 'cyromazine', name: '灭蝇胺', limit: { kind: 'max', value: 0.5, unit: 'mg/kg' }, lod: { value: 0.01, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
  ],
};

const cst = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The regulator's side of the demo: a 豇豆 special monitoring task in Hainan with two samples taken by
 * scanning trace codes — one passes (三亚), one fails for 噻虫胺 and 克百威 (文昌). The failure opens an
 * enforcement case and puts the 文昌 lot and the lot it became at 北京新发地 on hold.
 */
export async function loadQualityDemo(
  run: <R>(command: object) => Promise<R>,
  meta: (actor: Actor, occurredAt?: Date) => CommandMeta,
  now: Date,
  lots: { passing: string; failing: string },
): Promise<QualityDemoSummary> {
  const day = 86_400_000;
  const { taskId } = await run<{ taskId: string }>(
    new PublishTaskCommand(
      {
        kind: 'special',
        title: '海南豇豆农药残留专项监测',
        description: '重点监测噻虫胺、克百威、氧乐果、灭蝇胺',
        regionCode: '460000',
        period: { from: cst(new Date(now.getTime() - 10 * day)), to: cst(new Date(now.getTime() + 20 * day)) },
        urgency: 'urgent',
        leadLab: { orgId: LAB.orgId, name: '海南省农产品质量安全检测中心' },
        publisherName: '海南省农业农村厅',
      },
      meta(AGENCY),
    ),
  );
  await run(new ConfigureModelCommand({ taskId, model: COWPEA_MODEL }, meta(LAB)));
  await run(new DistributeTaskCommand({ taskId, assignments: [{ orgId: 'org-ledong-lab', name: '乐东县农产品质量安全检测站', regionCode: '469027', quota: 30 }] }, meta(LAB)));

  const sample = async (traceCode: string, address: string, regionCode: string) =>
    (
      await run<{ sampleId: string }>(
        new TakeSampleCommand(
          {
            taskId,
            traceCode,
            place: { address, regionCode },
            sampledAt: new Date(now.getTime() - day).toISOString(),
            sampler: { name: '陈抽样', certificateNo: 'HN-CY-0087' },
            quantity: { amount: 2, unit: 'kg' },
          },
          meta(LAB),
        ),
      )
    ).sampleId;
  const testedAt = new Date(now.getTime() - day / 2).toISOString();

  const passing = await sample(lots.passing, '三亚市崖州区南滨豇豆田', '460204');
  await run(
    new RecordResultCommand(
      {
        sampleId: passing,
        testedAt,
        reportNo: 'HNJC-2026-DJ-0001',
        analytes: [
          { code: 'clothianidin', value: 4, unit: 'μg/kg' },
          { code: 'carbofuran', notDetected: true },
          { code: 'omethoate', notDetected: true },
          { code: 'cyromazine', value: 0.08, unit: 'mg/kg' },
        ],
      },
      meta(LAB),
    ),
  );

  const failing = await sample(lots.failing, '文昌市潭牛镇豇豆基地', '469005');
  const result = await run<RecordedResult>(
    new RecordResultCommand(
      {
        sampleId: failing,
        testedAt,
        reportNo: 'HNJC-2026-DJ-0002',
        analytes: [
          { code: 'clothianidin', value: 35, unit: 'μg/kg' }, // 0.035 mg/kg > 0.01
          { code: 'carbofuran', value: 0.046, unit: 'mg/kg' }, // > 0.02
          { code: 'omethoate', notDetected: true },
          { code: 'cyromazine', notDetected: true },
        ],
      },
      meta(LAB),
    ),
  );
  return { taskId, failedTraceCode: lots.failing, caseId: result.caseId, warnings: result.warnings.length };
}
