import { AsyncLocalStorage } from 'node:async_hooks';
import {
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import type { RecordedEvent, SubscribeOptions, Subscription } from '../../application/ports/event-store';
import { fromKurrentEvent, toSafeNumber } from './envelope-codec';
import { matchesFilter, serverFilter } from './log-filter';

/** Lets close() tell whether it was called from inside this subscription's own onEvents. */
const deliveringFor = new AsyncLocalStorage<KurrentDbCatchUpSubscription>();

/** Events buffered before the server stream is paused (back-pressure while a batch is being handled). */
const HIGH_WATER = 2000;

/**
 * A catch-up subscription to `$all` from a checkpoint position, with the server-side filter of log-filter.ts.
 *
 * KurrentDB pushes events as a stream; they are buffered, filtered exactly (client side), cut into batches
 * of at most `batchSize` and handed to onEvents one batch at a time — the next batch waits for the promise.
 * Events that arrive in the same tick are batched together; the server stream is paused while the buffer
 * is full. A position at or below the checkpoint is never delivered (positions are compared, so a
 * resubscription from an inclusive position cannot deliver twice).
 *
 * When onEvents rejects or the server drops the subscription, it stops and reports through onError: the
 * caller (the projection runner) owns the retry policy and resubscribes from its stored checkpoint, as with
 * the SQLite adapter.
 */
export class KurrentDbCatchUpSubscription implements Subscription {
  private readonly stream: AllStreamSubscription;
  private readonly buffer: RecordedEvent[] = [];
  private cursor: number;
  /** Highest position the server searched (checkpoint) or we skipped, not yet reported through onProgress. */
  private scanned = 0;
  private reported = 0;
  private closed = false;
  private failure: Error | null = null;
  private wakeLoop: (() => void) | null = null;
  private readonly done: Promise<void>;

  constructor(
    client: KurrentDBClient,
    private readonly options: SubscribeOptions,
    private readonly onFinished: (s: KurrentDbCatchUpSubscription) => void,
  ) {
    this.cursor = options.afterPosition;
    const from =
      options.afterPosition > 0
        ? { commit: BigInt(options.afterPosition), prepare: BigInt(options.afterPosition) }
        : START;
    this.reported = options.afterPosition;
    const progress = options.onProgress
      ? { checkpointInterval: 1, checkpointReached: (_s: unknown, p: { commit: bigint }) => this.skippedTo(toSafeNumber(p.commit, 'position')) }
      : {};
    this.stream = client.subscribeToAll({ fromPosition: from, filter: serverFilter(options.filter, progress) });
    this.stream.on('data', (resolved: AllStreamResolvedEvent) => this.receive(resolved));
    this.stream.on('error', (err: Error) => this.fail(err));
    this.stream.on('end', () => this.fail(new Error('KurrentDB ended the $all subscription')));
    this.done = this.run();
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.wake();
      await this.stream.unsubscribe().catch(() => undefined);
    }
    // Awaiting our own loop from inside onEvents would deadlock: the loop is waiting for that handler.
    if (deliveringFor.getStore() !== this) await this.done;
  }

  private receive(resolved: AllStreamResolvedEvent): void {
    const event = resolved.event;
    if (!event || this.closed) return;
    try {
      const position = toSafeNumber(event.position.commit, 'position');
      if (position <= this.cursor) return;
      if (!matchesFilter(event, this.options.filter)) return this.skippedTo(position);
      this.buffer.push(fromKurrentEvent(event));
      this.cursor = position;
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.buffer.length >= HIGH_WATER) this.stream.pause();
    this.wake();
  }

  /** Nothing matching up to `position` besides what is buffered: reported once the buffer is delivered. */
  private skippedTo(position: number): void {
    if (position <= this.scanned) return;
    this.scanned = position;
    this.wake();
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    this.wakeLoop?.();
  }

  private async run(): Promise<void> {
    const batchSize = Math.max(1, this.options.batchSize ?? 500);
    try {
      for (;;) {
        if (this.buffer.length === 0 && this.scanned > this.reported && this.scanned > this.cursor) {
          // Everything received before this checkpoint has been delivered: the subscriber is caught up to it.
          this.reported = this.scanned;
          this.options.onProgress?.(this.scanned);
        }
        if (this.buffer.length === 0 && !this.failure && !this.closed) {
          await new Promise<void>((resolve) => (this.wakeLoop = resolve));
          this.wakeLoop = null;
          // Let the events of the same burst arrive, so they are delivered as one batch.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (this.closed) return;
        if (this.buffer.length > 0) {
          const batch = this.buffer.splice(0, batchSize);
          if (this.stream.isPaused() && this.buffer.length < HIGH_WATER / 2) this.stream.resume();
          await deliveringFor.run(this, () => this.options.onEvents(batch));
          continue;
        }
        if (this.failure) throw this.failure;
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (!this.closed) {
        if (this.options.onError) this.options.onError(error);
        else console.error(`KurrentDB subscription stopped: ${error.message}`);
      }
    } finally {
      this.closed = true;
      await this.stream.unsubscribe().catch(() => undefined);
      this.onFinished(this);
    }
  }
}
