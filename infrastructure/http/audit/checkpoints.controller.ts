import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { assertAllowed, checkpointForScope, scopeOf, streamIdsToLookUp, streamPlaceFrom, wholeLedger, type ScopedCheckpoint } from '../../../application/access';
import type { Checkpoint } from '../../../application/audit/checkpoints';
import type { Actor } from '../../../domain/shared/actor';
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
  async list(@Req() req: Request) {
    const { checkpoints } = await readCheckpoints(this.ledger.store);
    return { publicKeyPem: this.signer.publicKeyPem, keyId: this.signer.keyId, checkpoints: await this.forScope(actorOf(req), checkpoints) };
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
  async proof(@Req() req: Request, @Param('eventId') eventId: string) {
    const row = await this.models.get('audit_log', eventId);
    if (!row) throw new NotFoundError('event', eventId);
    const proof = await proveInclusion(this.ledger.store, eventId, row.position as number);
    if (!proof) throw new NotFoundError('checkpoint sealing event', eventId);
    const verified = verifyInclusion(proof.eventHash, proof.leafIndex, proof.treeSize, proof.auditPath, proof.checkpoint.merkleRoot);
    const [checkpoint] = await this.forScope(actorOf(req), [proof.checkpoint]);
    return { ...proof, checkpoint, verified };
  }

  @Get('consistency')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Consistency between checkpoints ?from=&to= (sequence numbers): the signed chain of roots between them' })
  async consistency(@Req() req: Request, @Query() query: Record<string, string>) {
    const { from, to } = parseInput(Range, query);
    if (from > to) throw new ValidationError('from', 'from must not be after to');
    const { checkpoints } = await readCheckpoints(this.ledger.store);
    const chain = checkpoints.filter((c) => c.sequence >= from && c.sequence <= to);
    if (chain.length !== to - from + 1) throw new NotFoundError('checkpoint range', `${from}..${to}`);
    const linked = chain.every((c, i) => i === 0 || (c.previousRoot === chain[i - 1]!.merkleRoot && c.fromPosition === chain[i - 1]!.toPosition));
    return { from, to, consistent: linked, chain: await this.forScope(actorOf(req), chain) };
  }

  @Get('export')
  @Requires('audit.export')
  @ApiOperation({ summary: 'Events + checkpoints + public key, for offline verification (`npm run verify-export -- file`); seals first' })
  async export(@Req() req: Request, @Res() res: Response) {
    // The export holds every event of every region: national auditors only.
    assertAllowed(actorOf(req), 'read', wholeLedger());
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

  /** Checkpoints as the caller may see them: a regional auditor gets only the stream heads of its region. */
  private async forScope(actor: Actor, checkpoints: Checkpoint[]): Promise<ScopedCheckpoint[]> {
    if (scopeOf(actor) === '') return checkpoints;
    const { entityIds } = streamIdsToLookUp(checkpoints);
    const entities = entityIds.length ? await this.models.getMany('entities', entityIds) : [];
    const regions = new Map(entities.map((e) => [e._id, e.regionCode as string]));
    const placeOf = streamPlaceFrom(regions);
    return checkpoints.map((c) => checkpointForScope(actor, c, placeOf));
  }
}
