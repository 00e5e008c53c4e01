import { Body, Controller, Get, Inject, Param, Put, Query, Req, UseInterceptors } from '@nestjs/common';
import { StatisticsCaughtUp } from './statistics-caught-up.interceptor';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { loadEvaluationCriteria, SetEvaluationCriteriaCommand } from '../../../application/evaluation/criteria';
import { enterpriseEvaluation, evaluationTrend, regionEvaluation, type EvaluationSources } from '../../../application/evaluation/evaluation-queries';
import { evaluationSources } from '../../../application/evaluation/sources';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER } from '../../../application/shared/settings';
import { addMonths, lastDayOfMonth, type DayRange } from '../../../application/statistics/periods';
import { statisticsRegion } from '../../../application/statistics/scope';
import { EVALUATION_INDICATORS, effectiveCriteria } from '../../../domain/evaluation/criteria';
import { ValidationError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { parseInput } from '../validation/parse-input';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');
const EvaluationQuery = z
  .object({ region: z.string().regex(/^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$/, 'must be a GB/T 2260 prefix').optional(), from: month.optional(), to: month.optional() })
  .strict();
const share = z.number().min(0).max(1);
const CriteriaBody = z
  .object({
    indicators: z.partialRecord(z.enum(EVALUATION_INDICATORS), z.object({ weight: z.number().min(0).max(100).optional(), target: share.optional() }).strict()).optional(),
    grades: z.object({ excellent: z.number().min(0).max(100).optional(), good: z.number().min(0).max(100).optional(), pass: z.number().min(0).max(100).optional() }).strict().optional(),
    commandId: z.string().optional(),
  })
  .strict();

const cstMonth = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 7);

/**
 * 运行监测评价 (seed 004 §六(八)) over the statistics read models: the composite score of the caller's region
 * and of each region below it, of each enterprise, and month by month with 同比/环比; the criteria are data
 * (the ministry sets them). Scope as for every statistic: the access policy narrows the region.
 * Data quality and origin timeliness come from their read models as they are now (application/evaluation/
 * sources.ts); a region without findings checked or origin records has them null, left out of the composite.
 */
@UseInterceptors(StatisticsCaughtUp)
@ApiTags('statistics')
@Controller('api/v1/statistics/evaluation')
export class EvaluationController {
  /** The trend scores each month on what the month holds; data quality and origin timeliness have no months (sources.ts). */
  private readonly trendSources: EvaluationSources = {};

  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: CommandGateway,
  ) {}

  /** Whole months; default the last twelve including this one. */
  private query(req: Request, raw: Record<string, string>): { region: string; range: DayRange } {
    const p = parseInput(EvaluationQuery, raw);
    const thisMonth = cstMonth(this.clock.now());
    const from = p.from ?? addMonths(thisMonth, -11);
    const to = p.to ?? thisMonth;
    if (from > to) throw new ValidationError('from', 'from must not be after to', { from, to });
    return { region: statisticsRegion(actorOf(req), p.region), range: { from: `${from}-01`, to: lastDayOfMonth(to) } };
  }

  @Get()
  @Requires('statistics.read')
  @ApiOperation({ summary: 'Composite score and grade (优秀/良好/达标/不达标) of the region and of each region one level below, with top and bottom 10' })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM' })
  async regions(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region, range } = this.query(req, raw);
    return regionEvaluation(this.models, await loadEvaluationCriteria(this.ledger), await evaluationSources(this.models, region, this.clock.now()), region, range);
  }

  @Get('enterprises')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'Composite score of each enterprise in the region (hand-over confirmation, monitoring pass rate), top and bottom 10' })
  async enterprises(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region, range } = this.query(req, raw);
    return enterpriseEvaluation(this.models, await loadEvaluationCriteria(this.ledger), region, range);
  }

  @Get('trend')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'The region’s composite month by month, with YoY (同比) and MoM (环比)' })
  async trend(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region, range } = this.query(req, raw);
    return evaluationTrend(this.models, await loadEvaluationCriteria(this.ledger), this.trendSources, region, range);
  }

  @Get('criteria')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'The criteria (weights, targets, grade cut-offs) the region is judged by, and what was set for it' })
  async criteria(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { region } = this.query(req, { ...(raw.region ? { region: raw.region } : {}) });
    const state = await loadEvaluationCriteria(this.ledger);
    return { region, effective: effectiveCriteria(state, region), set: state.byRegion[region] ?? null };
  }

  @Put('criteria/:region')
  @Requires('risk-rule.manage')
  @ApiOperation({ summary: 'The ministry sets a region’s weights, targets or grade cut-offs (national defaults: region "national")' })
  async setCriteria(@Req() req: Request, @Param('region') region: string, @Body() body: unknown) {
    const { commandId: _c, ...change } = parseInput(CriteriaBody, body);
    const regionCode = region === 'national' ? '' : region;
    return this.commands.execute(new SetEvaluationCriteriaCommand({ regionCode, change }, this.commands.meta(req)));
  }
}
