/**
 * While Redis is unreachable, ioredis reconnects every few hundred milliseconds and BullMQ's queue and
 * worker each emit an 'error' per attempt: an outage of a few minutes wrote thousands of identical lines,
 * burying everything else in the log (and in CI's). This keeps the first occurrence of each message,
 * then at most one line per interval saying how many were held back, so an outage stays visible without
 * flooding. The clock is injectable so the test drives it.
 */
export type ErrorSink = (line: string) => void;

export class ThrottledErrorLog {
  private readonly lastWritten = new Map<string, { at: number; heldBack: number }>();

  constructor(
    private readonly sink: ErrorSink,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  error(message: string): void {
    const at = this.now();
    const seen = this.lastWritten.get(message);
    if (seen && at - seen.at < this.intervalMs) {
      seen.heldBack += 1;
      return;
    }
    const heldBack = seen?.heldBack ?? 0;
    this.lastWritten.set(message, { at, heldBack: 0 });
    this.sink(heldBack > 0 ? `${message} (${heldBack} more like it in the last ${Math.round((at - seen!.at) / 1000)} s)` : message);
  }
}
