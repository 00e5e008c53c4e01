import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { RecordResultCommand } from '../../../application/sampling/record-result';
import { RequestRetestCommand } from '../../../application/sampling/request-retest';
import { TakeSampleCommand } from '../../../application/sampling/take-sample';
import { AccessPolicy, listScope, retestListScope, sampleResource } from '../../../application/access';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { RecordResultBody, RetestBody, TakeSampleBody } from './samples.schemas';

/** 抽样、检测结果、复检 (seed 002, 第十五–十七、二十一–二十七条). */
@ApiTags('samples')
@Controller('api/v1/samples')
export class SamplesController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @Requires('sample.record')
  @ApiOperation({ summary: 'Take a sample for a task: scan a trace code (lot details from the ledger) or enter the product by hand' })
  async take(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(TakeSampleBody, body);
    return this.commands.execute(new TakeSampleCommand(input, this.commands.meta(req)));
  }

  @Post(':id/results')
  @Requires('result.record')
  @ApiOperation({
    summary:
      'Lab result → per-analyte and overall verdict against the model’s limits. A failure opens an enforcement case and puts the lot and every lot downstream on hold; a passing re-test lifts the holds.',
  })
  async result(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(RecordResultBody, body);
    return this.commands.execute(new RecordResultCommand({ sampleId: id, ...input }, this.commands.meta(req)));
  }

  @Post(':id/retest')
  @Requires('task.manage')
  @ApiOperation({ summary: '复检: a supervision agency issues a re-test of a disputed result to a lab' })
  async retest(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(RetestBody, body);
    return this.commands.execute(new RequestRetestCommand({ sampleId: id, ...input }, this.commands.meta(req)));
  }

  @Get()
  @Requires('lot.read')
  @ApiOperation({ summary: 'Samples: a lab sees its own, a producer those taken from it, supervision those in its region' })
  @ApiQuery({ name: 'taskId', required: false })
  @ApiQuery({ name: 'verdict', required: false, enum: ['pass', 'fail', 'inconclusive'] })
  @ApiQuery({ name: 'traceCode', required: false })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'retest', required: false, enum: ['requested'], description: '复检: the re-tests waiting (for a lab: those issued to it, whoever took the sample)' })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = query.retest === 'requested' ? retestListScope(actorOf(req), query.region) : listScope(actorOf(req), 'samples', query.region);
    if (query.taskId) filter.taskId = query.taskId;
    if (query.verdict) filter.verdict = query.verdict;
    if (query.traceCode) filter.traceCode = query.traceCode;
    return pagedFind(this.models, 'samples', filter, { sampledAt: -1 }, query);
  }

  @Get(':id')
  @Requires('lot.read')
  @ApiOperation({ summary: 'A sample with its results, verdicts, re-test and case' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('samples', id);
    if (!doc) throw new NotFoundError('sample', id);
    await this.access.read(actorOf(req), sampleResource(doc));
    return doc;
  }
}
