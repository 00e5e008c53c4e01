import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res, SetMetadata } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AccessPolicy, caseResource, entityResource, inspectionResource, sampleResource, type Resource } from '../../../application/access';
import { attachmentsStreamId, type AttachedRecord, type AttachmentsAttached } from '../../../application/attachments/attachments';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store';
import { recordAccess } from '../../../application/audit/access-log';
import type { Ledger } from '../../../application/ledger/ledger';
import { BLOB_STORE, isSha256, type BlobInfo, type BlobStore } from '../../../application/ports/blob-store';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER } from '../../../application/shared/settings';
import type { Actor } from '../../../domain/shared/actor';
import { NotFoundError } from '../../../domain/shared/errors';
import { AttachmentCorruptedError, hashOf, verifyingStream } from '../../blobs/verified-read';
import { RequestRejected } from '../errors/request-rejected';
import { actorOf, sourceOf } from '../auth/auth.guard';
import { Requires, SENSITIVE_KEY } from '../auth/permission.decorator';
import { ATTACHMENT_TYPES, type AttachmentType } from './attachment-schemas';
import { tooLarge, uploadGuard } from './upload-guard';

export const ATTACHMENT_LIMITS = Symbol('AttachmentLimits');
export interface AttachmentLimits {
  /** Photos, PDF reports and proof documents. */
  maxBytes: number;
  /** video/mp4. */
  videoMaxBytes: number;
}

/**
 * 附件 (issue 15 §6): photos and video of inspections and sampling, test reports, registration proofs.
 * Upload first (the answer is the file's SHA-256), then name it in the `attachments` of the command that
 * records the visit, the result, the application or the case action; the ledger keeps SHA-256, type, size
 * and name. A file is served to whoever may read a record it is attached to, and only while its bytes still
 * hash to the SHA-256 the ledger recorded.
 */
@ApiTags('attachments')
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(ATTACHMENT_LIMITS) private readonly limits: AttachmentLimits,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly access: AccessPolicy,
  ) {}

  /**
   * The files attached to one record (a registration's proof documents for its review, a case's evidence, a
   * sample's report), in the order they were attached — to whoever may read the record. Read from the record's
   * own attachments stream, which is small and is the ledger's word on what was attached.
   */
  @Get('records/:kind/:id')
  @Requires('attachment.read')
  @ApiOperation({ summary: 'The files attached to a record (kind: entity, case, sample): SHA-256, type, size, name, who attached them and when' })
  async ofRecord(@Req() req: Request, @Param('kind') kind: string, @Param('id') id: string) {
    if (kind !== 'entity' && kind !== 'case' && kind !== 'sample')
      throw new RequestRejected(400, 'VALIDATION_FAILED', "kind must be 'entity', 'case' or 'sample'", { field: 'kind', value: kind.slice(0, 32) });
    const record = { kind, id } as AttachedRecord;
    const resource = await this.resourceOf(record);
    if (!resource) throw new NotFoundError(kind, id);
    await this.access.read(actorOf(req), resource);
    const attached = await this.events.readStream(attachmentsStreamId(record));
    const items = attached
      .filter((e) => e.type === 'AttachmentsAttached')
      .flatMap((e) => {
        const d = e.data as unknown as AttachmentsAttached['data'];
        return d.attachments.map((a) => ({ ...a, attachedAt: d.attachedAt, attachedBy: d.attachedBy }));
      });
    return { record, items };
  }

  /*
   * Permissions (domain/accounts/permissions.ts): `attachment.upload` for the accounts that record something a
   * file belongs to — producers (proof documents), labs (reports), inspectors and the administrations above
   * them (visit photos), enforcement (case evidence); `attachment.read` for every signed-in role that reads
   * records. Neither is the public's (consumer, anonymous): it must neither fill the store nor reach the
   * policy with its national-looking empty region. Which file a reader gets is the policy's, per record.
   */
  @Post()
  @Requires('attachment.upload')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Upload one file as the raw body with its Content-Type (image/jpeg, image/png, image/webp, video/mp4, application/pdf) → {sha256, size, contentType}',
  })
  async upload(@Req() req: Request): Promise<BlobInfo> {
    const declared = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(declared))
      throw new RequestRejected(415, 'UNSUPPORTED_ATTACHMENT_TYPE', `Content-Type must be one of ${ATTACHMENT_TYPES.join(', ')} (got ${declared || 'none'})`, {
        contentType: declared || null,
        allowed: ATTACHMENT_TYPES,
      });
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity')
      throw new RequestRejected(415, 'UNSUPPORTED_CONTENT_ENCODING', 'upload the file as it is (no Content-Encoding): the SHA-256 is of the bytes sent', { encoding: encoding.slice(0, 64) });
    const type = declared as AttachmentType;
    const max = type === 'video/mp4' ? this.limits.videoMaxBytes : this.limits.maxBytes;
    const length = Number(req.headers['content-length'] ?? NaN);
    // Refused before a byte is read when the length is declared; counted while streaming when it is not.
    if (Number.isFinite(length) && length > max) throw tooLarge(type, max);
    return this.blobs.put(req.pipe(uploadGuard(type, max)), type);
  }

  @Get(':sha256')
  @Requires('attachment.read')
  @SetMetadata(SENSITIVE_KEY, true) // every serve goes into the access log (written below, before the bytes)
  @ApiOperation({ summary: 'The file, to callers who may read a record it is attached to; 409 ATTACHMENT_CORRUPTED when the stored bytes no longer match' })
  async serve(@Req() req: Request, @Res() res: Response, @Param('sha256') sha256: string): Promise<void> {
    const actor = actorOf(req);
    const doc = isSha256(sha256) ? await this.models.get('attachments', sha256) : null;
    if (!doc) throw new NotFoundError('attachment', sha256);
    await this.assertMayRead(actor, (doc.records as AttachedRecord[] | undefined) ?? [], sha256);
    const info = await this.blobs.stat(sha256);
    if (!info) throw new NotFoundError('attachment file', sha256);
    // The whole file is hashed before the first byte goes out, so altered content is refused, never served.
    const stored = await this.blobs.get(sha256);
    const actual = stored ? await hashOf(stored) : '';
    if (actual !== sha256) throw new AttachmentCorruptedError(sha256, actual);
    await recordAccess(this.ledger, actor, { method: req.method, path: req.originalUrl, status: 200, permission: 'attachment.read', source: sourceOf(req) }, this.clock.now());
    const content = await this.blobs.get(sha256);
    if (!content) throw new NotFoundError('attachment file', sha256);
    res.status(200);
    res.setHeader('Content-Type', info.contentType);
    res.setHeader('Content-Length', String(info.size));
    res.setHeader('ETag', `"${sha256}"`);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Disposition', `inline; filename="${sha256.slice(0, 16)}${extensionOf(info.contentType)}"`);
    // Checked again as it streams (the file could change between the two reads): a mismatch cuts the response.
    await pipeline(content, verifyingStream(sha256), res).catch((err: unknown) => {
      res.destroy(err as Error);
    });
  }

  /** Allowed when the caller may read one of the records; otherwise the first record's refusal. */
  private async assertMayRead(actor: Actor, records: AttachedRecord[], sha256: string): Promise<void> {
    let refusal: unknown = new NotFoundError('attachment', sha256);
    for (const record of records) {
      const resource = await this.resourceOf(record);
      if (!resource) continue;
      try {
        await this.access.read(actor, resource);
        return;
      } catch (err) {
        if (refusal instanceof NotFoundError || !(err instanceof NotFoundError)) refusal = err;
      }
    }
    throw refusal;
  }

  /** The record as the access policy sees it (null when its read model has not got it: nobody reads it yet). */
  private async resourceOf(record: AttachedRecord): Promise<Resource | null> {
    switch (record.kind) {
      case 'inspection-record': {
        const doc = await this.models.get('inspections', record.inspectionId);
        return doc ? inspectionResource(doc) : null;
      }
      case 'sample': {
        const doc = await this.models.get('samples', record.id);
        return doc ? sampleResource(doc) : null;
      }
      case 'case': {
        const doc = await this.models.get('cases', record.id);
        return doc ? caseResource(doc) : null;
      }
      case 'entity': {
        const doc = await this.models.get('entities', record.id);
        return doc ? entityResource(doc) : null;
      }
    }
  }
}

function extensionOf(type: string): string {
  return ({ 'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp', 'video/mp4': '.mp4', 'application/pdf': '.pdf' } as Record<string, string>)[type] ?? '';
}
