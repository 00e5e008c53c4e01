import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { assertAllowed, checkpointForScope, scopeOf, streamIdsToLookUp, streamPlaceFrom, wholeLedger, type ScopedCheckpoint } from '../../../application/access';
import type { Checkpoint } from '../../../application/audit/checkpoints';
import type { Actor } from '../../../domain/shared/actor';
import { actorOf } from '../auth/auth.guard';
import { z } from 'zod';
import { eventsInRange, proveInclusion, readCheckpoints, sealCheckpoints } from '../../../application/audit/checkpoints';
import { EXPORT_FORMAT, type LedgerExport } from '../../../application/audit/export-verifier';
import { toExportV2 } from '../../../application/audit/export-v2';
import { attachedLogTree, type LogTree } from '../../../application/audit/log-tree';
import { verifyInclusion } from '../../../application/audit/merkle';
import { hashLeaf, verifyConsistencyPath, verifyInclusionPath } from '../../../application/audit/rfc9162';
import { bodyOf, COSIGNATURE_STREAM, TREE_HEAD_COSIGNED_EVENT, verifyTreeHeadSignature, type Cosignature } from '../../../application/audit/tree-head';
import { readCosignatures, readTreeHeads, treeHeadOfSize } from '../../../application/audit/tree-heads';
import { GENESIS_HASH } from '../../../application/ledger/event-hash';
import { systemCommandId } from '../../../application/ledger/idempotency';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { AUDIT_LOG_QUERY, type AuditLogQuery } from '../../../application/ports/audit-log-query';
import { LEDGER_SIGNER, type LedgerSigner } from '../../../application/ports/signer';
import { LEDGER } from '../../../application/shared/settings';
import { NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { parseInput } from '../validation/parse-input';
import { Requires } from '../auth/permission.decorator';
import { createHash, createPublicKey } from 'node:crypto';

const Range = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1), legacy: z.enum(['true', 'false']).optional() });
const Size = z.coerce.number().int().min(1);
const ProofQuery = z.object({ treeSize: z.coerce.number().int().min(1).optional(), legacy: z.enum(['true', 'false']).optional() });
const CosignBody = z.object({ publicKeyPem: z.string().min(40).max(2000), signature: z.string().min(40).max(200) });

/**
 * Signed tree heads over the one Merkle log (decision 0018), inclusion and RFC 9162 consistency proofs,
 * witness cosignatures, the legacy per-range checkpoints, and the offline-verifiable export.
 */
@ApiTags('audit')
@Controller('api/v1/audit')
export class CheckpointsController {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(LEDGER_SIGNER) private readonly signer: LedgerSigner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(AUDIT_LOG_QUERY) private readonly auditLog: AuditLogQuery,
  ) {}

  @Get('checkpoints')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Legacy per-range checkpoints followed by the signed tree heads, and the public key that verifies them' })
  async list(@Req() req: Request) {
    const { checkpoints } = await readCheckpoints(this.ledger.store);
    const legacy = checkpoints.filter((c) => c.streamHeads !== undefined);
    const treeHeads = await readTreeHeads(this.ledger.store);
    return { publicKeyPem: this.signer.publicKeyPem, keyId: this.signer.keyId, checkpoints: [...(await this.forScope(actorOf(req), legacy)), ...treeHeads] };
  }

  @Post('checkpoints')
  @Requires('audit.seal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seal a signed tree head now (the sealing job also runs periodically)' })
  async seal() {
    return { sealed: await sealCheckpoints(this.ledger, this.signer, () => this.clock.now()) };
  }

  @Get('tree-heads')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Signed tree heads (size, root, stream-map root, time; Ed25519 over the bytes of docs/verifiable-history.md) with their witness cosignatures' })
  async treeHeads() {
    const cosignatures = await readCosignatures(this.ledger.store);
    const heads = await readTreeHeads(this.ledger.store);
    return { publicKeyPem: this.signer.publicKeyPem, keyId: this.signer.keyId, treeHeads: heads.map((h) => ({ ...h, cosignatures: cosignatures.filter((c) => c.treeSize === h.treeSize) })) };
  }

  @Get('tree-heads/:size')
  @Requires('audit.read')
  @ApiOperation({ summary: 'One signed tree head by its size, with its cosignatures' })
  async treeHead(@Param('size') size: string) {
    const head = await treeHeadOfSize(this.ledger.store, parseInput(Size, size, 'size'));
    if (!head) throw new NotFoundError('tree head', size);
    return { publicKeyPem: this.signer.publicKeyPem, treeHead: head, cosignatures: await readCosignatures(this.ledger.store, head.treeSize) };
  }

  @Post('tree-heads/:size/cosign')
  @Requires('audit.seal')
  @HttpCode(200)
  @ApiOperation({ summary: "A witness's cosignature of a tree head: Ed25519 with its own key over the same tree-head bytes" })
  async cosign(@Req() req: Request, @Param('size') size: string, @Body() body: unknown) {
    const { publicKeyPem, signature } = parseInput(CosignBody, body);
    const head = await treeHeadOfSize(this.ledger.store, parseInput(Size, size, 'size'));
    if (!head) throw new NotFoundError('tree head', size);
    let der: Buffer;
    try {
      der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
    } catch {
      throw new ValidationError('publicKeyPem', 'not a public key (SubjectPublicKeyInfo PEM)');
    }
    if (!verifyTreeHeadSignature(bodyOf(head), signature, publicKeyPem)) throw new ValidationError('signature', `does not verify over tree head ${head.treeSize} with the given key`);
    const witnessKeyId = createHash('sha256').update(der).digest('hex').slice(0, 16);
    const existing = (await readCosignatures(this.ledger.store, head.treeSize)).find((c) => c.witnessKeyId === witnessKeyId);
    if (existing) return { cosignature: existing, duplicate: true };
    const cosignature: Cosignature = { treeSize: head.treeSize, witnessKeyId, witnessPublicKeyPem: publicKeyPem, signature, cosignedAt: this.clock.now().toISOString() };
    const [last] = await this.ledger.store.readStream(COSIGNATURE_STREAM, { direction: 'backwards', maxCount: 1 });
    await this.ledger.commit(
      [{ stream: { streamId: COSIGNATURE_STREAM, revision: last ? last.revision : 'no_stream', lastHash: last ? last.hash : GENESIS_HASH }, events: [{ type: TREE_HEAD_COSIGNED_EVENT, data: { ...cosignature } }] }],
      { commandId: systemCommandId(`cosign-${head.treeSize}-${witnessKeyId}`), actor: actorOf(req) },
    );
    return { cosignature, duplicate: false };
  }

  @Get('proofs/:eventId')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Inclusion proof (RFC 9162) of an event in the log as of a signed tree head (?treeSize=, default the newest); ?legacy=true: the old per-checkpoint audit path' })
  async proof(@Req() req: Request, @Param('eventId') eventId: string, @Query() query: Record<string, string>) {
    const q = parseInput(ProofQuery, query);
    const row = await this.auditLog.entry(eventId);
    if (!row) throw new NotFoundError('event', eventId);
    if (q.legacy === 'true') {
      const proof = await proveInclusion(this.ledger.store, eventId, row.position);
      if (!proof) throw new NotFoundError('checkpoint sealing event', eventId);
      const verified = verifyInclusion(proof.eventHash, proof.leafIndex, proof.treeSize, proof.auditPath, proof.checkpoint.merkleRoot);
      const [checkpoint] = await this.forScope(actorOf(req), [proof.checkpoint]);
      return { ...proof, checkpoint, verified };
    }
    const tree = this.tree();
    const heads = await readTreeHeads(this.ledger.store);
    const head = q.treeSize === undefined ? heads[heads.length - 1] : heads.find((h) => h.treeSize === q.treeSize);
    if (!head) throw new NotFoundError('tree head', String(q.treeSize ?? 'any'));
    const leaf = (await tree.leavesAt([row.position])).get(row.position);
    if (!leaf || leaf.index >= head.treeSize) throw new NotFoundError('event in tree head', `${eventId}@${head.treeSize}`);
    const [path] = await tree.inclusionPaths('events', [{ index: leaf.index, size: head.treeSize }]);
    const verified = verifyInclusionPath(leaf.index, head.treeSize, hashLeaf(Buffer.from(leaf.eventHash, 'hex')), path!, Buffer.from(head.rootHash, 'hex'));
    return { eventId, position: leaf.position, eventHash: leaf.eventHash, leafIndex: leaf.index, treeSize: head.treeSize, path: path!.map((b) => b.toString('hex')), treeHead: head, verified };
  }

  @Get('consistency')
  @Requires('audit.read')
  @ApiOperation({ summary: 'RFC 9162 consistency proof between the trees of sizes ?from=&to= (signed tree heads attached where they exist); ?legacy=true: the chain of roots between legacy checkpoints (sequence numbers)' })
  async consistency(@Req() req: Request, @Query() query: Record<string, string>) {
    const { from, to, legacy } = parseInput(Range, query);
    if (from > to) throw new ValidationError('from', 'from must not be after to');
    if (legacy === 'true') {
      const { checkpoints } = await readCheckpoints(this.ledger.store);
      const chain = checkpoints.filter((c) => c.streamHeads !== undefined && c.sequence >= from && c.sequence <= to);
      if (chain.length !== to - from + 1) throw new NotFoundError('checkpoint range', `${from}..${to}`);
      const linked = chain.every((c, i) => i === 0 || (c.previousRoot === chain[i - 1]!.merkleRoot && c.fromPosition === chain[i - 1]!.toPosition));
      return { from, to, consistent: linked, chain: await this.forScope(actorOf(req), chain) };
    }
    // Any first size up to the second works (RFC 9162 §2.1.4): a client holds its own root for `from`;
    // the signed tree heads of either size are attached when they exist.
    const tree = this.tree();
    await tree.catchUp();
    if (to > (await tree.size())) throw new NotFoundError('tree size', String(to));
    const [firstRoot, secondRoot] = [await tree.root('events', from), await tree.root('events', to)];
    const path = await tree.consistencyPath('events', from, to);
    const consistent = verifyConsistencyPath(from, to, firstRoot, secondRoot, path);
    return {
      from,
      to,
      consistent,
      firstRoot: firstRoot.toString('hex'),
      secondRoot: secondRoot.toString('hex'),
      path: path.map((b) => b.toString('hex')),
      first: await treeHeadOfSize(this.ledger.store, from),
      second: await treeHeadOfSize(this.ledger.store, to),
    };
  }

  @Get('export')
  @Requires('audit.export')
  @ApiOperation({
    summary:
      'Events + checkpoints + public key (+ the commitment seed), for offline verification (`npm run verify-export -- file`); seals first. ' +
      '`format=2` carries each event as the exact canonical text its hash covers (docs/verifiable-history.md §Ledger exports): verified about twice as fast',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['1', '2'], description: 'export format: 1 (events as objects, the default) or 2 (events as their hashed texts)' })
  async export(@Req() req: Request, @Res() res: Response, @Query('format') format?: string) {
    // Checked before anything is sealed: a bad request changes nothing.
    if (format !== undefined && format !== '1' && format !== '2') throw new ValidationError('format', 'format must be 1 or 2');
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
      checkpoints: checkpoints.filter((c) => c.streamHeads !== undefined),
      // The salts' seed reveals nothing a national auditor cannot read anyway; with it the commitment roots verify too.
      commitmentSeed: this.tree().commitmentSeed.toString('hex'),
    };
    const v2 = format === '2';
    res.setHeader('content-disposition', `attachment; filename="suyuan-ledger-${head}${v2 ? '.v2' : ''}.json"`);
    res.json(v2 ? toExportV2(body) : body);
  }

  private tree(): LogTree {
    const tree = attachedLogTree(this.ledger.store);
    if (!tree) throw new Error('the log tree is not attached (composition/platform.ts)');
    return tree;
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

