import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { checkTraceCode } from '../../../application/lots/load-lot';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { traceChain } from '../../../application/trace/chain-query';
import { consumerView } from '../../../application/trace/consumer-view';
import { NotFoundError } from '../../../domain/shared/errors';
import { parseInput } from '../validation/parse-input';

const ChainQuery = z.object({
  direction: z.enum(['backward', 'forward', 'both']).default('both'),
  depth: z.coerce.number().int().min(1).max(64).default(32),
});

@ApiTags('trace')
@Controller('api/v1/trace')
export class TraceController {
  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  @Get(':traceCode')
  @ApiOperation({ summary: 'Public consumer view (masked): product, origin, chain of custody, certificates. A forged code is a 400 without lookup.' })
  async consumer(@Param('traceCode') traceCode: string) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const view = await consumerView(this.models, code);
    if (!view) throw new NotFoundError('lot', code);
    return view;
  }

  @Get(':traceCode/chain')
  @ApiOperation({ summary: 'Trace chain: backward to the origin, forward for recall (every downstream lot and holder), or both' })
  @ApiQuery({ name: 'direction', required: false, enum: ['backward', 'forward', 'both'] })
  @ApiQuery({ name: 'depth', required: false })
  async chain(@Param('traceCode') traceCode: string, @Query() query: Record<string, string>) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const { direction, depth } = parseInput(ChainQuery, query);
    const chain = await traceChain(this.models, code, direction, depth);
    if (!chain) throw new NotFoundError('lot', code);
    return chain;
  }
}
