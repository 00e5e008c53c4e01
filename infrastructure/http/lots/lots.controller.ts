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
import { AccessPolicy, listScope, lotResource } from '../../../application/access';
import { actorOf } from '../auth/auth.guard';
import { noteGrantReads } from '../access/grant-reads';
import { Requires, SensitiveRead } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { CreateLotBody, MarketEntryBody } from './lots.schemas';
import { lotWithHistory } from '../../../application/trace/lot-document';

@ApiTags('lots')
@Controller('api/v1')
export class LotsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    private readonly access: AccessPolicy,
  ) {}

  @Post('lots')
  @Requires('lot.create')
  @ApiOperation({ summary: 'Create a lot (批次) at a base → its trace code and label URL' })
  async create(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(CreateLotBody, body);
    return this.commands.execute(new CreateLotCommand(input, this.commands.meta(req)));
  }

  @Get('lots/:traceCode')
  @Requires('lot.read')
  @SensitiveRead()
  @ApiOperation({ summary: 'A lot with its full (unmasked) state, for its holder and supervisors in its region' })
  async get(@Req() req: Request, @Param('traceCode') traceCode: string) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const doc = await this.models.get('lots', code);
    if (!doc) throw new NotFoundError('lot', code);
    // A producer sees the lots it holds; supervision sees lots held in its region (where the goods are now).
    noteGrantReads(req, [(await this.access.read(actorOf(req), lotResource(doc))).grant]);
    // The document is current state; its off-ledger sales and holds' history are put back beside it.
    return lotWithHistory(this.models, doc);
  }

  @Get('lots')
  @Requires('lot.read')
  @ApiOperation({ summary: 'List lots by holder, product or region' })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'product', required: false })
  @ApiQuery({ name: 'region', required: false })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = { ...(query.entityId ? { 'holder.entityId': query.entityId } : {}), ...listScope(actorOf(req), 'lots', query.region) };
    if (query.product) filter.product = query.product;
    return pagedFind(this.models, 'lots', filter, { createdAt: -1 }, query);
  }

  @Post('market-entries')
  @Requires('market-entry.issue')
  @ApiOperation({ summary: 'Market-entry certificate (入市追溯凭证) for a lot entering a market or processor' })
  async marketEntry(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(MarketEntryBody, body);
    return this.commands.execute(new IssueMarketEntryCommand(input, this.commands.meta(req)));
  }
}
