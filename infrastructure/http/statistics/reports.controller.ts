import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AccessPolicy } from '../../../application/access/access-policy';
import { regionResource } from '../../../application/access/resources';
import { BLOB_STORE, type BlobStore } from '../../../application/ports/blob-store';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { generateReport, REPORTS } from '../../../application/statistics/reports/report-jobs';
import { statisticsRegion } from '../../../application/statistics/scope';
import { STATISTICS_RUNTIME } from './statistics-runtime.token';
import type { StatisticsRuntime } from '../../composition/statistics';
import { lastClosedPeriod, REPORT_FORMATS, REPORT_KINDS, reportId, reportPeriod, reportStreamId, type ReportFile, type ReportKind, type StatisticsReportGenerated } from '../../../domain/statistics/reports';
import { NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { parseInput } from '../validation/parse-input';

const regionCode = z.string().regex(/^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$/, 'must be a GB/T 2260 prefix: 2, 4, 6 or 9 digits');
const periodName = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|H[12])$/, 'must be YYYY-MM (monthly) or YYYY-H1 / YYYY-H2 (half-year)');
const ListQuery = z.object({ region: regionCode.optional(), kind: z.enum(REPORT_KINDS).optional(), period: periodName.optional() }).strict();
// commandId: the web client sends one with every POST; generating is idempotent by the report's own stream anyway.
const GenerateBody = z.object({ kind: z.enum(REPORT_KINDS), period: periodName.optional(), region: regionCode.optional(), commandId: z.string().max(200).optional() }).strict();
const cstDay = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * 统计报表 (issue 14 §5): the monthly 信息调度 and half-yearly summaries the report job generated, listed by
 * period for the regions in the caller's scope and downloadable as PDF or XLSX; a supervisor may also have a
 * closed period's report of a region in its scope generated now instead of waiting for the daily job.
 */
@ApiTags('statistics')
@Controller('api/v1/statistics/reports')
export class StatisticsReportsController {
  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STATISTICS_RUNTIME) private readonly runtime: StatisticsRuntime,
    private readonly policy: AccessPolicy,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  @Get()
  @Requires('statistics.read')
  @ApiOperation({ summary: 'Generated reports (月度信息调度, 半年工作总结) of the region and the regions below it, newest period first' })
  @ApiQuery({ name: 'region', required: false, description: 'GB/T 2260 prefix; default the caller’s scope' })
  @ApiQuery({ name: 'kind', required: false, enum: REPORT_KINDS })
  @ApiQuery({ name: 'period', required: false, description: 'YYYY-MM or YYYY-H1 / YYYY-H2' })
  async list(@Req() req: Request, @Query() raw: Record<string, string>) {
    const q = parseInput(ListQuery, raw);
    const region = statisticsRegion(actorOf(req), q.region);
    const docs = await this.models.find(REPORTS, { ...(region ? { regionCode: { $prefix: region } } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.period ? { period: q.period } : {}) }, { sort: { period: -1 }, limit: 500 });
    const items = docs
      .map((d) => present(d as unknown as StatisticsReportGenerated['data']))
      .sort((a, b) => String(b.to).localeCompare(String(a.to)) || String(a.regionCode).length - String(b.regionCode).length || String(a.regionCode).localeCompare(String(b.regionCode)));
    return { region, items };
  }

  @Post('generate')
  @HttpCode(200)
  @Requires('statistics.read')
  @ApiOperation({ summary: 'Generate the report of a closed period (default the last closed one) for a region in scope now; an existing report is answered as it is' })
  async generate(@Req() req: Request, @Body() body: unknown) {
    const b = parseInput(GenerateBody, body ?? {});
    const actor = actorOf(req);
    const region = statisticsRegion(actor, b.region);
    await this.policy.read(actor, regionResource(region));
    const today = cstDay(this.clock.now());
    const period = b.period ? reportPeriod(b.kind, this.checkPeriod(b.kind, b.period)) : lastClosedPeriod(b.kind, today);
    if (period.to >= today) throw new ValidationError('period', 'the period has not closed yet', { period: period.period, closesAfter: period.to });
    const generated = await generateReport(this.runtime.reports, b.kind, period.period, region);
    // Like a command's answer: once the read models list it (the dashboard reloads the list right after).
    if (generated) {
      await this.progress.waitFor(await this.events.headPosition(), this.settings.readYourWritesMs);
      return present(generated);
    }
    // Generated before: as the read model lists it (the log has it even if the read model is a moment behind).
    const id = reportId(b.kind, period.period, region);
    const doc = (await this.models.get(REPORTS, id)) ?? (await this.fromLog(b.kind, period.period, region));
    if (!doc) throw new NotFoundError('statistics report', id);
    return present(doc as unknown as StatisticsReportGenerated['data']);
  }

  @Get(':reportId/:format')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'A generated report’s file (PDF or XLSX), to callers whose scope covers its region' })
  @ApiParam({ name: 'format', enum: REPORT_FORMATS })
  async download(@Req() req: Request, @Param('reportId') id: string, @Param('format') format: string) {
    const doc = /^[\w-]{1,80}$/.test(id) ? await this.models.get(REPORTS, id) : null;
    if (!doc) throw new NotFoundError('statistics report', id.slice(0, 80));
    await this.policy.read(actorOf(req), regionResource(doc.regionCode as string));
    const file = (doc.files as ReportFile[]).find((f) => f.format === format);
    if (!file) throw new NotFoundError('statistics report file', `${id}/${format.slice(0, 10)}`);
    const content = await this.readVerified(file.sha256);
    const name = `${doc.reportId}.${file.format}`;
    return new StreamableFile(content, { type: file.contentType, disposition: `attachment; filename="${name}"` });
  }

  private async fromLog(kind: ReportKind, period: string, region: string): Promise<Record<string, unknown> | null> {
    const [event] = await this.events.readStream(reportStreamId(kind, period, region), { maxCount: 1 });
    return event ? event.data : null;
  }

  private checkPeriod(kind: ReportKind, period: string): string {
    if ((kind === 'monthly') !== /^\d{4}-\d{2}$/.test(period)) throw new ValidationError('period', kind === 'monthly' ? 'a monthly report’s period is YYYY-MM' : 'a half-year report’s period is YYYY-H1 or YYYY-H2', { period });
    return period;
  }

  /** The stored bytes, refused unless they still hash to the name the ledger recorded. */
  private async readVerified(sha256: string): Promise<Buffer> {
    const stream = await this.blobs.get(sha256);
    if (!stream) throw new NotFoundError('statistics report file', sha256);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const content = Buffer.concat(chunks);
    if (createHash('sha256').update(content).digest('hex') !== sha256) throw new NotFoundError('statistics report file (altered)', sha256);
    return content;
  }
}

/** A report as the API answers it: what the event recorded, with a download link per file. */
function present(d: StatisticsReportGenerated['data']) {
  return {
    reportId: d.reportId,
    kind: d.kind,
    period: d.period,
    from: d.from,
    to: d.to,
    regionCode: d.regionCode,
    regionName: d.regionName,
    title: d.title,
    generatedAt: d.generatedAt,
    recipients: d.recipients,
    formats: d.files.map((f: ReportFile) => ({ format: f.format, size: f.size, contentType: f.contentType, href: `/api/v1/statistics/reports/${d.reportId}/${f.format}` })),
  };
}
