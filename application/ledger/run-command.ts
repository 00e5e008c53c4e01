import type { RecordedEvent } from '../ports/event-store';
import { withConcurrencyRetry, type CommandMeta, type Ledger, type StreamWrite } from './ledger';

export interface CommandOutcome<R> {
  result: R;
  /** Global position of the command's last event: wait for projections to reach it to read your write. */
  position: number;
  /** The commandId had been handled before; nothing new was appended. */
  duplicate: boolean;
}

/**
 * The write path every command handler follows:
 *   1. a commandId seen before → the original outcome, nothing appended (idempotent retries);
 *   2. load streams and decide (`decideWrites`), which may throw a domain error → nothing appended;
 *   3. append all streams atomically with expected revisions; on a concurrency conflict, go to 2.
 * The result is always derived from the recorded events, so a retry gets exactly the first answer.
 */
export async function runCommand<R>(
  ledger: Ledger,
  meta: CommandMeta,
  decideWrites: () => Promise<StreamWrite[]>,
  resultOf: (events: RecordedEvent[]) => R,
): Promise<CommandOutcome<R>> {
  const previous = await ledger.previous(meta.commandId);
  if (previous && previous.length > 0) return outcome(previous, resultOf, true);
  return withConcurrencyRetry(async () => {
    const writes = await decideWrites();
    const appended = await ledger.commit(writes, meta);
    return outcome(appended.events, resultOf, appended.duplicate);
  });
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
