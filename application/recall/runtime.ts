import type { Clock } from '../ports/clock';
import type { EventStore } from '../ports/event-store';
import type { JobQueue } from '../ports/job-queue';
import type { Notifier } from '../ports/notifier';
import type { ProjectionProgress, ReadModels } from '../ports/read-models';
import type { ReadStore } from '../ports/read-store';
import type { Ledger } from '../ledger/ledger';
import type { WebhookOptions } from '../notifications/webhooks';
import { ReactorRunner, type ReactorLogger } from '../reactions/reactor';
import { RECALL_DEADLINE_JOB, recallDeadlineJob } from './recall-deadline';
import { incidentChainGrowth, NOTIFY_JOB, recallDeliveries } from './recall-reactions';

export interface IncidentsRuntimeDeps {
  ledger: Ledger;
  clock: Clock;
  store: EventStore;
  reads: ReadStore;
  models: ReadModels;
  progress: ProjectionProgress;
  jobs: JobQueue;
  notifier: Notifier;
  webhooks: WebhookOptions;
  traceCodeSecret: string;
  publicUrl: string;
  log: ReactorLogger;
}

export interface IncidentsRuntime {
  reactor: ReactorRunner;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Incidents and recall on the ports: registers the deadline and delivery jobs (call before the queue
 * starts) and builds the process manager that sends notices out and follows the chain as it grows.
 */
export function createIncidentsRuntime(d: IncidentsRuntimeDeps): IncidentsRuntime {
  d.jobs.register(RECALL_DEADLINE_JOB, recallDeadlineJob(d.ledger, d.clock));
  d.jobs.register(NOTIFY_JOB, async (job) => d.notifier.send(job.data));
  const reactor = new ReactorRunner(
    'incidents',
    d.store,
    d.reads,
    d.progress,
    [recallDeliveries(d), incidentChainGrowth(d)],
    d.log,
    async () => d.jobs.flush?.(),
  );
  return { reactor, start: () => reactor.start(), stop: () => reactor.stop() };
}
