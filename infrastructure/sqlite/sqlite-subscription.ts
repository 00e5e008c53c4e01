import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventFilter, RecordedEvent, SubscribeOptions, Subscription } from '../../application/ports/event-store';
import type { AppendNotifier } from './append-notifier';

export interface BatchSource {
  /**
   * Up to `maxCount` matching events after `afterPosition`, and how far the log was scanned: when fewer
   * than maxCount matched, everything up to `scannedTo` (the head at read time) has been seen.
   */
  readBatch(afterPosition: number, maxCount: number, filter: EventFilter | undefined): { events: RecordedEvent[]; scannedTo: number };
}

/** Lets close() tell whether it was called from inside this subscription's own onEvents. */
const deliveringFor = new AsyncLocalStorage<CatchUpSubscription>();

/**
 * Catch-up then live, in one loop: read a batch after the cursor, deliver it and wait for the handler,
 * advance; when caught up, sleep until an in-process append wakes it or the poll interval passes (the
 * poll is what sees appends made by other processes). One loop per subscription means batches are
 * strictly ordered and an event is never delivered twice.
 *
 * When onEvents rejects, the subscription reports the error through onError and stops (like a dropped
 * KurrentDB subscription): the caller owns the retry policy, and silently re-delivering would hide bugs.
 */
export class CatchUpSubscription implements Subscription {
  private closed = false;
  private woken = false;
  private wakeSleeper: (() => void) | null = null;
  private readonly done: Promise<void>;
  private readonly stopListening: () => void;

  constructor(
    private readonly source: BatchSource,
    notifier: AppendNotifier,
    private readonly options: SubscribeOptions,
    private readonly pollMs: number,
    private readonly onFinished: (s: CatchUpSubscription) => void,
  ) {
    this.stopListening = notifier.listen(() => this.wake());
    // Start on the next tick: the caller gets the Subscription object before the first delivery.
    this.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    // Awaiting our own loop from inside onEvents would deadlock: the loop is waiting for that handler.
    if (deliveringFor.getStore() !== this) await this.done;
  }

  private wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  private async run(): Promise<void> {
    const batchSize = Math.max(1, this.options.batchSize ?? 500);
    let cursor = this.options.afterPosition;
    try {
      while (!this.closed) {
        this.woken = false;
        const { events, scannedTo } = this.source.readBatch(cursor, batchSize, this.options.filter);
        if (events.length > 0) {
          await deliveringFor.run(this, () => this.options.onEvents(events));
        }
        const delivered = events.length > 0 ? events[events.length - 1]!.position : cursor;
        cursor = events.length === batchSize ? delivered : Math.max(cursor, scannedTo);
        // Scanned past what matched the filter: tell a filtered subscriber how far it has caught up.
        if (cursor > delivered) this.options.onProgress?.(cursor);
        if (events.length < batchSize) await this.sleep();
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (this.options.onError) this.options.onError(error);
      else console.error(`SqliteEventStore subscription stopped: ${error.message}`);
    } finally {
      this.closed = true;
      this.stopListening();
      this.onFinished(this);
    }
  }

  private sleep(): Promise<void> {
    if (this.woken || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    }).finally(() => {
      this.wakeSleeper = null;
    });
  }
}
