/**
 * The JobQueue port. Embedded default: in-process, persisted in SQLite (a delayed job survives a restart);
 * distributed: BullMQ on Redis.
 */
export interface Job<T = Record<string, unknown>> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first try. */
  attempt: number;
}

export interface EnqueueOptions {
  /** Deduplication key: adding a job whose id is already pending is a no-op. */
  jobId?: string;
  delayMs?: number;
  /** Total tries including the first (default 3). */
  attempts?: number;
  /** Exponential back-off base in ms (default 1000): delay = backoffMs * 2^(attempt-1). */
  backoffMs?: number;
}

export interface FailedJob {
  id: string;
  name: string;
  data: Record<string, unknown>;
  attempts: number;
  error: string;
  failedAt: string;
}

export type JobHandler<T = any> = (job: Job<T>) => Promise<void>;

export interface JobQueue {
  /** Registers the handler for a job name. Must be called before start(). */
  register<T = any>(name: string, handler: JobHandler<T>): void;
  add(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<string>;
  /**
   * Optional durability barrier: resolves once every job added so far survives a power cut (an adapter may
   * acknowledge `add` before that, e.g. SQLite with synchronous=NORMAL). A process manager that derives jobs
   * from the log calls it before moving its checkpoint past the events that added them — one fsync per
   * batch of events instead of one per job.
   */
  flush?(): Promise<void>;
  /** Repeats every `everyMs`; idempotent by `repeatKey` (re-registering does not duplicate). */
  repeat(name: string, data: Record<string, unknown>, everyMs: number, repeatKey: string): Promise<void>;
  /** Removes a pending (e.g. delayed) job; true if it was there. */
  remove(jobId: string): Promise<boolean>;
  /** Jobs that exhausted their attempts; kept and visible. */
  failed(limit?: number): Promise<FailedJob[]>;
  /** Jobs waiting or delayed (for inspection/tests). */
  pendingCount(): Promise<number>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JobQueue');
