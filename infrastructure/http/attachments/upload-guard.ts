import { Transform } from 'node:stream';
import { RequestRejected } from '../errors/request-rejected';
import type { AttachmentType } from './attachment-schemas';
import { SNIFF_BYTES, sniffType } from './sniff';

/**
 * Sits between the request and the store: refuses (the stream fails, so the store keeps nothing) content
 * whose first bytes are not the declared type (415) and content past the size limit (413), while it streams.
 */
export function uploadGuard(declared: AttachmentType, maxBytes: number): Transform {
  let seen = 0;
  let head: Buffer | null = Buffer.alloc(0);
  const check = (bytes: Buffer) => {
    const sniffed = sniffType(bytes);
    if (sniffed !== declared)
      return new RequestRejected(415, 'ATTACHMENT_TYPE_MISMATCH', `the file's content is ${sniffed ?? 'none of the allowed types'}, not the declared ${declared}`, {
        declared,
        detected: sniffed,
      });
    return null;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) return done(tooLarge(declared, maxBytes));
      if (head === null) return done(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) return done(); // held back until the type is known
      const refused = check(head);
      const out = head;
      head = null;
      done(refused, refused ? undefined : out);
    },
    flush(done) {
      // A file shorter than the sniff window: judged on what there is.
      if (head === null) return done();
      const refused = check(head);
      done(refused, refused ? undefined : head);
    },
  });
}

export function tooLarge(type: AttachmentType, maxBytes: number): RequestRejected {
  return new RequestRejected(413, 'ATTACHMENT_TOO_LARGE', `a ${type} attachment may be at most ${maxBytes} bytes (${Math.floor(maxBytes / 1024 / 1024)} MB)`, {
    contentType: type,
    maxBytes,
  });
}
