import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** The shape @nestjs/throttler expects back from a storage (ThrottlerStorageRecord, not exported by name). */
export interface ThrottleState {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * The hits of one client on one route and throttler: their expiry times in ascending order, read from
 * `head` on (a queue without shifting the array on every request).
 */
class HitWindow {
  private hits: number[] = [];
  private head = 0;
  expiresAt: number;
  blockExpiresAt = 0;
  isBlocked = false;

  constructor(now: number, ttl: number) {
    this.expiresAt = now + ttl;
  }

  get count(): number {
    return this.hits.length - this.head;
  }

  get oldest(): number | undefined {
    return this.hits[this.head];
  }

  get newest(): number | undefined {
    return this.count > 0 ? this.hits[this.hits.length - 1] : undefined;
  }

  prune(now: number): void {
    while (this.head < this.hits.length && this.hits[this.head]! <= now) this.head++;
    // Drop the consumed prefix once it is most of the array, so memory follows the live hits.
    if (this.head > 64 && this.head * 2 > this.hits.length) {
      this.hits = this.hits.slice(this.head);
      this.head = 0;
    }
  }

  add(expiry: number): void {
    const last = this.hits.length - 1;
    if (this.count === 0 || this.hits[last]! <= expiry) {
      this.hits.push(expiry);
      return;
    }
    // A route-level ttl override can make a hit expire before older ones: keep the order.
    let lo = this.head;
    let hi = this.hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hits[mid]! <= expiry) lo = mid + 1;
      else hi = mid;
    }
    this.hits.splice(lo, 0, expiry);
  }

  clear(): void {
    this.hits = [];
    this.head = 0;
  }
}

/**
 * In-memory rate-limit storage with the semantics of @nestjs/throttler's ThrottlerStorageService (a sliding
 * log: each hit counts for `ttl` ms; past `limit` the client is blocked for `blockDuration`), but O(1)
 * amortised per request. The library's storage filters the whole hit list on every request, which costs
 * O(hits in the window): a busy public route (many consumers behind one carrier NAT address, or a load
 * test) turned the rate limiter into the most expensive part of a trace lookup.
 */
export class SlidingWindowStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, HitWindow>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly sweepIntervalMs = 60_000,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottleState> {
    return this.hit(key, ttl, limit, blockDuration, throttlerName);
  }

  /** Synchronous core of increment (the guard awaits the promise either way). */
  hit(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): ThrottleState {
    this.ensureSweep();
    const now = this.now();
    const id = `${throttlerName}\u0000${key}`;
    let w = this.windows.get(id);
    if (!w) {
      w = new HitWindow(now, ttl);
      this.windows.set(id, w);
    }
    w.prune(now);
    let timeToExpire = Math.ceil((w.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      w.expiresAt = now + ttl;
      timeToExpire = Math.ceil(ttl / 1000);
    }

    if (blockDuration <= 0) {
      const isBlocked = w.count >= limit;
      if (!isBlocked) w.add(now + ttl);
      const timeToBlockExpire = w.count > 0 ? Math.ceil((w.oldest! - now) / 1000) : timeToExpire;
      return { totalHits: w.count + (isBlocked ? 1 : 0), timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToBlockExpire : 0 };
    }

    if (!w.isBlocked) w.add(now + ttl);
    if (w.count > limit && !w.isBlocked) {
      w.isBlocked = true;
      w.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((w.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && w.isBlocked) {
      // The block is over: start counting afresh with this request.
      w.isBlocked = false;
      w.clear();
      w.add(now + ttl);
    }
    return { totalHits: w.count, timeToExpire, isBlocked: w.isBlocked, timeToBlockExpire };
  }

  /** Number of tracked client windows (for tests and diagnostics). */
  get size(): number {
    return this.windows.size;
  }

  /** Forgets windows with no live hits, no running block and an expired period. */
  evictIdle(now = this.now()): void {
    for (const [id, w] of this.windows) {
      if (w.isBlocked && w.blockExpiresAt > now) continue;
      if (w.expiresAt > now) continue;
      if ((w.newest ?? 0) > now) continue;
      this.windows.delete(id);
    }
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.windows.clear();
  }

  private ensureSweep(): void {
    if (this.sweeper || this.sweepIntervalMs <= 0) return;
    this.sweeper = setInterval(() => this.evictIdle(), this.sweepIntervalMs);
    this.sweeper.unref();
  }
}
