import { Controller, Get, Header, Inject, Param, Req } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AccessPolicy } from '../../../application/access';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { checkTraceCode } from '../../../application/lots/load-lot';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../../../application/ports/read-models';
import { synthesisCacheFor } from '../../../application/reports/synthesis-cache';
import { epcisDocument } from '../../../application/reports/epcis/epcis-document';
import { redactSynthesis } from '../../../application/reports/redact-synthesis';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import type { Ledger } from '../../../application/ledger/ledger';
import { NotFoundError } from '../../../domain/shared/errors';
import { noteGrantReads } from '../access/grant-reads';
import { actorOf } from '../auth/auth.guard';
import { Requires, SensitiveRead } from '../auth/permission.decorator';

/**
 * The EPCIS 2.0 export of any lot's chain (backward to the origin, forward to every holder), under the same
 * access rule as `GET /trace/{code}/chain`: the policy decides per lot, lots out of reach are left out.
 */
@ApiTags('trace')
@Controller('api/v1/trace')
export class TraceEpcisController {
  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: AccessPolicy,
  ) {}

  @Get(':traceCode/epcis')
  @Requires('trace.chain')
  @SensitiveRead()
  @Header('Content-Type', 'application/ld+json; charset=utf-8')
  @ApiProduces('application/ld+json')
  @ApiOperation({ summary: 'EPCIS 2.0 JSON-LD of the lot’s chain: commissioning, shipping, receiving (ObjectEvents) and hand-over splits (TransformationEvents), each with its CBV 2.0 event hash as eventID' })
  async epcis(@Req() req: Request, @Param('traceCode') traceCode: string) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    // As of the log head once the read models include it; cached until the chain's read models can have changed.
    const synthesis = await synthesisCacheFor({ models: this.models, progress: this.progress, store: this.ledger.store }).synthesise([code]);
    if (synthesis.nodes.length === 0) throw new NotFoundError('lot', code);
    const actor = actorOf(req);
    const { synthesis: visible, grantsUsed } = redactSynthesis(actor, synthesis, await this.access.grantsFor(actor));
    noteGrantReads(req, grantsUsed);
    return epcisDocument(visible, { publicUrl: this.settings.publicUrl, generatedAt: this.clock.now().toISOString() });
  }
}
