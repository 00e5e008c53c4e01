import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CloseCaseCommand, RecordCaseActionCommand } from '../../../application/enforcement/cases';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { AccessPolicy, caseResource, listScope } from '../../../application/access';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { CaseActionBody, CloseCaseBody, OpenCaseBody } from './cases.schemas';
import { OpenOwnCaseCommand } from '../../../application/enforcement/open-case';

/** 执法: cases opened by referral (failed results, inspection findings) or by enforcement itself, their actions and outcome. */
@ApiTags('enforcement cases')
@Controller('api/v1/cases')
export class CasesController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @Requires('case.manage')
  @ApiOperation({ summary: '自行立案: open a case on the caller’s own initiative (on site, complaint, tip-off) against a registered entity or an unregistered party recorded on site' })
  async open(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(OpenCaseBody, body);
    return this.commands.execute(new OpenOwnCaseCommand(input, this.commands.meta(req)));
  }

  @Get()
  @Requires('case.manage')
  @ApiOperation({ summary: 'Cases in the caller’s region; filter by status, sample, entity' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'closed'] })
  @ApiQuery({ name: 'sampleId', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'referralKind', required: false, enum: ['sample', 'inspection', 'own'] })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true'], description: 'only cases with an order to correct whose deadline passed' })
  @ApiQuery({ name: 'region', required: false })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = listScope(actorOf(req), 'cases', query.region);
    if (query.status) filter.status = query.status;
    if (query.sampleId) filter.sampleId = query.sampleId;
    if (query.entityId) filter.entityId = query.entityId;
    if (query.referralKind) filter.referralKind = query.referralKind;
    if (query.overdue === 'true') filter.overdueOrders = { $gt: 0 };
    return pagedFind(this.models, 'cases', filter, { openedAt: -1 }, query);
  }

  @Get(':id')
  @Requires('case.manage')
  @ApiOperation({ summary: 'A case with its referral, lots concerned, actions and outcome' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('cases', id);
    if (!doc) throw new NotFoundError('case', id);
    await this.access.read(actorOf(req), caseResource(doc));
    return doc;
  }

  @Post(':id/actions')
  @Requires('case.manage')
  @ApiOperation({ summary: 'Record an action: investigation, sampling, seizure, recall, rectification order, penalty, notice…' })
  async action(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(CaseActionBody, body);
    return this.commands.execute(new RecordCaseActionCommand({ caseId: id, ...input }, this.commands.meta(req)));
  }

  @Post(':id/close')
  @Requires('case.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the case with its outcome (查处结果)' })
  async close(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(CloseCaseBody, body);
    return this.commands.execute(new CloseCaseCommand({ caseId: id, ...input }, this.commands.meta(req)));
  }
}
