import type { CommandMeta } from '../../application/ledger/ledger';
import { IssueMarketEntryCommand } from '../../application/lots/issue-market-entry';
import { CreateLotCommand } from '../../application/lots/create-lot';
import { ConfigureModelCommand, DistributeTaskCommand, PublishTaskCommand } from '../../application/monitoring/task-commands';
import { RecordResultCommand } from '../../application/sampling/record-result';
import { TakeSampleCommand } from '../../application/sampling/take-sample';
import { ShipCommand } from '../../application/transfers/ship';
import { ConfirmTransferCommand, RejectTransferCommand } from '../../application/transfers/settle';
import type { MonitoringModel } from '../../domain/monitoring/model';
import type { Actor } from '../../domain/shared/actor';

/**
 * Sixteen months of back-dated trade (历史数据) so the statistics have trends, 同比 and 环比: the demo's supply
 * routes by season — winter 豇豆 from Hainan, autumn apples from Shandong, summer garlic, spring-to-autumn tea,
 * pigs all year — one hop each, with business times (`occurredAt`) on past days, a little more each year
 * (the second year ≈ 30 % above the first), an occasional refused delivery, certificates at the markets and
 * passing routine 豇豆/芒果 samples — about 70 lots and 250 commands, so `npm start` stays quick. Nothing here fails a test or raises a warning: the demo's one failure
 * (quality-demo.ts) stays the one the incident story starts from.
 */
export const HISTORY_MONTHS = 16;

interface HistoryFlow {
  origin: string;
  to: string;
  product: string;
  unit: 'kg' | 't' | 'jin' | 'head' | 'box';
  /** A lot's quantity in a peak month of the first year. */
  amount: number;
  /** Calendar months (1–12) of the season; a `peak` month's lot is 60 % larger. */
  season: number[];
  peak: number[];
  /** Where the receiver sells it with a market-entry certificate (入市凭证), if it does. */
  market?: { name: string; kind: 'wholesale' | 'retail' | 'processor'; regionCode: string };
}

const ALL_YEAR = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

const FLOWS: HistoryFlow[] = [
  { origin: 'ledong-coop', to: 'haikou-wholesale', product: '豇豆', unit: 'kg', amount: 3000, season: [11, 12, 1, 2, 3, 4, 5], peak: [1, 2, 3] },
  { origin: 'wenchang-coop', to: 'xinfadi', product: '豇豆', unit: 'kg', amount: 2000, season: [12, 1, 2, 3], peak: [2], market: { name: '北京新发地农产品批发市场', kind: 'wholesale', regionCode: '110106' } },
  { origin: 'sanya-mango', to: 'guangzhou-jiangnan', product: '芒果', unit: 't', amount: 8, season: [4, 5, 6, 7], peak: [5, 6], market: { name: '广州江南果菜批发市场', kind: 'wholesale', regionCode: '440111' } },
  { origin: 'qixia-apple', to: 'jinan-market', product: '苹果', unit: 't', amount: 15, season: [9, 10, 11, 12, 1, 2], peak: [10, 11], market: { name: '济南堤口果品批发市场', kind: 'wholesale', regionCode: '370105' } },
  { origin: 'jinxiang-garlic', to: 'xinfadi', product: '大蒜', unit: 't', amount: 20, season: [5, 6, 7, 8], peak: [6], market: { name: '北京新发地农产品批发市场', kind: 'wholesale', regionCode: '110106' } },
  { origin: 'menghai-tea', to: 'kunming-market', product: '茶叶', unit: 'kg', amount: 800, season: [3, 4, 5, 6, 7, 8, 9, 10], peak: [4], market: { name: '昆明金马正昌农产品批发市场', kind: 'wholesale', regionCode: '530111' } },
  { origin: 'kunming-flowers', to: 'xinfadi', product: '鲜切花', unit: 'box', amount: 600, season: ALL_YEAR, peak: [1, 2] },
  { origin: 'guanghan-pig', to: 'chengdu-slaughter', product: '生猪', unit: 'head', amount: 120, season: ALL_YEAR, peak: [12, 1] },
];

/** Routine monitoring of the season's 豇豆 and 芒果 (GB 2763-2021 limits) by the provincial lab, over the whole history. */
const AGENCY: Actor = { userId: 'demo-hainan-staff', orgId: 'org-demo-hainan', role: 'province-admin', regionCode: '46' };
const LAB: Actor = { userId: 'demo-lab-staff', orgId: 'org-demo-lab', role: 'lab', regionCode: '46' };
const ROUTINE_ANALYTES: MonitoringModel['analytes'] = [
  { code: 'clothianidin', name: '噻虫胺', limit: { kind: 'max', value: 0.01, unit: 'mg/kg' }, lod: { value: 0.002, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
  { code: 'carbofuran', name: '克百威', limit: { kind: 'max', value: 0.02, unit: 'mg/kg' }, lod: { value: 0.005, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
];
const SAMPLED_PRODUCTS = new Set(['豇豆', '芒果']);

const DAY = 86_400_000;
const cstDay = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
/** 10:00 China Standard Time on a CST day. */
const atCst = (day: string, hour = 10) => new Date(Date.parse(`${day}T00:00:00Z`) + (hour - 8) * 3_600_000);
function monthStart(now: Date, back: number): { year: number; month: number } {
  const [y, m] = cstDay(now.getTime()).split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - back, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}
const dayOf = (year: number, month: number, date: number) => `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;

export interface HistoryContext {
  run: <R>(command: object) => Promise<R>;
  meta: (actor: Actor, occurredAt?: Date) => CommandMeta;
  now: Date;
  entityIds: Map<string, string>;
  eids: Map<string, string>;
  producer: (entityId: string) => Actor;
}

export interface HistorySummary {
  months: number;
  lots: number;
  transfers: number;
  samples: number;
}

export async function loadDemoHistory(h: HistoryContext): Promise<HistorySummary> {
  const first = monthStart(h.now, HISTORY_MONTHS);
  const yesterday = cstDay(h.now.getTime() - DAY);
  const historyStart = dayOf(first.year, first.month, 1);
  const { taskId } = await h.run<{ taskId: string }>(
    new PublishTaskCommand(
      {
        kind: 'routine',
        title: '海南豇豆芒果农药残留例行监测',
        description: '按季节抽检出岛豇豆、芒果，检测噻虫胺、克百威',
        regionCode: '460000',
        period: { from: historyStart, to: yesterday },
        urgency: 'normal',
        leadLab: { orgId: LAB.orgId, name: '海南省农产品质量安全检测中心' },
        publisherName: '海南省农业农村厅',
      },
      h.meta(AGENCY, atCst(historyStart, 9)),
    ),
  );
  await h.run(new ConfigureModelCommand({ taskId, model: { products: ['豇豆', '芒果'], standard: 'GB 2763-2021 食品安全国家标准 食品中农药最大残留限量', analytes: ROUTINE_ANALYTES } }, h.meta(LAB, atCst(historyStart, 11))));
  await h.run(new DistributeTaskCommand({ taskId, assignments: [{ orgId: 'org-ledong-lab', name: '乐东县农产品质量安全检测站', regionCode: '469027', quota: 200 }] }, h.meta(LAB, atCst(historyStart, 14))));

  const summary: HistorySummary = { months: HISTORY_MONTHS, lots: 0, transfers: 0, samples: 0 };
  let sequence = 0;
  for (let back = HISTORY_MONTHS; back >= 1; back--) {
    const { year, month } = monthStart(h.now, back);
    // The second year grows: the last twelve months trade about 30 % more than the four before them.
    const growth = back <= 12 ? 1.3 : 1;
    for (const flow of FLOWS) {
      if (!flow.season.includes(month)) continue;
      sequence++;
      const day = dayOf(year, month, 4 + ((sequence * 7) % 20));
      // A deterministic wobble of ±15 % so neighbouring months differ.
      const wobble = 0.85 + ((sequence * 37) % 31) / 100;
      const peak = flow.peak.includes(month) ? 1.6 : 1;
      const amount = roundAmount(flow.amount * growth * peak * wobble, flow.unit);
      await tradeOnce(h, flow, day, amount, sequence, taskId, summary);
    }
  }
  return summary;
}

function roundAmount(x: number, unit: HistoryFlow['unit']): number {
  return unit === 't' ? Math.max(1, Math.round(x)) : Math.max(10, Math.round(x / 10) * 10);
}

/** One lot produced on `day`, most of it shipped the next day, confirmed (or now and then refused), maybe certified and sampled. */
async function tradeOnce(h: HistoryContext, flow: HistoryFlow, day: string, amount: number, sequence: number, taskId: string, summary: HistorySummary): Promise<void> {
  const originId = h.entityIds.get(flow.origin)!;
  const receiverId = h.entityIds.get(flow.to)!;
  const { traceCode } = await h.run<{ traceCode: string }>(
    new CreateLotCommand({ entityId: originId, baseId: 'B1', product: flow.product, quantity: { amount, unit: flow.unit }, productionDate: day }, h.meta(h.producer(originId), atCst(day, 8))),
  );
  summary.lots++;
  const shipped = flow.unit === 't' ? Math.max(1, Math.round(amount * 0.8)) : Math.round((amount * 0.8) / 10) * 10;
  const shipDay = atCst(day, 16);
  const { transferId } = await h.run<{ transferId: string }>(
    new ShipCommand({ fromTraceCode: traceCode, quantity: { amount: shipped, unit: flow.unit }, to: { kind: 'registered', eid: h.eids.get(flow.to)! } }, h.meta(h.producer(originId), shipDay)),
  );
  summary.transfers++;
  const settledAt = new Date(shipDay.getTime() + 20 * 3_600_000);
  if (sequence % 9 === 4) {
    await h.run(new RejectTransferCommand({ transferId, reason: '到货数量与单据不符，拒收' }, h.meta(h.producer(receiverId), settledAt)));
    return;
  }
  const { childTraceCode } = await h.run<{ childTraceCode: string }>(new ConfirmTransferCommand({ transferId }, h.meta(h.producer(receiverId), settledAt)));
  summary.lots++;
  if (flow.market && sequence % 3 !== 0) {
    const certified = flow.unit === 't' ? Math.max(1, Math.round(shipped / 2)) : Math.round(shipped / 20) * 10;
    await h.run(
      new IssueMarketEntryCommand({ traceCode: childTraceCode, market: flow.market, quantity: { amount: certified, unit: flow.unit } }, h.meta(h.producer(receiverId), new Date(settledAt.getTime() + 2 * 3_600_000))),
    );
  }
  // Every other lot of the monitored products is sampled (routine monitoring is a sample, not a census).
  if (SAMPLED_PRODUCTS.has(flow.product) && sequence % 2 === 1) {
    const sampledAt = atCst(day, 11);
    const { sampleId } = await h.run<{ sampleId: string }>(
      new TakeSampleCommand(
        {
          taskId,
          traceCode,
          place: { address: '产地基地', regionCode: regionOfEntity(flow.origin) },
          sampledAt: sampledAt.toISOString(),
          sampler: { name: '陈抽样', certificateNo: 'HN-CY-0087' },
          quantity: { amount: 2, unit: 'kg' },
        },
        h.meta(LAB, sampledAt),
      ),
    );
    const testedAt = new Date(sampledAt.getTime() + 4 * 3_600_000);
    await h.run(
      new RecordResultCommand(
        {
          sampleId,
          testedAt: testedAt.toISOString(),
          reportNo: `HNJC-LX-${String(sequence).padStart(4, '0')}`,
          analytes: [
            { code: 'clothianidin', value: 1 + (sequence % 6), unit: 'μg/kg' },
            { code: 'carbofuran', notDetected: true },
          ],
        },
        h.meta(LAB, testedAt),
      ),
    );
    summary.samples++;
  }
}

const ORIGIN_REGIONS: Record<string, string> = { 'ledong-coop': '469027', 'wenchang-coop': '469005', 'sanya-mango': '460202' };
function regionOfEntity(key: string): string {
  const code = ORIGIN_REGIONS[key];
  if (!code) throw new Error(`demo history: no sampling region for ${key}`);
  return code;
}
