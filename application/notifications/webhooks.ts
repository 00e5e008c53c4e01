import type { RecordedEvent } from '../ports/event-store';
import type { Job, JobQueue } from '../ports/job-queue';

/**
 * Outgoing webhooks: a port, so the HTTP adapter (infrastructure/webhooks) can be swapped or faked.
 * `send` resolves when the receiver accepted the payload (2xx) and throws otherwise; the JobQueue retries
 * with exponential back-off, and a delivery that exhausts its attempts stays in the queue's failed list.
 */
export interface WebhookSender {
  send(url: string, payload: WebhookPayload): Promise<void>;
}
export const WEBHOOK_SENDER = Symbol('WebhookSender');

export interface WebhookPayload {
  /** The event id: receivers de-duplicate on it (delivery is at least once). */
  id: string;
  type: string;
  streamId: string;
  position: number;
  occurredAt: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

/** What is worth telling the outside world. */
export const WEBHOOK_EVENT_TYPES = [
  'WarningRaised',
  'WarningClosed',
  'CaseOpened',
  'CaseClosed',
  'ResultRecorded',
  'FaultReported',
  'FaultEscalated',
  'FaultOverdue',
  'FaultResolved',
  'FaultIntegrityChecked',
] as const;

export const WEBHOOK_JOB = 'webhook-deliver';

export interface WebhookOptions {
  urls: string[];
  attempts: number;
  backoffMs: number;
}

/** Enqueues one delivery per configured URL; the job id makes re-enqueueing the same event a no-op. */
export async function dispatchWebhooks(jobs: JobQueue, options: WebhookOptions, event: RecordedEvent): Promise<void> {
  if (options.urls.length === 0) return;
  if (event.type === 'ResultRecorded' && (event.data as { verdict?: string }).verdict === 'pass') return; // only failures are news
  const payload: WebhookPayload = {
    id: event.eventId,
    type: event.type,
    streamId: event.streamId,
    position: event.position,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    data: event.data,
  };
  for (const [i, url] of options.urls.entries()) {
    await jobs.add(WEBHOOK_JOB, { url, payload }, { jobId: `webhook:${event.eventId}:${i}`, attempts: options.attempts, backoffMs: options.backoffMs });
  }
}

export function webhookJob(sender: WebhookSender) {
  return async (job: Job<{ url: string; payload: WebhookPayload }>): Promise<void> => {
    await sender.send(job.data.url, job.data.payload);
  };
}
