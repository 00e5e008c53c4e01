import { Queue, Worker, type ConnectionOptions, type Job as BullJob, type JobsOptions } from 'bullmq';
import type { EnqueueOptions, FailedJob, Job, JobHandler, JobQueue } from '../../application/ports/job-queue';
import { redisConnectionOptions } from './redis-connection';
import { ThrottledErrorLog } from './throttled-error-log';

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BACKOFF_MS = 1000;
const PENDING_STATES = ['wait', 'delayed', 'prioritized'] as const;

export interface BullMqJobQueueOptions {
  /** Queue name (default `suyuan`): every app instance using the same name shares the jobs. */
  queueName?: string;
  /** Redis key prefix (default `suyuan`). */
  prefix?: string;
  /** Jobs one worker runs at the same time (default 1, like the embedded queue). */
  concurrency?: number;
}

/**
 * The JobQueue on BullMQ 6 / Redis: what runs beside the distributed engines, shared by every app instance.
 *
 * - delayed jobs: BullMQ's delayed set (they survive restarts — they live in Redis);
 * - retries: `attempts` with BullMQ's exponential back-off, delay = backoffMs · 2^(attempt−1) as the port says;
 * - repeatable jobs: a job scheduler per `repeatKey` (`upsertJobScheduler`, idempotent);
 * - dedup: the port's `jobId` is the BullMQ job id, so adding it again while it is pending is a no-op;
 *   completed jobs are removed at once so the id can be used again; failed jobs are kept and listed by
 *   failed(). Re-adding the id of a job that failed for good replaces that failed job (the embedded queue
 *   keeps failures apart from ids; BullMQ has one job per id).
 */
export class BullMqJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private worker: Worker | null = null;
  private closed = false;
  private constructor(
    private readonly queue: Queue,
    private readonly connection: ConnectionOptions,
    private readonly options: Required<BullMqJobQueueOptions>,
    /** Connection errors repeat at ioredis's reconnect rate while Redis is down: logged throttled. */
    private readonly errors: ThrottledErrorLog,
  ) {}

  static async connect(url: string, options: BullMqJobQueueOptions = {}): Promise<BullMqJobQueue> {
    const resolved: Required<BullMqJobQueueOptions> = {
      queueName: options.queueName ?? 'suyuan',
      prefix: options.prefix ?? 'suyuan',
      concurrency: Math.max(1, options.concurrency ?? 1),
    };
    const connection = redisConnectionOptions(url);
    const queue = new Queue(resolved.queueName, { connection, prefix: resolved.prefix });
    // Without a listener BullMQ writes every 'error' to the console itself, once per reconnect attempt.
    const errors = new ThrottledErrorLog((line) => console.error(line));
    queue.on('error', (err) => errors.error(`BullMQ queue (${resolved.queueName}): ${err.message}`));
    await queue.waitUntilReady();
    return new BullMqJobQueue(queue, connection, resolved, errors);
  }

  register<T = any>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler);
  }

  async add(name: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    this.assertOpen();
    const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const delayMs = options.delayMs ?? 0;
    if (!(attempts >= 1) || !(backoffMs >= 0) || !(delayMs >= 0))
      throw new Error('attempts must be >= 1, backoffMs and delayMs >= 0');
    if (options.jobId !== undefined) await this.forgetFinalFailure(toBullId(options.jobId));
    const opts: JobsOptions = {
      attempts: Math.floor(attempts),
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: true,
      removeOnFail: false,
      ...(delayMs > 0 ? { delay: delayMs } : {}),
      ...(options.jobId !== undefined ? { jobId: toBullId(options.jobId) } : {}),
    };
    // With a jobId that exists, BullMQ adds nothing and returns the existing job.
    const job = await this.queue.add(name, data, opts);
    return fromBullId(job.id!);
  }

  async repeat(
    name: string,
    data: Record<string, unknown>,
    everyMs: number,
    repeatKey: string,
  ): Promise<void> {
    this.assertOpen();
    if (!(everyMs > 0)) throw new Error('everyMs must be > 0');
    await this.queue.upsertJobScheduler(
      repeatKey,
      { every: everyMs },
      {
        name,
        data,
        opts: {
          attempts: DEFAULT_ATTEMPTS,
          backoff: { type: 'exponential', delay: DEFAULT_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: false,
        },
      },
    );
  }

  /** Removes a pending job; given a repeat key, ends that repetition (and its next pending run). */
  async remove(jobId: string): Promise<boolean> {
    this.assertOpen();
    const scheduler = await this.queue.getJobScheduler(jobId);
    if (scheduler) {
      const removed = await this.queue.removeJobScheduler(jobId);
      // BullMQ drops the scheduler's *delayed* next run, but not one already waiting (the first run of an
      // `every` scheduler is immediate); that one is `repeat:<key>:<next>`.
      if (scheduler.next !== undefined) await this.removePending(`repeat:${jobId}:${scheduler.next}`);
      return removed;
    }
    return this.removePending(toBullId(jobId));
  }

  private async removePending(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    try {
      await job.remove();
      return true;
    } catch {
      // Picked up by a worker between getState and remove: it is no longer pending.
      return false;
    }
  }

  async failed(limit = 50): Promise<FailedJob[]> {
    this.assertOpen();
    const jobs = await this.queue.getFailed(0, Math.max(1, limit) - 1);
    return jobs
      .filter((job): job is BullJob => job !== undefined && job !== null)
      .map((job) => ({
        id: fromBullId(job.id!),
        name: job.name,
        data: job.data as Record<string, unknown>,
        attempts: job.attemptsMade,
        error: job.failedReason ?? '',
        failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
      }));
  }

  async pendingCount(): Promise<number> {
    this.assertOpen();
    const counts = await this.queue.getJobCounts(...PENDING_STATES);
    return PENDING_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
  }

  async start(): Promise<void> {
    this.assertOpen();
    if (this.worker) return;
    this.worker = new Worker(this.options.queueName, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
    });
    // Without a listener, an 'error' event (e.g. Redis unreachable) would crash the process.
    this.worker.on('error', (err) =>
      this.errors.error(`BullMQ worker (${this.options.queueName}): ${err.message}`),
    );
    await this.worker.waitUntilReady();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Worker.close() waits for the jobs it is running to finish.
    if (this.worker) await this.worker.close();
    await this.queue.close();
  }

  private async process(job: BullJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`No handler registered for job "${job.name}"`);
    const portJob: Job = {
      id: fromBullId(job.id!),
      name: job.name,
      data: job.data as Record<string, unknown>,
      attempt: job.attemptsMade + 1,
    };
    await handler(portJob);
  }

  /** A job that failed for good keeps its id in BullMQ; adding that id again starts afresh. */
  private async forgetFinalFailure(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (job && (await job.getState()) === 'failed') await job.remove();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('BullMqJobQueue is closed');
  }
}

/**
 * BullMQ refuses a custom job id with a ':' unless it has exactly three parts (its own repeat-job format):
 * "Custom Id cannot contain :". The platform's ids are `name:key:ISO time` (fault-deadline:…, fault-integrity:…,
 * risk-registration-overdue:…), so every one of those jobs was refused — the reaction adding it was
 * dead-lettered and the deadline or integrity check never ran on QUEUE=bullmq (found by
 * read-side-outage.spec.ts). Escaped reversibly here ('~' → '~~', ':' → '~c'); the port sees its own ids.
 */
export function toBullId(id: string): string {
  return id.replace(/~/g, '~~').replace(/:/g, '~c');
}

export function fromBullId(id: string): string {
  return id.replace(/~(~|c)/g, (_, c: string) => (c === '~' ? '~' : ':'));
}
