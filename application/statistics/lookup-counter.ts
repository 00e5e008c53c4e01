import { lookupStreamId, type PublicLookupCount, type PublicLookupsCounted } from '../../domain/statistics/lookups';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { systemCommandId } from '../ledger/idempotency';
import type { Ledger } from '../ledger/ledger';
import type { Clock, IdGenerator } from '../ports/clock';

/**
 * Consumer lookups (查询行为分析) without an event per page view: the public trace route counts in memory by
 * (day, product, lot's region), and a repeatable job records the counts as one `PublicLookupsCounted` event per
 * interval (decision 0015). What is lost on a crash is at most one interval's counts — statistics, not the
 * ledger. Each instance counts its own lookups; their events add up.
 */
export const LOOKUP_JOB = 'statistics-record-lookups';
/** How often the counts are recorded: short enough for a daily chart, long enough not to crowd the log. */
export const LOOKUP_INTERVAL_MS = 10 * 60_000;

const cstDay = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

interface PendingInterval {
  id: string;
  from: string;
  to: string;
  counts: PublicLookupCount[];
}

export class LookupCounter {
  private counts = new Map<string, PublicLookupCount>();
  private since: Date;
  /** Taken but not yet recorded (the append failed): the job's retry records this one first, under the same id. */
  private pending: PendingInterval | null = null;

  constructor(private readonly clock: Clock) {
    this.since = clock.now();
  }

  /** One lookup of a lot: its product and the region it is in — nothing about who asked. */
  count(product: string, regionCode: string): void {
    const day = cstDay(this.clock.now());
    const key = `${day}|${product}|${regionCode}`;
    const entry = this.counts.get(key);
    if (entry) entry.lookups++;
    else this.counts.set(key, { day, product, regionCode, lookups: 1 });
  }

  /** Lookups counted and not yet taken (for tests and /metrics). */
  unrecorded(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c.lookups;
    return n + (this.pending?.counts.reduce((s, c) => s + c.lookups, 0) ?? 0);
  }

  /** The interval to record: the one whose append failed, else everything counted since the last one. */
  take(ids: IdGenerator): PendingInterval | null {
    if (this.pending) return this.pending;
    if (this.counts.size === 0) return null;
    const to = this.clock.now();
    this.pending = { id: ids.uuid(), from: this.since.toISOString(), to: to.toISOString(), counts: [...this.counts.values()] };
    this.counts = new Map();
    this.since = to;
    return this.pending;
  }

  recorded(id: string): void {
    if (this.pending?.id === id) this.pending = null;
  }
}

/** The job: appends the interval's counts as one event (idempotent by the interval's id if a retry repeats it). */
export async function recordLookups(ledger: Ledger, counter: LookupCounter, ids: IdGenerator): Promise<number> {
  const interval = counter.take(ids);
  if (!interval) return 0;
  const event: PublicLookupsCounted = { type: 'PublicLookupsCounted', data: { from: interval.from, to: interval.to, counts: interval.counts } };
  const meta = { commandId: systemCommandId(`lookups-${interval.id}`), actor: SYSTEM_ACTOR, correlationId: 'public-lookups' };
  const previous = await ledger.previous(meta.commandId);
  if (!previous || previous.events.length === 0) await ledger.commit([{ stream: ledger.fresh(lookupStreamId(interval.id)), events: [event] }], meta);
  counter.recorded(interval.id);
  return interval.counts.reduce((s, c) => s + c.lookups, 0);
}

