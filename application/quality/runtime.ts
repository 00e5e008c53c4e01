import type { Clock, IdGenerator } from '../ports/clock';
import type { EventStore } from '../ports/event-store';
import type { JobQueue } from '../ports/job-queue';
import type { ProjectionProgress, ReadModels } from '../ports/read-models';
import type { ReadStore } from '../ports/read-store';
import type { Ledger } from '../ledger/ledger';
import type { LedgerSettings } from '../shared/settings';
import { FAULT_DEADLINE_JOB, FAULT_INTEGRITY_JOB, faultDeadlineJob, faultIntegrityJob } from '../faults/fault-jobs';
import { WEBHOOK_JOB, webhookJob, type WebhookOptions, type WebhookSender } from '../notifications/webhooks';
import { ReactorRunner, type ReactorLogger } from '../reactions/reactor';
import { REGISTRATION_OVERDUE_JOB, registrationOverdueJob, TRANSFER_UNCONFIRMED_JOB, transferUnconfirmedJob } from '../risk/deadline-rules';
import { OverShipmentWatch } from '../risk/over-shipment';
import { qualityReactions } from './quality-reactions';
import { RECTIFICATION_DEADLINE_JOB, rectificationDeadlineJob } from '../enforcement/rectification-deadlines';

export interface QualityRuntimeDeps {
  ledger: Ledger;
  clock: Clock;
  ids: IdGenerator;
  store: EventStore;
  reads: ReadStore;
  models: ReadModels;
  progress: ProjectionProgress;
  jobs: JobQueue;
  settings: LedgerSettings;
  webhookSender: WebhookSender;
  webhooks: WebhookOptions;
  log: ReactorLogger;
}

export interface QualityRuntime {
  /** The process manager of the regulator's side (holds downstream, rules, deadlines, webhooks). */
  reactor: ReactorRunner;
  overShipment: OverShipmentWatch;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the quality-and-safety side onto the ports: registers its jobs (call before the queue starts) and
 * builds its process manager (started after the projections, stopped before them).
 */
export function createQualityRuntime(d: QualityRuntimeDeps): QualityRuntime {
  d.jobs.register(FAULT_DEADLINE_JOB, faultDeadlineJob(d.ledger, d.clock, d.jobs));
  d.jobs.register(FAULT_INTEGRITY_JOB, faultIntegrityJob(d.ledger, d.store, d.clock));
  d.jobs.register(REGISTRATION_OVERDUE_JOB, registrationOverdueJob(d.ledger, d.jobs, d.clock, d.settings.calendar));
  d.jobs.register(TRANSFER_UNCONFIRMED_JOB, transferUnconfirmedJob(d.ledger, d.jobs, d.clock));
  d.jobs.register(WEBHOOK_JOB, webhookJob(d.webhookSender));
  d.jobs.register(RECTIFICATION_DEADLINE_JOB, rectificationDeadlineJob(d.ledger, d.clock, d.jobs));
  const reactor = new ReactorRunner(
    'quality',
    d.store,
    d.reads,
    d.progress,
    qualityReactions({ ledger: d.ledger, clock: d.clock, models: d.models, jobs: d.jobs, calendar: d.settings.calendar, webhooks: d.webhooks }),
    d.log,
    // Deadline and webhook jobs are added per event; they become durable together, once per batch.
    async () => d.jobs.flush?.(),
  );
  const overShipment = new OverShipmentWatch(d.ledger, d.reads, d.models, d.clock, d.ids);
  return {
    reactor,
    overShipment,
    async start() {
      await overShipment.init();
      await reactor.start();
    },
    stop: () => reactor.stop(),
  };
}
