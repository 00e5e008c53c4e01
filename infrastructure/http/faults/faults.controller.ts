import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ReclassifyFaultCommand, ReportFaultCommand, ReportFaultProgressCommand, ResolveFaultCommand } from '../../../application/faults/faults';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { NotFoundError } from '../../../domain/shared/errors';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { FaultProgressBody, ReclassifyFaultBody, ReportFaultBody, ResolveFaultBody } from './faults.schemas';

/** 运行应急处置 (seed 000 §九): platform faults, escalated automatically by deadline, resolved, integrity-checked. */
@ApiTags('faults')
@Controller('api/v1/faults')
export class FaultsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  @Post()
  @Requires('fault.report')
  @ApiOperation({ summary: 'Report a level 1/2/3 fault: time, place, description, affected scope, measures, expected recovery' })
  async report(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(ReportFaultBody, body);
    return this.commands.execute(new ReportFaultCommand(input, this.commands.meta(req)));
  }

  @Post(':id/progress')
  @Requires('fault.report')
  @ApiOperation({ summary: 'Report progress (处理进度)' })
  async progress(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { note } = parseInput(FaultProgressBody, body);
    return this.commands.execute(new ReportFaultProgressCommand({ faultId: id, note }, this.commands.meta(req)));
  }

  @Post(':id/reclassify')
  @Requires('fault.report')
  @HttpCode(200)
  @ApiOperation({ summary: 'Raise the level by hand when the fault turns out worse' })
  async reclassify(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { level, reason } = parseInput(ReclassifyFaultBody, body);
    return this.commands.execute(new ReclassifyFaultCommand({ faultId: id, level, reason }, this.commands.meta(req)));
  }

  @Post(':id/resolve')
  @Requires('fault.resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve (恢复正常运行); the ledger integrity check follows and is recorded on the fault' })
  async resolve(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { resolution } = parseInput(ResolveFaultBody, body);
    return this.commands.execute(new ResolveFaultCommand({ faultId: id, resolution }, this.commands.meta(req)));
  }

  @Get()
  @Requires('fault.report')
  @ApiOperation({ summary: 'Faults, open first by level' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'resolved'] })
  @ApiQuery({ name: 'level', required: false })
  async list(@Query() query: Record<string, string>) {
    const filter: Filter = {};
    if (query.status) filter.status = query.status;
    if (query.level) filter.level = Number(query.level);
    return pagedFind(this.models, 'faults', filter, { reportedAt: -1 }, query);
  }

  @Get(':id')
  @Requires('fault.report')
  @ApiOperation({ summary: 'A fault with escalations, overdue marks, progress, resolution and integrity checks' })
  async get(@Param('id') id: string) {
    const doc = await this.models.get('faults', id);
    if (!doc) throw new NotFoundError('fault', id);
    return doc;
  }
}
