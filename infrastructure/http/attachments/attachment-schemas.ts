import { z } from 'zod';

/** What may be uploaded (issue 15 §6): photos, video, PDF reports and proof documents. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/**
 * The optional `attachments` field of the commands that record something (an inspection visit, a test
 * result, a registration, a case action): references to files uploaded before (POST /api/v1/attachments).
 * The handler checks each against the store.
 */
export const AttachmentList = z
  .array(
    z.object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lower-case hex digits (the upload’s answer)'),
      contentType: z.enum(ATTACHMENT_TYPES),
      size: z.number().int().min(0),
      name: z.string().trim().min(1).max(200),
    }),
  )
  .max(50);
