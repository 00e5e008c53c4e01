import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobQueue } from '../../application/ports/job-queue';
import type { ProjectionRunner } from '../../projections/runner/projection-runner';

/**
 * The Prometheus metrics of one platform (its own registry: tests run several platforms in one process).
 * The hot path only observes a histogram or increments a counter; everything that needs a query (projection
 * lag, dead letters, queue depth) is read when Prometheus scrapes, never per request.
 */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly commandSeconds = new Histogram({
    name: 'suyuan_command_duration_seconds',
    help: 'Command handling time through the command bus (decide + durable append + read-your-writes wait), by command type and outcome',
    labelNames: ['type', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly appendEvents = new Histogram({
    name: 'suyuan_append_batch_events',
    help: 'Events per append call (one command, or a batch of commands through appendMany)',
    labelNames: ['call'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });

  readonly appendCommitSeconds = new Histogram({
    name: 'suyuan_append_commit_seconds',
    help: 'Time until an append is durable (group commit + fsync of the event store), by call',
    labelNames: ['call', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly httpResponses = new Counter({
    name: 'suyuan_http_responses_total',
    help: 'HTTP responses by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Process metrics, among them nodejs_eventloop_lag_* (event-loop delay, from monitorEventLoopDelay).
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  /** Gauges read at scrape time from the runner and the job queue. */
  watch(runner: Pick<ProjectionRunner, 'status'>, queue: JobQueue): void {
    const lag = new Gauge({ name: 'suyuan_projection_lag_events', help: 'Events between the log head and each projection checkpoint', labelNames: ['projection'] as const, registers: [this.registry] });
    const dead = new Gauge({ name: 'suyuan_projection_dead_letters', help: 'Events a projection could not apply (parked in its dead-letter list)', labelNames: ['projection'] as const, registers: [this.registry] });
    const rebuilding = new Gauge({ name: 'suyuan_projection_rebuilding', help: '1 while a projection is being rebuilt', labelNames: ['projection'] as const, registers: [this.registry] });
    const head = new Gauge({ name: 'suyuan_log_head_position', help: 'Position of the last event in the log', registers: [this.registry] });
    // One status read per scrape serves the four gauges; `collect` of the first refreshes them all.
    let pending: Promise<void> | null = null;
    const refresh = () =>
      (pending ??= runner
        .status()
        .then((statuses) => {
          for (const s of statuses) {
            lag.set({ projection: s.name }, s.lag);
            dead.set({ projection: s.name }, s.deadLetters);
            rebuilding.set({ projection: s.name }, s.rebuilding ? 1 : 0);
            head.set(s.head);
          }
        })
        .finally(() => (pending = null)));
    for (const g of [lag, dead, rebuilding, head]) (g as unknown as { collect: () => Promise<void> }).collect = refresh;
    new Gauge({
      name: 'suyuan_job_queue_depth',
      help: 'Jobs waiting or delayed in the job queue',
      registers: [this.registry],
      async collect() {
        this.set(await queue.pendingCount());
      },
    });
    new Gauge({
      name: 'suyuan_jobs_failed',
      help: 'Jobs that exhausted their attempts (kept for inspection), up to 10,000',
      registers: [this.registry],
      async collect() {
        this.set((await queue.failed(10_000)).length);
      },
    });
  }
}
