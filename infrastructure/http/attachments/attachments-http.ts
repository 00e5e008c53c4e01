import type { Provider, Type } from '@nestjs/common';
import { BLOB_STORE } from '../../../application/ports/blob-store';
import type { Platform } from '../../composition/platform';
import { ATTACHMENT_LIMITS, AttachmentsController, type AttachmentLimits } from './attachments.controller';

/**
 * Attachments (issue 15 §6) in the HTTP app, added to AppModule in one place. BLOB_STORE is provided to the
 * whole module: the handlers that take `attachments` check each reference against it.
 */
export function attachmentsHttp(platform: Platform): { controllers: Type[]; providers: Provider[] } {
  const limits: AttachmentLimits = { maxBytes: platform.config.ATTACHMENT_MAX_BYTES, videoMaxBytes: platform.config.ATTACHMENT_VIDEO_MAX_BYTES };
  return {
    controllers: [AttachmentsController],
    providers: [
      { provide: BLOB_STORE, useValue: platform.blobs },
      { provide: ATTACHMENT_LIMITS, useValue: limits },
    ],
  };
}
