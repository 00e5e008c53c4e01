import type { DecisionContext } from '../../domain/shared/actor';
import { ValidationError } from '../../domain/shared/errors';
import type { BlobStore } from '../ports/blob-store';
import type { Ledger, StreamWrite } from '../ledger/ledger';

/**
 * A file attached to a record, as the ledger keeps it: the SHA-256 names the exact bytes (the store is
 * content-addressed), so the event proves which file was meant and the serve route refuses altered content.
 * No content, no URL: only these four facts.
 */
export interface AttachmentRef {
  sha256: string;
  contentType: string;
  size: number;
  name: string;
}

/**
 * The record a file is attached to, which decides who may read it (the serve route asks the access policy
 * about this record): an inspection visit (read as its inspection task), a sample (its results, its report),
 * an entity (its registration's proof documents), an enforcement case (its actions).
 */
export type AttachedRecord =
  | { kind: 'inspection-record'; id: string; inspectionId: string }
  | { kind: 'sample'; id: string }
  | { kind: 'entity'; id: string }
  | { kind: 'case'; id: string };

export type AttachmentsAttached = {
  type: 'AttachmentsAttached';
  data: { record: AttachedRecord; attachments: AttachmentRef[]; attachedBy: { userId: string; orgId: string }; attachedAt: string };
};
export const ATTACHMENT_EVENT_TYPES = ['AttachmentsAttached'] as const;

/** One stream per record: every attachment of it, in order. */
export const attachmentsStreamId = (record: AttachedRecord) => `attachments-${record.kind}-${record.id}`;

/**
 * The write that attaches files to a record, in the same append as the command that records it (an inspection
 * visit, a result, an application, a case action): each reference must name a blob already uploaded, with the
 * size and type the store has for it (the store's are the facts; a client cannot relabel a file). Nothing
 * when there is nothing to attach.
 */
export async function attachmentsWrite(
  ledger: Ledger,
  blobs: BlobStore | undefined,
  record: AttachedRecord,
  refs: readonly AttachmentRef[] | undefined,
  ctx: DecisionContext,
): Promise<StreamWrite | null> {
  if (!refs || refs.length === 0) return null;
  // The batch route builds some handlers without the platform's stores: attachments need the upload route's store.
  if (!blobs) throw new ValidationError('attachments', 'attachments: not accepted on this route (attach them through the record’s own route)');
  for (const [i, ref] of refs.entries()) {
    const stored = await blobs.stat(ref.sha256);
    if (!stored) throw new ValidationError(`attachments[${i}].sha256`, `attachments[${i}].sha256: no uploaded file has this SHA-256 (upload it first: POST /api/v1/attachments)`, { sha256: ref.sha256 });
    if (stored.size !== ref.size || stored.contentType !== ref.contentType)
      throw new ValidationError(`attachments[${i}]`, `attachments[${i}]: the uploaded file is ${stored.contentType}, ${stored.size} bytes, not ${ref.contentType}, ${ref.size} bytes`, {
        sha256: ref.sha256,
        stored: { contentType: stored.contentType, size: stored.size },
      });
  }
  const streamId = attachmentsStreamId(record);
  const event: AttachmentsAttached = {
    type: 'AttachmentsAttached',
    data: {
      record,
      attachments: refs.map(({ sha256, contentType, size, name }) => ({ sha256, contentType, size, name })),
      attachedBy: { userId: ctx.actor.userId, orgId: ctx.actor.orgId },
      attachedAt: ctx.now.toISOString(),
    },
  };
  return { stream: await ledger.head(streamId), events: [event] };
}
