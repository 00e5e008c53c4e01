import type { CommandAppend, CommandAppendResult, EventStore } from '../ports/event-store';

/**
 * Group commit when the adapter offers it (`EventStore.appendMany`: one transaction, one fsync), else the
 * generic fallback: one `append` per command, in order, each failure kept in its slot. The fallback has
 * the same per-command semantics (atomic, expected revisions, idempotent, parts without events are
 * revision checks) but none of the speed, and durability is per command rather than per group.
 */
export async function appendMany(store: EventStore, commands: CommandAppend[]): Promise<CommandAppendResult[]> {
  if (commands.length === 0) return [];
  if (store.appendMany) return store.appendMany(commands);
  const results: CommandAppendResult[] = [];
  for (const { appends, commandId, fingerprint } of commands) {
    try {
      results.push({ ok: true, result: await store.append(appends, commandId, fingerprint) });
    } catch (err) {
      results.push({ ok: false, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return results;
}
