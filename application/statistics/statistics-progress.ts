import type { ProjectionProgress } from '../ports/read-models';

/**
 * How far the statistics projection has folded the log, as its readers see it. The projection is eventually
 * consistent (decision 0025): a command's answer no longer waits for it, so whoever reads statistics and must
 * see the writes already acknowledged — a dashboard request, a report generated for a period — waits here
 * instead, for the projection's stored checkpoint, bounded in time. The checkpoint is the one the runner stores
 * with the projection's documents (its eventual lane stores it also over events it does not handle), read through
 * the read store, so this works the same with the projections in this thread, a worker thread or another process.
 */
export interface StatisticsProgressSource {
  /** The log's head now. */
  head(): Promise<number>;
  /** The stored checkpoint of the live generation (null: none yet). */
  checkpoint(): Promise<number | null>;
  /** The projection's new version is rebuilding beside a frozen old generation, which will not move. */
  rebuilding(): boolean;
}

/** Between two reads of the checkpoint while waiting (a point read of one row). */
const POLL_MS = 5;

export class StatisticsProgress implements ProjectionProgress {
  constructor(
    private readonly source: StatisticsProgressSource,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** Resolves true once the statistics include the log up to `position`; false after `timeoutMs` or while rebuilding. */
  async waitFor(position: number, timeoutMs = this.defaultTimeoutMs): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (((await this.source.checkpoint()) ?? 0) >= position) return true;
      // A frozen old generation does not fold: its readers get it as it is (the rebuild is in the status).
      if (this.source.rebuilding() || Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Waits until the statistics include everything appended before this call (read-your-writes for a reader). */
  async caughtUp(timeoutMs = this.defaultTimeoutMs): Promise<boolean> {
    if (timeoutMs <= 0) return true;
    return this.waitFor(await this.source.head(), timeoutMs);
  }
}

/** A progress that waits for both (the other read models and the statistics: what a report reads). */
export function bothProgress(a: ProjectionProgress, b: ProjectionProgress): ProjectionProgress {
  return {
    async waitFor(position, timeoutMs) {
      const [x, y] = await Promise.all([a.waitFor(position, timeoutMs), b.waitFor(position, timeoutMs)]);
      return x && y;
    },
  };
}
