import { Controller, Get, Inject, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AccessPolicy, taskResource } from '../../../application/access';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { labSummaryExport, labSummaryWorkbook } from '../../../application/sampling/lab-summary-workbook';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 检测结果汇总表 download: the same reach as GET /tasks/{id}/summary (whoever may see the task). */
@ApiTags('monitoring tasks')
@Controller('api/v1/tasks')
export class LabSummaryController {
  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Get(':id/summary.xlsx')
  @Requires('task.manage')
  @ApiOperation({ summary: 'The summary table (汇总, per analyte, per sample) as XLSX; ?lab= for one lab’s samples, without it the whole task (the lead lab’s report)' })
  @ApiQuery({ name: 'lab', required: false })
  async export(@Req() req: Request, @Param('id') id: string, @Query('lab') lab?: string) {
    const task = await this.models.get('monitoring_tasks', id);
    if (!task) throw new NotFoundError('task', id);
    await this.access.read(actorOf(req), taskResource(task));
    const file = await labSummaryWorkbook(await labSummaryExport(this.models, task, lab || undefined));
    const name = `summary-${id.slice(0, 8)}${lab ? `-${lab.replace(/[^0-9A-Za-z_-]/g, '').slice(0, 40)}` : ''}.xlsx`;
    return new StreamableFile(file, { type: XLSX, disposition: `attachment; filename="${name}"` });
  }
}
