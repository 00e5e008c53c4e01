import { Controller, Get, Inject, Query, Req, StreamableFile, UseInterceptors } from '@nestjs/common';
import { StatisticsCaughtUp } from './statistics-caught-up.interceptor';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { addMonths, lastDayOfMonth, type DayRange } from '../../../application/statistics/periods';
import { statisticsRegion } from '../../../application/statistics/scope';
import { statisticsBreakdown, statisticsFlows, statisticsOverview, type StatsQuery } from '../../../application/statistics/statistics-queries';
import { breakdownWorkbook, flowsWorkbook, overviewWorkbook } from '../../../application/statistics/statistics-workbook';
import { ValidationError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { parseInput } from '../validation/parse-input';
import { LEVELS, StatisticsQuery } from './statistics.schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const cstToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * 统计分析 (seed 000 六 大数据应用, seed 004 §六(五)): figures by region, period and product from the
 * pre-aggregated `stats` read model, scoped by the access policy (a county sees its county; another region
 * is refused, a containing one narrowed). Every view also comes as XLSX from /statistics/export.
 */
@UseInterceptors(StatisticsCaughtUp)
@ApiTags('statistics')
@Controller('api/v1/statistics')
export class StatisticsController {
  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The query as the caller may ask it: region narrowed by the policy, range defaulting to the last 12 months. */
  private query(req: Request, raw: Record<string, string>): { q: StatsQuery; p: StatisticsQuery; today: string } {
    const p = parseInput(StatisticsQuery, raw);
    const today = cstToday(this.clock.now());
    const from = p.from ? (p.from.length === 7 ? `${p.from}-01` : p.from) : `${addMonths(today.slice(0, 7), -11)}-01`;
    const to = p.to ? (p.to.length === 7 ? lastDayOfMonth(p.to) : p.to) : today;
    if (from > to) throw new ValidationError('from', 'from must not be after to', { from, to });
    const range: DayRange = { from, to };
    if (Date.parse(to) - Date.parse(from) > 10 * 366 * 86_400_000) throw new ValidationError('from', 'a range spans at most 10 years', { from, to });
    const region = statisticsRegion(actorOf(req), p.region);
    return { q: { region, range, ...(p.product ? { product: p.product } : {}) }, p, today };
  }

  @Get('overview')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'Cards for the range with YoY (同比) and MoM (环比), the state now (pending, overdue, open warnings, coverage), trend, pass rate per analyte' })
  @ApiQuery({ name: 'region', required: false, description: 'GB/T 2260 prefix: 46, 4602, 460202; default the caller’s scope' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD or YYYY-MM; default 11 months before this month' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD or YYYY-MM; default today' })
  @ApiQuery({ name: 'product', required: false })
  async overview(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { q, today } = this.query(req, raw);
    return statisticsOverview(this.models, q, today);
  }

  @Get('breakdown')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'The range’s figures per sub-region (next level, or ?level=county for a province’s counties), per product or per month' })
  @ApiQuery({ name: 'by', required: false, enum: ['region', 'product', 'month'] })
  @ApiQuery({ name: 'level', required: false, enum: ['province', 'city', 'county', 'township'] })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'product', required: false })
  async breakdown(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { q, p } = this.query(req, raw);
    return statisticsBreakdown(this.models, q, p.by ?? 'region', p.level ? LEVELS[p.level] : undefined);
  }

  @Get('flows')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'Quantities moved between provinces or counties touching the region, by month (产品流向; kind=market: origin → market)' })
  @ApiQuery({ name: 'kind', required: false, enum: ['transfer', 'market'] })
  @ApiQuery({ name: 'flowLevel', required: false, enum: ['province', 'county'] })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'product', required: false })
  async flows(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { q, p } = this.query(req, raw);
    return statisticsFlows(this.models, q, p.kind ?? 'transfer', p.flowLevel ?? 'province');
  }

  @Get('export')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'The data of a view (overview, breakdown, flows) as XLSX, with the same parameters as the view' })
  @ApiQuery({ name: 'view', required: false, enum: ['overview', 'breakdown', 'flows'] })
  async export(@Req() req: Request, @Query() raw: Record<string, string>) {
    const { q, p, today } = this.query(req, raw);
    const view = p.view ?? 'overview';
    const file =
      view === 'overview'
        ? await overviewWorkbook(await statisticsOverview(this.models, q, today))
        : view === 'breakdown'
          ? await breakdownWorkbook(await statisticsBreakdown(this.models, q, p.by ?? 'region', p.level ? LEVELS[p.level] : undefined))
          : await flowsWorkbook(await statisticsFlows(this.models, q, p.kind ?? 'transfer', p.flowLevel ?? 'province'));
    const name = `statistics-${view}-${q.region || 'national'}-${q.range.from}-${q.range.to}.xlsx`;
    return new StreamableFile(file, { type: XLSX, disposition: `attachment; filename="${name}"` });
  }
}
