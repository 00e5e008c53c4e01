import { createHash } from 'node:crypto';

/**
 * Ids derived from what they identify (e.g. "the hold that sample S puts on lot L"), so the same fact
 * reached twice — by the command and by the process manager, or by a replayed event — names the same
 * stream, and the second `no_stream` append is refused instead of raising a duplicate.
 */
export function deterministicId(prefix: string, ...parts: string[]): string {
  return `${prefix}${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24)}`;
}
