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
  /** The access grants (incident responses) that opened the records read, when the region did not. */
  grants?: { grantId: string; incidentId: string }[];
}

/** Where a denial repeated within a window is counted instead of appended: one summary event per window. */
export const DENIAL_WINDOW_MS = 60_000;

/**
 * Sensitive reads and refused requests go into the ledger itself (stream `access-{user}-{YYYYMMDD}`,
 * hash-chained like everything else), so the access log is as tamper-evident as the data it protects.
 * A refusal is appended at once the first time; the same refusal again (same user, method, permission and
 * reason) within the window is only counted, and the window closes with one more AccessDenied carrying
 * `count`, `firstAt` and `lastAt` of the repeats (see AccessDenials). A client hammering a route it may
 * not use cannot flood the ledger: at most two events per refusal and window, however many requests.
 */
export async function recordAccess(ledger: Ledger, actor: Actor, entry: AccessEntry, now: Date): Promise<void> {
  if (entry.denied) return accessDenialsOf(ledger).record(actor, entry, now);
  await appendAccess(ledger, actor, 'DataAccessed', { ...entry }, now);
}

async function appendAccess(ledger: Ledger, actor: Actor, type: 'DataAccessed' | 'AccessDenied', data: Record<string, unknown>, now: Date): Promise<void> {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const streamId = `access-${actor.userId.replace(/[^A-Za-z0-9._-]/g, '_')}-${day}`;
  await withConcurrencyRetry(async () => {
    const head = await ledger.head(streamId);
    await ledger.commit([{ stream: head, events: [{ type, data: data as never }] }], {
      commandId: `access-${streamId}-${typeof head.revision === 'number' ? head.revision + 1 : 0}-${now.getTime()}`,
      actor,
    });
  });
}

/** The repeats of one refusal since its first was appended. */
interface OpenDenial {
  actor: Actor;
  entry: AccessEntry;
  repeats: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * The refusals of one ledger, aggregated per (user, method, permission, reason) and window. The permission
 * stands for the route (each route has one), so ids in the path cannot open new windows. flush() closes
 * every open window; a timer calls it every DENIAL_WINDOW_MS, and close() at shutdown.
 */
export class AccessDenials {
  private readonly open = new Map<string, OpenDenial>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly windowMs = DENIAL_WINDOW_MS,
  ) {}

  async record(actor: Actor, entry: AccessEntry, now: Date): Promise<void> {
    const key = [actor.userId, entry.method, entry.permission, entry.denied].join('\u0000');
    const open = this.open.get(key);
    if (open) {
      open.repeats++;
      open.lastAt = now;
      open.entry = entry;
      return;
    }
    this.open.set(key, { actor, entry, repeats: 0, firstAt: now, lastAt: now });
    this.ensureTimer();
    try {
      await appendAccess(this.ledger, actor, 'AccessDenied', { ...entry }, now);
    } catch (err) {
      // Not on record: the next one must be appended, not counted.
      this.open.delete(key);
      throw err;
    }
  }

  /** Appends one summary per refusal that repeated since its window opened, and closes every window. */
  async flush(): Promise<void> {
    const closing = [...this.open.entries()];
    this.open.clear();
    let failure: unknown;
    for (const [key, denial] of closing) {
      const { actor, entry, repeats, firstAt, lastAt } = denial;
      if (repeats === 0) continue;
      try {
        await appendAccess(this.ledger, actor, 'AccessDenied', { ...entry, count: repeats, firstAt: firstAt.toISOString(), lastAt: lastAt.toISOString() }, lastAt);
      } catch (err) {
        // Kept for the next flush (unless a new window opened meanwhile, whose first entry is on record).
        if (!this.open.has(key)) this.open.set(key, denial);
        failure ??= err;
      }
    }
    if (failure) throw failure;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private ensureTimer(): void {
    if (this.timer || this.windowMs <= 0) return;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.windowMs);
    this.timer.unref();
  }
}

const denialsByLedger = new WeakMap<Ledger, AccessDenials>();

/** The one aggregator of a ledger (the guard and the exception filter both refuse; they must share it). */
export function accessDenialsOf(ledger: Ledger): AccessDenials {
  let denials = denialsByLedger.get(ledger);
  if (!denials) {
    denials = new AccessDenials(ledger);
    denialsByLedger.set(ledger, denials);
  }
  return denials;
}
