import { Controller, Get, Inject, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { addDays, lastDayOfMonth } from '../../../application/statistics/periods';
import { statisticsRegion } from '../../../application/statistics/scope';
import { uploadMonitoring } from '../../../application/statistics/upload-queries';
import { uploadsWorkbook } from '../../../application/statistics/statistics-workbook';
import { ValidationError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { parseInput } from '../validation/parse-input';
import { LEVELS } from './statistics.schemas';

const day = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');
const UploadsQuery = z
  .object({
    region: z.string().regex(/^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$/, 'must be a GB/T 2260 prefix: 2, 4, 6 or 9 digits').optional(),
    from: day.or(month).optional(),
    to: day.or(month).optional(),
    by: z.enum(['region', 'client', 'day', 'month']).optional(),
    level: z.enum(['province', 'city', 'county', 'township']).optional(),
  })
  .strict();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const cstToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * 数据传输监控 (seed 004 §六(二)): uploads through the batch route and the 采集表 import — total, valid, problem
 * and resent items — for the caller's region, per sub-region or per client (drill-down), and day by day
 * (进度监控), with export. Scope as for every statistic: the access policy narrows the region.
 */
@ApiTags('statistics')
@Controller('api/v1/statistics/uploads')
export class UploadMonitoringController {
  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private query(req: Request, raw: Record<string, string>) {
    const p = parseInput(UploadsQuery, raw);
    const today = cstToday(this.clock.now());
    const from = p.from ? (p.from.length === 7 ? `${p.from}-01` : p.from) : addDays(today, -29);
    const to = p.to ? (p.to.length === 7 ? lastDayOfMonth(p.to) : p.to) : today;
    if (from > to) throw new ValidationError('from', 'from must not be after to', { from, to });
    if (Date.parse(to) - Date.parse(from) > 10 * 366 * 86_400_000) throw new ValidationError('from', 'a range spans at most 10 years', { from, to });
    return { region: statisticsRegion(actorOf(req), p.region), range: { from, to }, by: p.by ?? 'region', level: p.level ? LEVELS[p.level] : undefined };
  }

  @Get()
  @Requires('statistics.read')
  @ApiOperation({ summary: 'Uploads (batch route, 采集表 imports): total, valid, problem and resent items of the region, per sub-region, client, day or month' })
  @ApiQuery({ name: 'region', required: false, description: 'GB/T 2260 prefix; default the caller’s scope' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD or YYYY-MM; default 29 days before today' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD or YYYY-MM; default today' })
  @ApiQuery({ name: 'by', required: false, enum: ['region', 'client', 'day', 'month'] })
  @ApiQuery({ name: 'level', required: false, enum: ['province', 'city', 'county', 'township'] })
  async uploads(@Req() req: Request, @Query() raw: Record<string, string>) {
    const q = this.query(req, raw);
    return uploadMonitoring(this.models, q.region, q.range, q.by, q.level);
  }

  @Get('export')
  @Requires('statistics.read')
  @ApiOperation({ summary: 'The same view as XLSX (数据传输监控 and 问题类型 sheets)' })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'by', required: false, enum: ['region', 'client', 'day', 'month'] })
  @ApiQuery({ name: 'level', required: false, enum: ['province', 'city', 'county', 'township'] })
  async export(@Req() req: Request, @Query() raw: Record<string, string>) {
    const q = this.query(req, raw);
    const file = await uploadsWorkbook(await uploadMonitoring(this.models, q.region, q.range, q.by, q.level));
    return new StreamableFile(file, { type: XLSX, disposition: `attachment; filename="uploads-${q.by}-${q.region || 'national'}-${q.range.from}-${q.range.to}.xlsx"` });
  }
}
