import { Body, Controller, Get, Inject, Param, Patch, Query, Req, ServiceUnavailableException, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { loadQualityRules, UpdateQualityRuleCommand } from '../../../application/data-quality/quality-rules';
import { allFindings, dataQualityRegion, findingStatistics, listFindings, regionScores, type FindingFilters } from '../../../application/data-quality/queries';
import { buildQualityReport, findingsWorkbook, reportPdf, reportWorkbook, statisticsWorkbook } from '../../../application/data-quality/report';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER } from '../../../application/shared/settings';
import { CATEGORIES, CATEGORY_LABELS_ZH, CHECK_PARAMS, SEVERITIES, SEVERITY_LABELS_ZH, SEVERITY_WEIGHTS } from '../../../domain/data-quality';
import { actorOf } from '../auth/auth.guard';
import { Requires, SensitiveRead } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { FONT_HELP, findCjkFont, type CjkFont } from '../labels/cjk-font';
import { parseInput } from '../validation/parse-input';
import { DataQualityQuery, UpdateQualityRuleBody } from './data-quality.schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const REGION_QUERY = { name: 'region', required: false, description: 'GB/T 2260 prefix (2, 4, 6 or 9 digits); default the caller’s scope' };

/**
 * 数据质量管理 (seed 004 §六(三)): the problem-data list and its statistics by region, period and category, the
 * score per region, the data-quality report (XLSX, PDF) and the rules (清洗规则设置). What a caller sees is
 * narrowed by the access policy (a county sees its county; another region is refused, a containing one
 * narrowed). Findings name the responsible person and phone: those reads are logged (@SensitiveRead).
 */
@ApiTags('data-quality')
@Controller('api/v1/data-quality')
export class DataQualityController {
  private readonly font: CjkFont | null = findCjkFont();

  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER) private readonly ledger: Ledger,
    private readonly commands: CommandGateway,
  ) {}

  private query(req: Request, raw: Record<string, string>): { region: string; filters: FindingFilters; p: DataQualityQuery } {
    const p = parseInput(DataQualityQuery, raw);
    const region = dataQualityRegion(actorOf(req), p.region);
    const filters: FindingFilters = {
      ...(p.period ? { period: p.period } : {}),
      ...(p.category ? { category: p.category } : {}),
      ...(p.severity ? { severity: p.severity } : {}),
      ...(p.rule ? { ruleId: p.rule } : {}),
      ...(p.kind ? { subjectKind: p.kind } : {}),
      ...(p.resolved ? { resolved: p.resolved === 'true' } : {}),
    };
    return { region, filters, p };
  }

  @Get('findings')
  @Requires('data-quality.read')
  @SensitiveRead()
  @ApiOperation({ summary: 'Problem data (问题数据明细): findings of the data-quality rules, newest first, with filters' })
  @ApiQuery(REGION_QUERY)
  @ApiQuery({ name: 'period', required: false, description: 'YYYY, YYYY-MM or YYYY-MM-DD (CST) of the first sighting' })
  @ApiQuery({ name: 'category', required: false, enum: CATEGORIES })
  @ApiQuery({ name: 'severity', required: false, enum: SEVERITIES })
  @ApiQuery({ name: 'rule', required: false })
  @ApiQuery({ name: 'kind', required: false, enum: ['entity', 'base', 'lot', 'transfer', 'origin'] })
  @ApiQuery({ name: 'resolved', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false })
  async findings(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region, filters, p } = this.query(req, raw);
    return listFindings(this.models, region, filters, this.clock.now(), p.page ?? 1, p.pageSize ?? 50);
  }

  @Get('statistics')
  @Requires('data-quality.read')
  @ApiOperation({ summary: 'Problem counts (问题数据统计) by region (next level), period, category, severity or rule; open / resolved' })
  @ApiQuery(REGION_QUERY)
  @ApiQuery({ name: 'by', required: false, enum: ['region', 'period', 'category', 'severity', 'rule'] })
  @ApiQuery({ name: 'granularity', required: false, enum: ['year', 'month', 'day'] })
  async statistics(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region, filters, p } = this.query(req, raw);
    return findingStatistics(this.models, region, filters, p.by ?? 'category', p.granularity ?? 'month', this.clock.now());
  }

  @Get('scores')
  @Requires('data-quality.read')
  @ApiOperation({ summary: 'Data-quality score (数据质量评分) of the region and of each region one level below: 100 × (1 − weighted open findings / records checked)' })
  @ApiQuery(REGION_QUERY)
  async scores(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region } = this.query(req, raw);
    return { ...(await regionScores(this.models, region, this.clock.now())), weights: SEVERITY_WEIGHTS };
  }

  @Get('export')
  @Requires('data-quality.read')
  @SensitiveRead()
  @ApiOperation({ summary: 'The problem list (view=findings) or its statistics (view=statistics) as XLSX, with the same filters' })
  @ApiQuery({ name: 'view', required: false, enum: ['findings', 'statistics'] })
  async export(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region, filters, p } = this.query(req, raw);
    const now = this.clock.now();
    const view = p.view ?? 'findings';
    const file =
      view === 'findings'
        ? await findingsWorkbook(await allFindings(this.models, region, filters, now))
        : await statisticsWorkbook(await findingStatistics(this.models, region, filters, p.by ?? 'category', p.granularity ?? 'month', now));
    return new StreamableFile(file, { type: XLSX, disposition: `attachment; filename="data-quality-${view}-${region || 'national'}.xlsx"` });
  }

  @Get('report')
  @Requires('data-quality.read')
  @SensitiveRead()
  @ApiOperation({ summary: 'The data-quality report (数据质量报告) of the region: scores, counts by category and rule, open findings; XLSX or Chinese PDF' })
  @ApiQuery(REGION_QUERY)
  @ApiQuery({ name: 'format', required: false, enum: ['xlsx', 'pdf'] })
  async report(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region, p } = this.query(req, raw);
    const format = p.format ?? 'xlsx';
    if (format === 'pdf' && !this.font) throw new ServiceUnavailableException(FONT_HELP);
    const report = await buildQualityReport(this.models, region, this.clock.now());
    const day = report.generatedAt.slice(0, 10);
    const name = `data-quality-report-${region || 'national'}-${day}.${format}`;
    if (format === 'pdf') return new StreamableFile(await reportPdf(report, this.font!), { type: 'application/pdf', disposition: `attachment; filename="${name}"` });
    return new StreamableFile(await reportWorkbook(report), { type: XLSX, disposition: `attachment; filename="${name}"` });
  }

  @Get('rules')
  @Requires('data-quality.read')
  @ApiOperation({ summary: 'The data-quality rules in force (清洗规则: threshold, category, severity), the parameters each check takes, the categories and severities' })
  async rules() {
    return {
      rules: await loadQualityRules(this.ledger),
      checks: CHECK_PARAMS,
      categories: CATEGORIES.map((c) => ({ category: c, label: CATEGORY_LABELS_ZH[c] })),
      severities: SEVERITIES.map((s) => ({ severity: s, label: SEVERITY_LABELS_ZH[s], weight: SEVERITY_WEIGHTS[s] })),
    };
  }

  @Patch('rules/:id')
  @Requires('data-quality.manage')
  @ApiOperation({ summary: 'The ministry changes a rule: parameters, category, severity, fields (missing-field rules), yield bounds, enabled' })
  async update(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...changes } = parseInput(UpdateQualityRuleBody, body);
    return this.commands.execute(new UpdateQualityRuleCommand({ ruleId: id, changes }, this.commands.meta(req)));
  }
}
