import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { BusinessRuleError } from '../../domain/shared/errors';

/** The stored bytes no longer hash to their name: the file was altered after the ledger recorded it. */
export class AttachmentCorruptedError extends BusinessRuleError {
  constructor(sha256: string, actual: string) {
    super('ATTACHMENT_CORRUPTED', `the stored file no longer matches its SHA-256 ${sha256} (it hashes to ${actual}); it is not served`, { sha256, actual });
  }
}

/** Reads the whole content once and answers its SHA-256 (nothing is kept in memory). */
export async function hashOf(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Passes the content through and fails the stream at its end when it does not hash to `sha256` — the second
 * guard of a serve that already checked the content before sending headers (the file may change in between).
 */
export function verifyingStream(sha256: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = hash.digest('hex');
      done(actual === sha256 ? null : new AttachmentCorruptedError(sha256, actual));
    },
  });
}
