import { GRADE_LABELS_ZH } from '../../../domain/evaluation/criteria';
import { WARNING_LEVEL_LABELS_ZH, type WarningLevel } from '../../../domain/risk/levels';
import { REPORT_KIND_LABELS_ZH, type ReportPeriod } from '../../../domain/statistics/reports';
import type { CriteriaState } from '../../../domain/evaluation/criteria';
import { regionEvaluation, type EvaluationSources } from '../../evaluation/evaluation-queries';
import type { ReadModels } from '../../ports/read-models';
import { sumInto, type Counters } from '../indicators';
import { countersOf, rangeDocs, regionLabel, statisticsBreakdown, statisticsOverview } from '../statistics-queries';

/**
 * What a generated report says (统计报表: 月度信息调度, 半年工作总结), from the same statistics read models as the
 * dashboards — so a report and the dashboard of the same region and period agree figure for figure. Sections:
 * 主体注册, 追溯, 监管, 监测, 执法, 评价, then the sub-regions and the products.
 */
export interface ReportLine {
  label: string;
  value: number | null;
  /** 'count' | 'kg' | 'share' — how to print it. */
  unit: 'count' | 'kg' | 'share';
  yoy?: number | null;
  mom?: number | null;
}
export interface ReportSection {
  title: string;
  lines: ReportLine[];
}
export interface ReportContent {
  title: string;
  period: ReportPeriod;
  region: { code: string; name: string };
  generatedAt: string;
  sections: ReportSection[];
  evaluation: { score: number | null; grade: string | null };
  children: { code: string; name: string; lots: number; samples: number; passRate: number | null; score: number | null; grade: string | null }[];
  products: { product: string; lots: number; producedKg: number; certificates: number; passRate: number | null }[];
  analytes: { code: string; tested: number; fail: number; passRate: number | null }[];
}

const get = (c: Counters, k: string) => c[k] ?? 0;

export async function buildReportContent(models: ReadModels, criteria: CriteriaState, sources: EvaluationSources, period: ReportPeriod, region: string, now: Date): Promise<ReportContent> {
  const range = { from: period.from, to: period.to };
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const q = { region, range };
  const [overview, children, products, evaluation, docs] = await Promise.all([
    statisticsOverview(models, q, today),
    statisticsBreakdown(models, q, 'region'),
    statisticsBreakdown(models, q, 'product'),
    regionEvaluation(models, criteria, sources, region, range),
    rangeDocs(models, { region, product: '*' }, range),
  ]);
  // Counters the dashboard's cards do not show (rejections, closures, findings) come from the same buckets.
  const raw = docs.reduce((acc, d) => sumInto(acc, countersOf(d)), {} as Counters);
  const card = (key: string) => overview.cards.find((c) => c.key === key)!;
  const line = (label: string, key: string, unit: ReportLine['unit'] = 'count'): ReportLine => {
    const c = card(key);
    return { label, value: c.value, unit, yoy: c.yoy, mom: c.mom };
  };
  const plain = (label: string, value: number | null, unit: ReportLine['unit'] = 'count'): ReportLine => ({ label, value, unit });
  const now_ = overview.current;
  const levels = overview.warningsRaisedByLevel;
  const sections: ReportSection[] = [
    {
      title: '一、主体注册',
      lines: [
        line('注册申请', 'entitiesApplied'),
        line('审核通过', 'entitiesApproved'),
        plain('审核驳回', get(raw, 'entitiesRejected')),
        plain('审核及时率', evaluation.own.indicators.reviewOnTime?.value ?? null, 'share'),
        plain('当前待审', now_.entitiesPending),
        plain('当前逾期未审', now_.reviewsOverdue),
      ],
    },
    {
      title: '二、追溯',
      lines: [
        line('新建批次', 'lotsCreated'),
        line('产量（千克）', 'producedKg', 'kg'),
        line('交接确认', 'transfersConfirmed'),
        line('交接确认率', 'confirmationRate', 'share'),
        line('入市追溯凭证', 'certificates'),
        plain('主体电子交易覆盖率（累计）', now_.coverage.tradingEntities, 'share'),
        plain('批次入市凭证覆盖率（累计）', now_.coverage.certifiedLots, 'share'),
        line('消费者查询', 'lookups'),
      ],
    },
    {
      title: '三、监管',
      lines: [
        line('基地巡查', 'inspections'),
        plain('发现问题的巡查', get(raw, 'inspectionsWithFindings')),
        line('风险预警', 'warningsRaised'),
        ...Object.entries(levels).map(([level, n]) => plain(`　其中 ${WARNING_LEVEL_LABELS_ZH[level as WarningLevel] ?? level}`, n)),
        plain('预警处置完毕', get(raw, 'warningsClosed')),
        plain('当前未关闭预警', now_.warningsOpen),
      ],
    },
    {
      title: '四、监测',
      lines: [line('抽样', 'samples'), line('检测合格率', 'passRate', 'share'), line('不合格结果', 'failedResults'), plain('复检', get(raw, 'retests'))],
    },
    {
      title: '五、执法',
      lines: [line('立案', 'casesOpened'), plain('结案', get(raw, 'casesClosed')), plain('当前在办案件', now_.casesOpen)],
    },
    {
      title: '六、运行监测评价',
      lines: [
        plain('综合得分', evaluation.own.score),
        ...Object.entries(evaluation.own.indicators).map(([k, v]) => plain(`${INDICATOR_ZH[k] ?? k}（达标线 ${Math.round(v.target * 100)}%）`, v.value, 'share')),
      ],
    },
  ];
  const scores = new Map(evaluation.rows.map((r) => [r.key, r]));
  return {
    title: `${regionLabel(region)}${period.period} ${REPORT_KIND_LABELS_ZH[period.kind]}`,
    period,
    region: { code: region, name: regionLabel(region) },
    generatedAt: now.toISOString(),
    sections,
    evaluation: { score: evaluation.own.score, grade: evaluation.own.grade ? GRADE_LABELS_ZH[evaluation.own.grade] : null },
    children: children.rows.map((r) => {
      const s = scores.get(r.key);
      return { code: r.key, name: r.name, lots: r.values.lotsCreated ?? 0, samples: r.values.samples ?? 0, passRate: r.values.passRate, score: s?.score ?? null, grade: s?.grade ? GRADE_LABELS_ZH[s.grade] : null };
    }),
    products: products.rows.map((r) => ({ product: r.key, lots: r.values.lotsCreated ?? 0, producedKg: r.values.producedKg ?? 0, certificates: r.values.certificates ?? 0, passRate: r.values.passRate })),
    analytes: overview.analytes.map((a) => ({ code: a.code, tested: a.tested, fail: a.fail, passRate: a.passRate })),
  };
}

const INDICATOR_ZH: Record<string, string> = { reviewOnTime: '注册审核及时率', confirmationRate: '交接确认率', dataQuality: '数据质量评分', passRate: '监测合格率', originTimeliness: '产地信息及时率' };

/** A figure as the report prints it: 1,234 · 1,234.5 千克 · 97.3% · —. */
export function formatValue(value: number | null, unit: ReportLine['unit']): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'share') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'kg') return value.toLocaleString('zh-CN', { maximumFractionDigits: 1 });
  return value.toLocaleString('zh-CN');
}

export function formatChange(change: number | null | undefined): string {
  if (change === null || change === undefined) return '—';
  return `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
}
