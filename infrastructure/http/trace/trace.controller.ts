import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AccessPolicy, redactChain } from '../../../application/access';
import { noteGrantReads } from '../access/grant-reads';
import { actorOf } from '../auth/auth.guard';
import { Public, Requires, SensitiveRead } from '../auth/permission.decorator';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { checkTraceCode } from '../../../application/lots/load-lot';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { traceChain } from '../../../application/trace/chain-query';
import { ConsumerViewCache } from '../../../application/trace/consumer-view-cache';
import { LookupCounter } from '../../../application/statistics/lookup-counter';
import { NotFoundError } from '../../../domain/shared/errors';
import { parseInput } from '../validation/parse-input';

const ChainQuery = z.object({
  direction: z.enum(['backward', 'forward', 'both']).default('both'),
  depth: z.coerce.number().int().min(1).max(64).default(32),
});

@ApiTags('trace')
@Controller('api/v1/trace')
export class TraceController {
  /** Public views until the read models move past them (application/trace/consumer-view-cache.ts). */
  private readonly views: ConsumerViewCache;

  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    private readonly access: AccessPolicy,
    private readonly lookups: LookupCounter,
  ) {
    this.views = new ConsumerViewCache(models);
  }

  @Get(':traceCode')
  @Public()
  @ApiOperation({ summary: 'Public consumer view (masked): product, origin, chain of custody, certificates. A forged code is a 400 without lookup.' })
  async consumer(@Param('traceCode') traceCode: string) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const view = await this.views.lookup(code);
    if (!view) throw new NotFoundError('lot', code);
    // 查询行为分析: counted by product and the lot's region only (application/statistics/lookup-counter.ts).
    this.lookups.count(view.product, view.chain[view.chain.length - 1]?.holder.regionCode ?? view.origin.entity.regionCode);
    return view;
  }

  @Get(':traceCode/chain')
  @Requires('trace.chain')
  @SensitiveRead()
  @ApiOperation({ summary: 'Trace chain: backward to the origin, forward for recall (every downstream lot and holder), or both' })
  @ApiQuery({ name: 'direction', required: false, enum: ['backward', 'forward', 'both'] })
  @ApiQuery({ name: 'depth', required: false })
  async chain(@Req() req: Request, @Param('traceCode') traceCode: string, @Query() query: Record<string, string>) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const { direction, depth } = parseInput(ChainQuery, query);
    const chain = await traceChain(this.models, code, direction, depth);
    if (!chain) throw new NotFoundError('lot', code);
    // The shape of the chain is shown whole (a recall must know it goes on); lots, holders and receivers
    // outside the caller's reach are not (application/access/redaction.ts).
    const actor = actorOf(req);
    const redacted = redactChain(actor, chain, await this.access.grantsFor(actor));
    noteGrantReads(req, redacted.grantsUsed);
    return redacted.chain;
  }
}
