import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ConfigureModelCommand, DistributeTaskCommand, PublishTaskCommand, SelectSpotCheckCommand } from '../../../application/monitoring/task-commands';
import { SubmitLabReportCommand, SubmitTaskReportCommand } from '../../../application/monitoring/task-reports';
import { taskSummary } from '../../../application/monitoring/task-summary';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter, ReadDoc } from '../../../application/ports/read-store';
import { AccessPolicy, listScope, taskResource } from '../../../application/access';
import type { MonitoringModel } from '../../../domain/monitoring/model';
import type { Actor } from '../../../domain/shared/actor';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { ConfigureModelBody, DistributeTaskBody, LabReportBody, PublishTaskBody, SpotCheckSelectionBody, TaskReportBody } from './tasks.schemas';

/** 风险监测 / 监督抽查 tasks (seed 002, 第三、四章): publish → model → distribute → (draw) → samples → reports. */
@ApiTags('monitoring tasks')
@Controller('api/v1/tasks')
export class TasksController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @Requires('task.manage')
  @ApiOperation({ summary: 'A supervision agency publishes a monitoring task (routine / special / spotCheck) to a lead lab' })
  async publish(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(PublishTaskBody, body);
    return this.commands.execute(new PublishTaskCommand(input, this.commands.meta(req)));
  }

  @Post(':id/model')
  @Requires('task.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'The lead lab configures the monitoring model: products, standard, analytes with limits and units' })
  async model(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { model } = parseInput(ConfigureModelBody, body);
    // Units are plain strings here; the domain normalizes them (ug/kg → μg/kg) and names a bad one.
    return this.commands.execute(new ConfigureModelCommand({ taskId: id, model: model as MonitoringModel }, this.commands.meta(req)));
  }

  @Post(':id/distribute')
  @Requires('task.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'The lead lab distributes the task to undertaking labs' })
  async distribute(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { assignments } = parseInput(DistributeTaskBody, body);
    return this.commands.execute(new DistributeTaskCommand({ taskId: id, assignments }, this.commands.meta(req)));
  }

  @Post(':id/spot-check-selection')
  @Requires('task.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Spot check: draw entities at random from the registry (seeded, recorded); key entities included directly' })
  async select(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(SpotCheckSelectionBody, body);
    return this.commands.execute(new SelectSpotCheckCommand({ taskId: id, ...input }, this.commands.meta(req)));
  }

  @Post(':id/lab-reports')
  @Requires('task.manage')
  @ApiOperation({ summary: 'An undertaking lab submits the summary of its samples to the lead lab' })
  async labReport(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { note } = parseInput(LabReportBody, body);
    return this.commands.execute(new SubmitLabReportCommand({ taskId: id, ...(note !== undefined ? { note } : {}) }, this.commands.meta(req)));
  }

  @Post(':id/report')
  @Requires('task.manage')
  @ApiOperation({ summary: 'The lead lab reports the task to the publishing agency (closes it for new samples)' })
  async report(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { conclusion } = parseInput(TaskReportBody, body);
    return this.commands.execute(new SubmitTaskReportCommand({ taskId: id, conclusion }, this.commands.meta(req)));
  }

  @Get()
  @Requires('task.manage')
  @ApiOperation({ summary: 'Tasks: a lab sees its own (lead or undertaking); an agency those in its region' })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'kind', required: false })
  @ApiQuery({ name: 'region', required: false })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = listScope(actorOf(req), 'monitoring_tasks', query.region);
    if (query.status) filter.status = query.status;
    if (query.kind) filter.kind = query.kind;
    const found = await pagedFind(this.models, 'monitoring_tasks', filter, { publishedAt: -1 }, query);
    return { ...found, items: found.items.map(withoutVerdictMap) };
  }

  @Get(':id')
  @Requires('task.manage')
  @ApiOperation({ summary: 'A task with its model, labs, spot-check draw, counts and reports' })
  async get(@Req() req: Request, @Param('id') id: string) {
    return withoutVerdictMap(await this.visibleTask(actorOf(req), id));
  }

  @Get(':id/summary')
  @Requires('task.manage')
  @ApiOperation({ summary: 'Summary report (检测结果汇总): verdict counts, pass rate, per analyte, failed samples; ?lab= for one lab' })
  @ApiQuery({ name: 'lab', required: false })
  async summary(@Req() req: Request, @Param('id') id: string, @Query('lab') lab?: string) {
    const actor = actorOf(req);
    await this.visibleTask(actor, id);
    return { taskId: id, lab: lab ?? null, ...(await taskSummary(this.models, id, lab)) };
  }

  private async visibleTask(actor: Actor, id: string): Promise<ReadDoc> {
    const doc = await this.models.get('monitoring_tasks', id);
    if (!doc) throw new NotFoundError('task', id);
    await this.access.read(actor, taskResource(doc));
    return doc;
  }
}

/** The per-sample verdict map is internal bookkeeping of the counts. */
function withoutVerdictMap(doc: ReadDoc): Omit<ReadDoc, 'verdicts'> {
  const { verdicts: _v, ...rest } = doc;
  return rest;
}
