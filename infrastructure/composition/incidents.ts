import type { Ledger } from '../../application/ledger/ledger';
import type { Clock } from '../../application/ports/clock';
import type { Notifier } from '../../application/ports/notifier';
import type { ProjectionProgress, ReadModels } from '../../application/ports/read-models';
import { createIncidentsRuntime, type IncidentsRuntime } from '../../application/recall/runtime';
import type { LedgerSettings } from '../../application/shared/settings';
import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { composeNotifier } from '../notifier/compose-notifier';
import type { Adapters } from './adapters';

/**
 * Incidents and recall on the composed ports: the notifier (logging by default, SMTP when configured), the
 * recall jobs (registered before the queue starts) and the process manager, started after the projections.
 */
export function composeIncidents(
  p: { config: AppConfig; logger: Logger; adapters: Adapters; ledger: Ledger; clock: Clock; readModels: ReadModels; progress: ProjectionProgress; settings: LedgerSettings },
  notifier?: Notifier,
): { runtime: IncidentsRuntime; notifier: Notifier } {
  const chosen = notifier ?? composeNotifier(process.env, p.logger);
  const runtime = createIncidentsRuntime({
    ledger: p.ledger,
    clock: p.clock,
    store: p.adapters.eventStore,
    reads: p.adapters.readStore,
    models: p.readModels,
    progress: p.progress,
    jobs: p.adapters.jobQueue,
    notifier: chosen,
    webhooks: { urls: p.config.WEBHOOK_URLS, attempts: p.config.WEBHOOK_ATTEMPTS, backoffMs: p.config.WEBHOOK_BACKOFF_MS },
    traceCodeSecret: p.settings.traceCodeSecret,
    publicUrl: p.settings.publicUrl,
    log: {
      info: (msg, extra) => p.logger.info(extra ?? {}, msg),
      error: (msg, extra) => p.logger.error(extra ?? {}, msg),
    },
  });
  return { runtime, notifier: chosen };
}
