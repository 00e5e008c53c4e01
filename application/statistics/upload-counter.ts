import type { Actor } from '../../domain/shared/actor';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { uploadStreamId, type UploadChannel, type UploadCount, type UploadsCounted } from '../../domain/statistics/uploads';
import { systemCommandId } from '../ledger/idempotency';
import type { Ledger } from '../ledger/ledger';
import type { Clock, IdGenerator } from '../ports/clock';

/**
 * 数据传输监控 without an event per upload: the batch route and the origin import count what they received in
 * memory by (day, channel, client), and a repeatable job records the counts as one `UploadsCounted` event per
 * interval (decision 0015, as for consumer lookups). A crash loses at most one interval's counts — monitoring,
 * not the ledger: the accepted items themselves are in the log.
 */
export const UPLOAD_JOB = 'statistics-record-uploads';
/** Short, so the monitoring is close to real time; an idle interval appends nothing. */
export const UPLOAD_INTERVAL_MS = 60_000;

const cstDay = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** What one upload brought: items accepted, refused (with their codes) and sent again. */
export interface UploadTally {
  valid: number;
  resent: number;
  problemCodes: Record<string, number>;
}

interface PendingInterval {
  id: string;
  from: string;
  to: string;
  counts: UploadCount[];
}

export class UploadCounter {
  private counts = new Map<string, UploadCount>();
  private since: Date;
  private pending: PendingInterval | null = null;

  constructor(private readonly clock: Clock) {
    this.since = clock.now();
  }

  count(actor: Actor, channel: UploadChannel, tally: UploadTally): void {
    const problems = Object.values(tally.problemCodes).reduce((a, b) => a + b, 0);
    const items = tally.valid + tally.resent + problems;
    if (items === 0) return;
    const day = cstDay(this.clock.now());
    const key = `${day}|${channel}|${actor.orgId}`;
    const entry = this.counts.get(key) ?? { day, channel, clientId: actor.orgId, clientRole: actor.role, regionCode: actor.regionCode ?? '', items: 0, valid: 0, problems: 0, resent: 0, problemCodes: {} };
    entry.items += items;
    entry.valid += tally.valid;
    entry.resent += tally.resent;
    entry.problems += problems;
    for (const [code, n] of Object.entries(tally.problemCodes)) entry.problemCodes[code] = (entry.problemCodes[code] ?? 0) + n;
    this.counts.set(key, entry);
  }

  /** A batch's per-item answers: ok (first time → valid, duplicate → resent) or error (a problem, by code). */
  countBatch(actor: Actor, results: readonly ({ status: 'ok'; duplicate: boolean } | { status: 'error'; error: { code: string } })[]): void {
    const tally: UploadTally = { valid: 0, resent: 0, problemCodes: {} };
    for (const r of results) {
      if (r.status === 'ok') {
        if (r.duplicate) tally.resent++;
        else tally.valid++;
      } else tally.problemCodes[r.error.code] = (tally.problemCodes[r.error.code] ?? 0) + 1;
    }
    this.count(actor, 'batch', tally);
  }

  /** Items counted and not yet recorded (for tests and /metrics). */
  unrecorded(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c.items;
    return n + (this.pending?.counts.reduce((s, c) => s + c.items, 0) ?? 0);
  }

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

/** The job: appends the interval's counts as one event (a retry reuses the interval's id: recorded once). */
export async function recordUploads(ledger: Ledger, counter: UploadCounter, ids: IdGenerator): Promise<number> {
  const interval = counter.take(ids);
  if (!interval) return 0;
  const event: UploadsCounted = { type: 'UploadsCounted', data: { from: interval.from, to: interval.to, counts: interval.counts } };
  const meta = { commandId: systemCommandId(`uploads-${interval.id}`), actor: SYSTEM_ACTOR, correlationId: 'upload-monitoring' };
  const previous = await ledger.previous(meta.commandId);
  if (!previous || previous.events.length === 0) await ledger.commit([{ stream: ledger.fresh(uploadStreamId(interval.id)), events: [event] }], meta);
  counter.recorded(interval.id);
  return interval.counts.reduce((s, c) => s + c.items, 0);
}
