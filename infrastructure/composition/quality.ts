import type { Ledger } from '../../application/ledger/ledger';
import type { Clock, IdGenerator } from '../../application/ports/clock';
import type { ProjectionProgress, ReadModels } from '../../application/ports/read-models';
import type { WebhookSender } from '../../application/notifications/webhooks';
import { createQualityRuntime, type QualityRuntime } from '../../application/quality/runtime';
import type { LedgerSettings } from '../../application/shared/settings';
import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { httpWebhookSender } from '../webhooks/http-webhook-sender';
import type { Adapters } from './adapters';

/**
 * The regulator's side on the composed ports: registers its jobs on the queue (so call it before the queue
 * starts) and returns its process manager, started once the projections run.
 */
export function composeQuality(
  p: { config: AppConfig; logger: Logger; adapters: Adapters; ledger: Ledger; clock: Clock; ids: IdGenerator; readModels: ReadModels; progress: ProjectionProgress; settings: LedgerSettings },
  webhookSender?: WebhookSender,
): QualityRuntime {
  return createQualityRuntime({
    ledger: p.ledger,
    clock: p.clock,
    ids: p.ids,
    store: p.adapters.eventStore,
    reads: p.adapters.readStore,
    models: p.readModels,
    progress: p.progress,
    jobs: p.adapters.jobQueue,
    settings: p.settings,
    webhookSender: webhookSender ?? httpWebhookSender(p.config.WEBHOOK_SECRET ? { secret: p.config.WEBHOOK_SECRET } : {}),
    webhooks: { urls: p.config.WEBHOOK_URLS, attempts: p.config.WEBHOOK_ATTEMPTS, backoffMs: p.config.WEBHOOK_BACKOFF_MS },
    log: {
      info: (msg, extra) => p.logger.info(extra ?? {}, msg),
      error: (msg, extra) => p.logger.error(extra ?? {}, msg),
    },
  });
}
