import type { RecordedEvent, StoredCommand } from '../ports/event-store';
import { IdempotencyKeyReusedError } from './idempotency';
import { assertScoped, withConcurrencyRetry, type CommandMeta, type Ledger, type StreamWrite } from './ledger';

export interface CommandOutcome<R> {
  result: R;
  /** Global position of the command's last event: wait for projections to reach it to read your write. */
  position: number;
  /** The commandId had been handled before; nothing new was appended. */
  duplicate: boolean;
}

/**
 * The write path every command handler follows:
 *   1. a commandId seen before → the original outcome, nothing appended (idempotent retries) — only when the
 *      request is the same one (its fingerprint matches), else IDEMPOTENCY_KEY_REUSED (decision 0010);
 *   2. load streams and decide (`decideWrites`), which may throw a domain error → nothing appended;
 *   3. append all streams atomically with expected revisions; on a concurrency conflict, go to 2.
 * The result is always derived from the recorded events, so a retry gets exactly the first answer.
 *
 * Step 1 runs no permission check of its own, and needs none: a client key is scoped to the caller and the
 * command type (idempotency.ts), so the events found are the ones this caller's own identical request
 * appended after passing every check of step 2; the route's permission guard runs again before this.
 */
export async function runCommand<R>(
  ledger: Ledger,
  meta: CommandMeta,
  decideWrites: () => Promise<StreamWrite[]>,
  resultOf: (events: RecordedEvent[]) => R,
): Promise<CommandOutcome<R>> {
  assertScoped(meta);
  const previous = await ledger.previous(meta.commandId);
  if (previous && previous.events.length > 0) return replay(previous, meta, resultOf);
  return withConcurrencyRetry(async () => {
    const writes = await decideWrites();
    const appended = await ledger.commit(writes, meta);
    // A duplicate here: the same commandId was appended between our lookup and our append (a racing retry).
    if (appended.duplicate) return replay({ events: appended.events, fingerprint: appended.fingerprint ?? null }, meta, resultOf);
    return outcome(appended.events, resultOf, false);
  });
}

/**
 * The first answer again, if this is the same request: a client command's fingerprint must match the one
 * stored with its events. Events the result cannot be derived from (another command's, e.g. under an id
 * from an older ledger) are a reuse of the key too, never a 500 and never their raw data.
 */
function replay<R>(previous: StoredCommand, meta: CommandMeta, resultOf: (events: RecordedEvent[]) => R): CommandOutcome<R> {
  const field = meta.request?.keyField ?? 'commandId';
  if (meta.request && previous.fingerprint !== meta.request.fingerprint) throw new IdempotencyKeyReusedError(field, 'other-request');
  try {
    return outcome(previous.events, resultOf, true);
  } catch {
    throw new IdempotencyKeyReusedError(field, 'other-command');
  }
}

function outcome<R>(events: RecordedEvent[], resultOf: (events: RecordedEvent[]) => R, duplicate: boolean): CommandOutcome<R> {
  return { result: resultOf(events), position: Math.max(0, ...events.map((e) => e.position)), duplicate };
}

/** The data of the first recorded event of a type (for deriving a command's result). */
export function dataOf<T = Record<string, unknown>>(events: RecordedEvent[], type: string): T {
  const e = events.find((x) => x.type === type);
  if (!e) throw new Error(`expected a ${type} event among ${events.map((x) => x.type).join(', ')}`);
  return e.data as T;
}
