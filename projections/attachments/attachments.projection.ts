import { ATTACHMENT_EVENT_TYPES, type AttachedRecord, type AttachmentsAttached } from '../../application/attachments/attachments';
import type { Projection } from '../runner/projection';

/**
 * `attachments`: one document per file (by SHA-256) with every record it is attached to. The serve route
 * asks the access policy about those records: whoever may read one of them may read the file. A file
 * uploaded but attached to nothing is not here, and so is served to nobody.
 */
export const attachmentsProjection: Projection = {
  name: 'attachments',
  version: 1,
  handles: ATTACHMENT_EVENT_TYPES,
  collections: ['attachments'],
  async apply(raw, ctx) {
    const { record, attachments, attachedAt } = (raw as unknown as AttachmentsAttached).data;
    for (const a of attachments) {
      const doc = await ctx.get('attachments', a.sha256);
      const records = ((doc?.records as (AttachedRecord & { name: string; attachedAt: string })[] | undefined) ?? []).slice();
      if (!records.some((r) => r.kind === record.kind && r.id === record.id && r.name === a.name)) records.push({ ...record, name: a.name, attachedAt });
      ctx.put('attachments', { _id: a.sha256, contentType: a.contentType, size: a.size, records, firstAttachedAt: (doc?.firstAttachedAt as string | undefined) ?? attachedAt });
    }
  },
};
