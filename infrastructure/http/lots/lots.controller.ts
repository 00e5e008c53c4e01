import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CreateLotCommand } from '../../../application/lots/create-lot';
import { IssueMarketEntryCommand } from '../../../application/lots/issue-market-entry';
import { checkTraceCode } from '../../../application/lots/load-lot';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { NotFoundError } from '../../../domain/shared/errors';
import { CommandGateway } from '../command-gateway';
import { pageParams } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { CreateLotBody, MarketEntryBody } from './lots.schemas';

@ApiTags('lots')
@Controller('api/v1')
export class LotsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  @Post('lots')
  @ApiOperation({ summary: 'Create a lot (批次) at a base → its trace code and label URL' })
  async create(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(CreateLotBody, body);
    return this.commands.execute(new CreateLotCommand(input, this.commands.meta(req)));
  }

  @Get('lots/:traceCode')
  @ApiOperation({ summary: 'A lot with its full (unmasked) state, for its holder and supervisors' })
  async get(@Param('traceCode') traceCode: string) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const doc = await this.models.get('lots', code);
    if (!doc) throw new NotFoundError('lot', code);
    return doc;
  }

  @Get('lots')
  @ApiOperation({ summary: 'List lots by holder, product or region' })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'product', required: false })
  @ApiQuery({ name: 'region', required: false })
  async list(@Query() query: Record<string, string>) {
    const filter: Filter = {};
    if (query.entityId) filter['holder.entityId'] = query.entityId;
    if (query.product) filter.product = query.product;
    if (query.region) filter.regionCode = { $prefix: query.region };
    const { page, size } = pageParams(query);
    const [items, total] = await Promise.all([
      this.models.find('lots', filter, { sort: { createdAt: -1 }, skip: (page - 1) * size, limit: size }),
      this.models.count('lots', filter),
    ]);
    return { total, page, size, items };
  }

  @Post('market-entries')
  @ApiOperation({ summary: 'Market-entry certificate (入市追溯凭证) for a lot entering a market or processor' })
  async marketEntry(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(MarketEntryBody, body);
    return this.commands.execute(new IssueMarketEntryCommand(input, this.commands.meta(req)));
  }
}
