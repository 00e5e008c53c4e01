import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { ShipCommand } from '../../../application/transfers/ship';
import { ConfirmTransferCommand, RejectTransferCommand } from '../../../application/transfers/settle';
import { NotFoundError } from '../../../domain/shared/errors';
import { AccessPolicy, transferResource, transfersListScope } from '../../../application/access';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { ConfirmTransferBody, RejectTransferBody, ShipBody } from './transfers.schemas';

@ApiTags('transfers')
@Controller('api/v1/transfers')
export class TransfersController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @Requires('transfer.ship')
  @ApiOperation({ summary: 'Ship part of a lot (扫码交易) to a registered entity by e-ID, or record an unregistered receiver by hand' })
  async ship(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(ShipBody, body);
    return this.commands.execute(new ShipCommand(input, this.commands.meta(req)));
  }

  @Post(':id/confirm')
  @Requires('transfer.settle')
  @HttpCode(200)
  @ApiOperation({ summary: 'Receiver confirms → child lot with its own trace code' })
  async confirm(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    parseInput(ConfirmTransferBody, body);
    return this.commands.execute(new ConfirmTransferCommand({ transferId: id }, this.commands.meta(req)));
  }

  @Post(':id/reject')
  @Requires('transfer.settle')
  @HttpCode(200)
  @ApiOperation({ summary: 'Receiver rejects → reservation released' })
  async reject(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { reason } = parseInput(RejectTransferBody, body);
    return this.commands.execute(new RejectTransferCommand({ transferId: id, reason }, this.commands.meta(req)));
  }

  @Get(':id')
  @Requires('transfer.read')
  @ApiOperation({ summary: 'A transfer and its state (its two parties, or supervision of either side)' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('transfers', id);
    if (!doc) throw new NotFoundError('transfer', id);
    await this.access.read(actorOf(req), transferResource(doc));
    return doc;
  }

  @Get()
  @Requires('transfer.read')
  @ApiOperation({ summary: 'Incoming (toEntityId) or outgoing (fromEntityId) transfers, by status' })
  @ApiQuery({ name: 'toEntityId', required: false })
  @ApiQuery({ name: 'fromEntityId', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['pending', 'confirmed', 'rejected', 'closed'] })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = transfersListScope(actorOf(req), query);
    if (query.status) filter.status = query.status;
    return pagedFind(this.models, 'transfers', filter, { initiatedAt: -1 }, query);
  }
}
