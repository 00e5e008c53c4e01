import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OutOfScopeError } from '../../../domain/accounts';
import { actorOf } from '../auth/auth.guard';
import { z } from 'zod';
import { eventsInRange, proveInclusion, readCheckpoints, sealCheckpoints } from '../../../application/audit/checkpoints';
import { EXPORT_FORMAT, type LedgerExport } from '../../../application/audit/export-verifier';
import { verifyInclusion } from '../../../application/audit/merkle';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER_SIGNER, type LedgerSigner } from '../../../application/ports/signer';
import { LEDGER } from '../../../application/shared/settings';
import { NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { parseInput } from '../validation/parse-input';
import { Requires } from '../auth/permission.decorator';

const Range = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

/** Sealed checkpoints, inclusion and consistency proofs, and the offline-verifiable export. */
@ApiTags('audit')
@Controller('api/v1/audit')
export class CheckpointsController {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(LEDGER_SIGNER) private readonly signer: LedgerSigner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  @Get('checkpoints')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Signed Merkle checkpoints and the public key that verifies them' })
  async list() {
    const { checkpoints } = await readCheckpoints(this.ledger.store);
    return { publicKeyPem: this.signer.publicKeyPem, keyId: this.signer.keyId, checkpoints };
  }

  @Post('checkpoints')
  @Requires('audit.seal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seal a checkpoint now (the sealing job also runs periodically)' })
  async seal() {
    return { sealed: await sealCheckpoints(this.ledger, this.signer, () => this.clock.now()) };
  }

  @Get('proofs/:eventId')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Inclusion proof (RFC 6962 audit path) of an event in the checkpoint that sealed it' })
  async proof(@Param('eventId') eventId: string) {
    const row = await this.models.get('audit_log', eventId);
    if (!row) throw new NotFoundError('event', eventId);
    const proof = await proveInclusion(this.ledger.store, eventId, row.position as number);
    if (!proof) throw new NotFoundError('checkpoint sealing event', eventId);
    const verified = verifyInclusion(proof.eventHash, proof.leafIndex, proof.treeSize, proof.auditPath, proof.checkpoint.merkleRoot);
    return { ...proof, verified };
  }

  @Get('consistency')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Consistency between checkpoints ?from=&to= (sequence numbers): the signed chain of roots between them' })
  async consistency(@Query() query: Record<string, string>) {
    const { from, to } = parseInput(Range, query);
    if (from > to) throw new ValidationError('from', 'from must not be after to');
    const { checkpoints } = await readCheckpoints(this.ledger.store);
    const chain = checkpoints.filter((c) => c.sequence >= from && c.sequence <= to);
    if (chain.length !== to - from + 1) throw new NotFoundError('checkpoint range', `${from}..${to}`);
    const linked = chain.every((c, i) => i === 0 || (c.previousRoot === chain[i - 1]!.merkleRoot && c.fromPosition === chain[i - 1]!.toPosition));
    return { from, to, consistent: linked, chain };
  }

  @Get('export')
  @Requires('audit.export')
  @ApiOperation({ summary: 'Events + checkpoints + public key, for offline verification (`npm run verify-export -- file`); seals first' })
  async export(@Req() req: Request, @Res() res: Response) {
    // The export holds every event of every region: national auditors only.
    const actor = actorOf(req);
    if (actor.regionCode) throw new OutOfScopeError('(national)', actor.regionCode);
    await sealCheckpoints(this.ledger, this.signer, () => this.clock.now());
    const head = await this.ledger.store.headPosition();
    const events = await eventsInRange(this.ledger.store, 0, head);
    const { checkpoints } = await readCheckpoints(this.ledger.store);
    const body: LedgerExport = {
      format: EXPORT_FORMAT,
      exportedAt: this.clock.now().toISOString(),
      publicKeyPem: this.signer.publicKeyPem,
      keyId: this.signer.keyId,
      events,
      checkpoints,
    };
    res.setHeader('content-disposition', `attachment; filename="suyuan-ledger-${head}.json"`);
    res.json(body);
  }
}
