import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApplyForRegistrationCommand } from '../../../application/registration/apply-for-registration';
import { ApproveRegistrationCommand, RejectRegistrationCommand } from '../../../application/registration/review-registration';
import { AddBaseCommand, UpdateRegistrationCommand } from '../../../application/registration/update-registration';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { NotFoundError } from '../../../domain/shared/errors';
import { AccessPolicy, entityResource, listScope } from '../../../application/access';
import { actorOf } from '../auth/auth.guard';
import { noteGrantReads } from '../access/grant-reads';
import { Public, Requires, SensitiveRead } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { parseInput } from '../validation/parse-input';
import { pagedFind } from '../validation/page-params';
import { AddBaseBody, ApplyForRegistrationBody, ApproveRegistrationBody, RejectRegistrationBody, UpdateRegistrationBody } from './registration.schemas';

@ApiTags('registration')
@Controller('api/v1/entities')
export class EntitiesController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @Public()
  @ApiOperation({ summary: 'Apply for registration (主体注册): entity with its bases; county review within 5 working days' })
  async apply(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(ApplyForRegistrationBody, body);
    return this.commands.execute(new ApplyForRegistrationCommand(input as never, this.commands.meta(req)));
  }

  @Post(':id/approve')
  @Requires('entity.review')
  @HttpCode(200)
  @ApiOperation({ summary: 'County review: approve and issue the e-ID (电子身份标识)' })
  async approve(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    parseInput(ApproveRegistrationBody, body);
    return this.commands.execute(new ApproveRegistrationCommand({ entityId: id }, this.commands.meta(req)));
  }

  @Post(':id/reject')
  @Requires('entity.review')
  @HttpCode(200)
  @ApiOperation({ summary: 'County review: reject with a reason' })
  async reject(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { reason } = parseInput(RejectRegistrationBody, body);
    return this.commands.execute(new RejectRegistrationCommand({ entityId: id, reason }, this.commands.meta(req)));
  }

  @Patch(':id')
  @Requires('entity.update')
  @ApiOperation({ summary: 'Update registration details' })
  async update(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...changes } = parseInput(UpdateRegistrationBody, body);
    return this.commands.execute(new UpdateRegistrationCommand({ entityId: id, changes }, this.commands.meta(req)));
  }

  @Post(':id/bases')
  @Requires('entity.update')
  @ApiOperation({ summary: 'Add a production base (基地)' })
  async addBase(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { base } = parseInput(AddBaseBody, body);
    return this.commands.execute(new AddBaseCommand({ entityId: id, base }, this.commands.meta(req)));
  }

  @Get(':id')
  @Requires('entity.read')
  @SensitiveRead()
  @ApiOperation({ summary: 'An entity (read model)' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('entities', id);
    if (!doc) throw new NotFoundError('entity', id);
    noteGrantReads(req, [(await this.access.read(actorOf(req), entityResource(doc))).grant]);
    return doc;
  }

  @Get()
  @Requires('entity.read')
  @ApiOperation({ summary: 'List entities by e-ID, region prefix or status (inside your region)' })
  @ApiQuery({ name: 'eid', required: false })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'approved', 'rejected'] })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = listScope(actorOf(req), 'entities', query.region);
    if (query.eid) filter.eid = query.eid.replace(/[-\s]/g, '').toUpperCase();
    if (query.status) filter.status = query.status;
    return pagedFind(this.models, 'entities', filter, { appliedAt: -1 }, query);
  }
}
