import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ProjectionRunner } from '../../../projections/runner/projection-runner';
import { ValidationError } from '../../../domain/shared/errors';
import { Requires } from '../auth/permission.decorator';

@ApiTags('admin')
@Controller('api/v1/admin/projections')
@Requires('admin.projections')
export class ProjectionsController {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}

  @Get()
  @ApiOperation({ summary: 'Projection status: checkpoint, lag, generation, dead letters' })
  status() {
    return this.runner.status();
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Blue/green rebuild of one projection (?name=) or all, from the log; the live one serves until the swap' })
  @ApiQuery({ name: 'name', required: false, description: 'one projection; all when absent' })
  async rebuild(@Query('name') name?: string) {
    if (name !== undefined) {
      // The projections this stack runs (the embedded one has no audit-log read model: decision 0027).
      const known = (await this.runner.status()).map((s) => s.name);
      if (!known.includes(name)) throw new ValidationError('name', `unknown projection ${name}`, { known });
    }
    await this.runner.rebuild(name);
    return this.runner.status();
  }
}
