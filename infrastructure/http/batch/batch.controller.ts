import { Body, Controller, HttpCode, Inject, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { recordAccess } from '../../../application/audit/access-log';
import { RunBatchCommand, type BatchItem, type BatchOutcome } from '../../../application/batch/run-batch';
import { UploadCounter } from '../../../application/statistics/upload-counter';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { PROJECTION_PROGRESS, type ProjectionProgress } from '../../../application/ports/read-models';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { ANONYMOUS, actorOf, sourceOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { toHttpError } from '../errors/domain-exception.filter';
import { parseInput } from '../validation/parse-input';
import { BatchBody, BatchItemEnvelope, parseBatchPayload } from './batch.schemas';

export const BATCH_SETTINGS = Symbol('BatchSettings');
export interface BatchSettings {
  maxCommands: number;
}

export type BatchItemResponse =
  | { index: number; commandId: string | null; type: string | null; status: 'ok'; duplicate: boolean; position: number; result: object }
  | {
      index: number;
      commandId: string | null;
      type: string | null;
      status: 'error';
      error: { code: string; message: string; field: string | null; httpStatus: number; details: Record<string, unknown> };
    };

/**
 * Bulk ingest for provincial platforms and uploads (issue 7, decision 0006): many commands per request,
 * decided in order, written with one group commit. Each item answers for itself, exactly as its single
 * route would (the same handler runs); the request as a whole is 200 unless the batch itself is malformed.
 */
@ApiTags('batch')
@Controller('api/v1/batch')
export class BatchController {
  constructor(
    private readonly bus: CommandBus,
    private readonly commands: CommandGateway,
    @Inject(BATCH_SETTINGS) private readonly limits: BatchSettings,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly uploads: UploadCounter,
  ) {}

  @Post()
  // The route is open to every signed-in role (entity.apply is the weakest permission there is); every
  // item then needs the permission of its own single route, checked per item.
  @Requires('entity.apply')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Batch of commands (applyForRegistration, approveRegistration, rejectRegistration, createLot, ship, confirmTransfer, rejectTransfer, issueMarketEntry), ' +
      'applied in order, idempotent per item commandId, one result per item. A payload value {"$ref": "<commandId>/<field>"} uses a result of an earlier item.',
  })
  @ApiQuery({ name: 'wait', required: false, description: 'false: answer without waiting for the read models (default: wait, like single commands)' })
  async run(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: unknown, @Query('wait') wait?: string) {
    const actor = actorOf(req);
    if (actor === ANONYMOUS) throw new UnauthorizedException('sign in first (Authorization: Bearer <token>)');
    const { commands } = parseInput(BatchBody, body);
    if (commands.length > this.limits.maxCommands) {
      res.status(413);
      return {
        error: 'TOO_MANY_COMMANDS',
        message: `commands: at most ${this.limits.maxCommands} commands per batch (BATCH_MAX_COMMANDS), got ${commands.length}`,
        details: { field: 'commands', max: this.limits.maxCommands, received: commands.length },
      };
    }

    // Envelopes first: an item without a usable commandId or type fails alone and is not run.
    const responses: BatchItemResponse[] = new Array(commands.length);
    const valid: { index: number; item: BatchItem }[] = [];
    commands.forEach((raw, index) => {
      try {
        valid.push({ index, item: parseInput(BatchItemEnvelope, raw) });
      } catch (err) {
        const r = raw as { commandId?: unknown; type?: unknown } | null;
        responses[index] = errorResponse(index, typeof r?.commandId === 'string' ? r.commandId : null, typeof r?.type === 'string' ? r.type : null, err);
      }
    });

    const batchMeta = this.commands.meta(req);
    const outcome = (await this.bus.execute(
      new RunBatchCommand({ items: valid.map((v) => v.item), parse: parseBatchPayload }, batchMeta),
    )) as BatchOutcome;
    outcome.items.forEach((r, k) => {
      const index = valid[k]!.index;
      responses[index] = r.ok
        ? { index, commandId: r.commandId, type: r.type, status: 'ok', duplicate: r.duplicate, position: r.position, result: r.result }
        : errorResponse(index, r.commandId, r.type, r.error);
    });

    await this.logRefusals(req, responses);
    // 数据传输监控: what this client sent, valid, refused (by code) or sent again.
    this.uploads.countBatch(actor, responses);
    const readModelsCaughtUp =
      wait === 'false' || this.settings.readYourWritesMs === 0 || outcome.position === 0
        ? null
        : await this.progress.waitFor(outcome.position, this.settings.readYourWritesMs);
    const failed = responses.filter((r) => r.status === 'error').length;
    return {
      total: responses.length,
      succeeded: responses.length - failed,
      failed,
      position: outcome.position,
      rounds: outcome.rounds,
      readModelsCaughtUp,
      results: responses,
    };
  }

  /** Items refused for who is asking go to the access log, like refused single requests (one entry per batch). */
  private async logRefusals(req: Request, responses: BatchItemResponse[]): Promise<void> {
    const refused = responses.filter((r) => r.status === 'error' && r.error.httpStatus === 403);
    if (refused.length === 0) return;
    const summary = refused
      .slice(0, 20)
      .map((r) => `#${r.index} ${r.type}: ${r.status === 'error' ? r.error.code : ''}`)
      .join('; ');
    await recordAccess(
      this.ledger,
      actorOf(req),
      { method: req.method, path: req.originalUrl, status: 403, permission: 'batch', source: sourceOf(req), denied: `${refused.length} item(s) refused: ${summary}` },
      this.clock.now(),
    );
  }
}

function errorResponse(index: number, commandId: string | null, type: string | null, err: unknown): BatchItemResponse {
  const { status, body } = toHttpError(err);
  const field = typeof body.details.field === 'string' ? body.details.field : null;
  return { index, commandId, type, status: 'error', error: { code: body.error, message: body.message, field, httpStatus: status, details: body.details } };
}
