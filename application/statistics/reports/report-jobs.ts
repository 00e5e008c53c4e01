import { SYSTEM_ACTOR } from '../../../domain/shared/actor';
import { lastClosedPeriod, REPORT_KINDS, reportId, reportPeriod, reportStreamId, type ReportFile, type ReportKind, type ReportPeriod, type StatisticsReportGenerated } from '../../../domain/statistics/reports';
import type { CriteriaState } from '../../../domain/evaluation/criteria';
import type { EvaluationSources } from '../../evaluation/evaluation-queries';
import { evaluationSources } from '../../evaluation/sources';
import { systemCommandId } from '../../ledger/idempotency';
import type { Ledger } from '../../ledger/ledger';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { JobQueue } from '../../ports/job-queue';
import type { Notification, Notifier } from '../../ports/notifier';
import type { ProjectionProgress, ReadModels } from '../../ports/read-models';
import { buildReportContent, formatValue, type ReportContent } from './report-content';
import { reportPdf, reportWorkbook } from './report-files';

/**
 * The report jobs (统计报表, issue 14 §5). A daily repeatable job looks at the periods that closed most recently
 * (last month; the last half-year) and queues one generation job per region that has figures in it and no
 * report yet: the country, each province, city and county. A generation job renders the PDF and the XLSX,
 * stores both in the BlobStore, appends `StatisticsReportGenerated` to the report's own stream (so it is kept
 * and listed from the log, and a second run appends nothing), then queues one delivery per contact of the
 * region — its 附件2 contact list, the one list of responsible persons per region the platform keeps — by
 * e-mail, else SMS, each retried by the queue. The message carries the figures and where to download; the
 * Notifier port carries no attachments.
 */
export const REPORT_SCHEDULE_JOB = 'statistics-reports-schedule';
export const REPORT_JOB = 'statistics-report';
export const REPORT_DELIVERY_JOB = 'statistics-report-delivery';
export const REPORT_SCHEDULE_EVERY_MS = 24 * 3_600_000;
export const REPORTS = 'statistics_reports';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ReportDeps {
  ledger: Ledger;
  models: ReadModels;
  blobs: BlobStore;
  jobs: JobQueue;
  notifier: Notifier;
  clock: Clock;
  publicUrl: string;
  /** The CJK font for the PDF; without one only the XLSX is generated (and the log says so). */
  font: { file: string; face?: string } | null;
  criteria: () => Promise<CriteriaState>;
  /** The evaluation's other sources; default data quality and origin timeliness now (application/evaluation/sources.ts). */
  sources?: EvaluationSources;
  /** The read models' progress: a report is built only once they include the whole log (else the job retries). */
  progress?: ProjectionProgress;
  log: { info(msg: string, extra?: object): void; warn(msg: string, extra?: object): void };
}

const cstDay = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Regions with any figure in the period, down to counties: the country first, then by code. */
export async function regionsWithFigures(models: ReadModels, period: ReportPeriod): Promise<string[]> {
  const docs = await models.find('stats', { grain: 'month', product: '*', level: { $lte: 3 }, period: { $gte: period.from.slice(0, 7), $lte: period.to.slice(0, 7) } });
  const regions = new Set<string>();
  for (const d of docs) if (Object.keys((d.c as Record<string, number>) ?? {}).length > 0) regions.add(d.region as string);
  return [...regions].sort((a, b) => a.length - b.length || a.localeCompare(b));
}

/** Queues the missing reports of the periods that closed last; answers how many it queued. */
export async function scheduleReports(d: ReportDeps, kinds: readonly ReportKind[] = REPORT_KINDS): Promise<number> {
  const today = cstDay(d.clock.now());
  let queued = 0;
  for (const kind of kinds) {
    const period = lastClosedPeriod(kind, today);
    for (const region of await regionsWithFigures(d.models, period)) {
      if (await d.models.get(REPORTS, reportId(kind, period.period, region))) continue;
      await d.jobs.add(REPORT_JOB, { kind, period: period.period, region }, { jobId: `statistics-report:${reportId(kind, period.period, region)}`, attempts: 3, backoffMs: 60_000 });
      queued++;
    }
  }
  return queued;
}

interface Recipient {
  channel: Notification['channel'];
  to: string;
  name: string | null;
}

/** The region's contacts (附件2): each officer by e-mail if known, else by mobile. */
async function recipientsOf(models: ReadModels, region: string): Promise<Recipient[]> {
  const doc = await models.get('origin_contacts', region || 'national');
  const contacts = (doc?.contacts as { officerName: string; officerEmail: string | null; officerMobile: string | null }[] | undefined) ?? [];
  const out = new Map<string, Recipient>();
  for (const c of contacts) {
    const r: Recipient | null = c.officerEmail ? { channel: 'email', to: c.officerEmail, name: c.officerName } : c.officerMobile ? { channel: 'sms', to: c.officerMobile.replace(/[\s-]/g, ''), name: c.officerName } : null;
    if (r) out.set(`${r.channel}:${r.to}`, r);
  }
  return [...out.values()];
}

export function deliveryText(content: ReportContent, name: string | null, link: string): string {
  const figure = (title: string, label: string) => {
    const l = content.sections.find((s) => s.title === title)?.lines.find((x) => x.label === label);
    return l ? formatValue(l.value, l.unit) : '—';
  };
  return [
    `${name ?? ''}您好：${content.title}已生成（${content.period.from} 至 ${content.period.to}）。`,
    `注册申请 ${figure('一、主体注册', '注册申请')}，新建批次 ${figure('二、追溯', '新建批次')}，交接确认率 ${figure('二、追溯', '交接确认率')}，抽样 ${figure('四、监测', '抽样')}，检测合格率 ${figure('四、监测', '检测合格率')}，立案 ${figure('五、执法', '立案')}；综合评价 ${content.evaluation.score ?? '—'} ${content.evaluation.grade ?? ''}。`,
    `PDF 与 XLSX 请登录平台下载：${link}`,
  ].join('\n');
}

/** Generates one report (no-op when its stream exists), stores its files, records it and queues its deliveries. */
export async function generateReport(d: ReportDeps, kind: ReportKind, periodName: string, region: string): Promise<StatisticsReportGenerated['data'] | null> {
  const stream = await d.ledger.head(reportStreamId(kind, periodName, region));
  if (stream.revision !== 'no_stream') return null;
  const period = reportPeriod(kind, periodName);
  if (d.progress && !(await d.progress.waitFor(await d.ledger.store.headPosition(), 60_000))) throw new Error('statistics report: the read models are behind the log; retried later');
  const now = d.clock.now();
  const content = await buildReportContent(d.models, await d.criteria(), d.sources ?? (await evaluationSources(d.models, region, now)), period, region, now);
  const files: ReportFile[] = [];
  const xlsx = await d.blobs.put(await reportWorkbook(content), XLSX);
  if (d.font) {
    const pdf = await d.blobs.put(await reportPdf(content, d.font), 'application/pdf');
    files.push({ format: 'pdf', ...pdf });
  } else d.log.warn('statistics report without PDF: no CJK font installed', { kind, period: periodName, region });
  files.push({ format: 'xlsx', ...xlsx });
  const recipients = await recipientsOf(d.models, region);
  const id = reportId(kind, periodName, region);
  const data: StatisticsReportGenerated['data'] = {
    reportId: id,
    kind,
    period: periodName,
    from: period.from,
    to: period.to,
    regionCode: region,
    regionName: content.region.name,
    title: content.title,
    files,
    recipients: recipients.length,
    generatedAt: now.toISOString(),
  };
  await d.ledger.commit([{ stream, events: [{ type: 'StatisticsReportGenerated', data }] }], { commandId: systemCommandId(`statistics-report-${id}`), actor: SYSTEM_ACTOR, correlationId: 'statistics-reports' });
  const link = `${d.publicUrl.replace(/\/$/, '')}/#/statistics?reports=${encodeURIComponent(id)}`;
  for (const r of recipients) {
    const notification: Notification = { channel: r.channel, to: r.to, subject: content.title, text: deliveryText(content, r.name, link), ref: { kind: 'statistics-report', id } };
    await d.jobs.add(REPORT_DELIVERY_JOB, notification as unknown as Record<string, unknown>, { jobId: `statistics-report-delivery:${id}:${r.channel}:${r.to}`, attempts: 5, backoffMs: 60_000 });
  }
  d.log.info('statistics report generated', { reportId: id, files: files.length, recipients: recipients.length });
  return data;
}

/** Registers the three jobs (before the queue starts); `schedule` makes the look-out daily (after). */
export function registerReportJobs(d: ReportDeps): { schedule(): Promise<void> } {
  d.jobs.register(REPORT_SCHEDULE_JOB, async () => {
    const queued = await scheduleReports(d);
    if (queued > 0) d.log.info('statistics reports queued', { queued });
  });
  d.jobs.register<{ kind: ReportKind; period: string; region: string }>(REPORT_JOB, async (job) => {
    await generateReport(d, job.data.kind, job.data.period, job.data.region);
  });
  d.jobs.register<Notification>(REPORT_DELIVERY_JOB, async (job) => d.notifier.send(job.data));
  return { schedule: () => d.jobs.repeat(REPORT_SCHEDULE_JOB, {}, REPORT_SCHEDULE_EVERY_MS, REPORT_SCHEDULE_JOB) };
}
