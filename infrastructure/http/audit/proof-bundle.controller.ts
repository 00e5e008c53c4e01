import { Controller, Get, Header, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AccessPolicy, redactChain } from '../../../application/access';
import { attachedLogTree } from '../../../application/audit/log-tree';
import { buildProofBundle, proofBundleJson } from '../../../application/audit/proof-bundle';
import { readCosignatures, treeHeadAsOf } from '../../../application/audit/tree-heads';
import type { Ledger } from '../../../application/ledger/ledger';
import { checkTraceCode } from '../../../application/lots/load-lot';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER_SIGNER, type LedgerSigner } from '../../../application/ports/signer';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { traceChain } from '../../../application/trace/chain-query';
import { can } from '../../../domain/accounts/permissions';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Public } from '../auth/permission.decorator';
import { parseInput } from '../validation/parse-input';

const BundleQuery = z.object({
  asOf: z.iso.datetime({ offset: true }).optional(),
  forward: z.enum(['true', 'false']).default('false'),
});

/**
 * `GET /api/v1/trace/{code}/proof`: the lot's proof bundle (application/audit/proof-bundle.ts), verified
 * offline by `npx suyuan-verify`. Public like the label: an anonymous caller (a consumer) gets every stream
 * redacted; a signed-in caller with trace.chain gets in full the lots the access policy lets it read (as
 * /chain does) and the rest redacted — the bundle stays complete either way.
 */
@ApiTags('trace')
@Controller('api/v1/trace')
export class ProofBundleController {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(LEDGER_SIGNER) private readonly signer: LedgerSigner,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: AccessPolicy,
  ) {}

  @Get(':traceCode/proof')
  @Public()
  // Sent pre-serialised: the streams' JSON (megabytes for a long chain) is kept with the cached bundle.
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: "A lot's proof bundle as of a signed tree head: its chain's events, inclusion and stream-head proofs (redacted for consumers)" })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601: the newest tree head signed by then (default: the newest)' })
  @ApiQuery({ name: 'forward', required: false, enum: ['true', 'false'] })
  async bundle(@Req() req: Request, @Param('traceCode') traceCode: string, @Query() query: Record<string, string>) {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const q = parseInput(BundleQuery, query);
    const forward = q.forward === 'true';
    const chain = await traceChain(this.models, code, forward ? 'both' : 'backward', 64);
    if (!chain) throw new NotFoundError('lot', code);
    const treeHead = await treeHeadAsOf(this.ledger.store, q.asOf);
    if (!treeHead) throw new NotFoundError('tree head', q.asOf ?? 'any');
    const tree = attachedLogTree(this.ledger.store);
    if (!tree) throw new Error('the log tree is not attached (composition/platform.ts)');
    const actor = actorOf(req);
    // ACCESS: who reads which lot in full is the policy's answer for /chain; consumers read nothing in full.
    const visible = new Set<string>();
    if (can(actor.role, 'trace.chain')) {
      const redacted = redactChain(actor, chain, await this.access.grantsFor(actor));
      for (const l of redacted.chain.lots) if (!('redacted' in l)) visible.add(l._id);
    }
    const streams: { streamId: string; full: boolean }[] = [];
    for (const l of chain.lots) streams.push({ streamId: `lot-${l._id}`, full: visible.has(l._id) });
    for (const e of chain.edges) streams.push({ streamId: `transfer-${e.transferId}`, full: visible.has(e.from) && (e.to === null || visible.has(e.to)) });
    const bundle = await buildProofBundle(this.ledger.store, tree, tree.commitmentSeed, {
      traceCode: code,
      forward,
      streams,
      treeHead,
      cosignatures: await readCosignatures(this.ledger.store, treeHead.treeSize),
      publicKeyPem: this.signer.publicKeyPem,
      now: this.clock.now(),
    });
    return proofBundleJson(bundle);
  }
}
