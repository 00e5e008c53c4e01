import type { Actor } from '../../domain/shared/actor';
import type { Ledger } from '../ledger/ledger';
import { withConcurrencyRetry } from '../ledger/ledger';

export interface AccessEntry {
  method: string;
  path: string;
  status: number;
  permission: string;
  source: string;
  /** Why it was refused (out of scope, missing permission, bad token), when it was. */
  denied?: string;
}

/**
 * Sensitive reads and refused requests go into the ledger itself (stream `access-{user}-{YYYYMMDD}`,
 * hash-chained like everything else), so the access log is as tamper-evident as the data it protects.
 */
export async function recordAccess(ledger: Ledger, actor: Actor, entry: AccessEntry, now: Date): Promise<void> {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const streamId = `access-${actor.userId.replace(/[^A-Za-z0-9._-]/g, '_')}-${day}`;
  await withConcurrencyRetry(async () => {
    const head = await ledger.head(streamId);
    await ledger.commit([{ stream: head, events: [{ type: entry.denied ? 'AccessDenied' : 'DataAccessed', data: { ...entry } }] }], {
      commandId: `access-${streamId}-${typeof head.revision === 'number' ? head.revision + 1 : 0}-${now.getTime()}`,
      actor,
    });
  });
}
