/**
 * Read-your-writes waiters of a projection host that mirrors a runner elsewhere (a worker thread or another
 * process): each waits until the folded position reaches its own, or gives up after its timeout.
 */
export class PositionWaiters {
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();

  get size(): number {
    return this.waiters.size;
  }

  /** Resolves true once `reached` is called with `position` or beyond, false after `timeoutMs`. */
  wait(position: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The folded position moved to `position`: every waiter at or below it is answered. */
  reached(position: number): void {
    for (const w of [...this.waiters]) if (w.position <= position) w.resolve();
  }
}
