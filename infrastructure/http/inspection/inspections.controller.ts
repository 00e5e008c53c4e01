import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CompleteInspectionCommand, PublishInspectionCommand, RecordInspectionCommand, ReferInspectionCommand } from '../../../application/inspection/inspections';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { AccessPolicy, inspectionResource, listScope } from '../../../application/access';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { CompleteInspectionBody, InspectionRecordBody, PublishInspectionBody, ReferralBody } from './inspections.schemas';

/** 基地巡查 (seed 002, 第二章): tasks for inspectors, visit records by e-ID or by hand, referral to enforcement. */
@ApiTags('inspections')
@Controller('api/v1/inspections')
export class InspectionsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @Requires('inspection.record')
  @ApiOperation({ summary: 'A supervision agency publishes an inspection task to its inspectors' })
  async publish(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(PublishInspectionBody, body);
    return this.commands.execute(new PublishInspectionCommand(input, this.commands.meta(req)));
  }

  @Post(':id/records')
  @Requires('inspection.record')
  @ApiOperation({ summary: 'Record a visit: scan the entity’s e-ID, or enter an unregistered one by hand; findings' })
  async record(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(InspectionRecordBody, body);
    return this.commands.execute(new RecordInspectionCommand({ inspectionId: id, ...input }, this.commands.meta(req)));
  }

  @Post(':id/records/:recordId/referral')
  @Requires('inspection.record')
  @ApiOperation({ summary: 'Refer a record’s findings to enforcement: a case opens' })
  async refer(@Req() req: Request, @Param('id') id: string, @Param('recordId') recordId: string, @Body() body: unknown) {
    const { note } = parseInput(ReferralBody, body);
    return this.commands.execute(new ReferInspectionCommand({ inspectionId: id, recordId, ...(note !== undefined ? { note } : {}) }, this.commands.meta(req)));
  }

  @Post(':id/complete')
  @Requires('inspection.record')
  @HttpCode(200)
  @ApiOperation({ summary: 'The agency completes the inspection task' })
  async complete(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { summary } = parseInput(CompleteInspectionBody, body);
    return this.commands.execute(new CompleteInspectionCommand({ inspectionId: id, summary }, this.commands.meta(req)));
  }

  @Get()
  @Requires('inspection.record')
  @ApiOperation({ summary: 'Inspection tasks: an inspector sees those assigned to them, an agency those in its region' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'completed'] })
  @ApiQuery({ name: 'region', required: false })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = listScope(actorOf(req), 'inspections', query.region);
    if (query.status) filter.status = query.status;
    return pagedFind(this.models, 'inspections', filter, { publishedAt: -1 }, query);
  }

  @Get(':id')
  @Requires('inspection.record')
  @ApiOperation({ summary: 'An inspection task with its records and referrals' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('inspections', id);
    if (!doc) throw new NotFoundError('inspection task', id);
    await this.access.read(actorOf(req), inspectionResource(doc));
    return doc;
  }
}
