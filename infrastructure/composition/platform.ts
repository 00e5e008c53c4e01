import * as fs from 'node:fs';
import { AccountCredentials } from '../../application/accounts/credentials';
import { Ledger } from '../../application/ledger/ledger';
import type { Clock, IdGenerator } from '../../application/ports/clock';
import type { ReadModels } from '../../application/ports/read-models';
import type { GraphWalk } from '../../application/ports/read-store';
import type { LedgerSettings } from '../../application/shared/settings';
import { CN_HOLIDAYS } from '../../domain/shared/holidays-cn';
import type { HolidayCalendar } from '../../domain/shared/working-days';
import { EMBEDDED_RETIRED, projectionsFor, readModelIndexes } from '../../projections';
import { retireProjection } from '../../projections/runner/retire-projection';
import type { AuditLogQuery } from '../../application/ports/audit-log-query';
import { ReadModelAuditLogQuery } from '../../application/audit-log/read-model-audit-log-query';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { ProjectionRunner, SEARCH_ALIAS, type ProjectionHost } from '../../projections/runner/projection-runner';
import { WorkerProjectionHost } from '../projection-worker/worker-projection-host';
import { ProcessProjectionHost } from '../projection-worker/process-projection-host';
import { Readiness } from '../system/readiness';
import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { loadOrCreateSecrets } from '../system/secrets';
import { systemClock, systemIds } from '../system/system-clock';
import { createAdapters, type Adapters } from './adapters';
import { registerCheckpointSealing, SEAL_JOB } from './checkpoint-sealing';
import { composeStatistics, type StatisticsRuntime } from './statistics';
import { createLogTree } from '../../application/audit/log-tree';
import type { LedgerSigner } from '../../application/ports/signer';
import { ed25519Signer } from '../system/ed25519-signer';
import type { JobQueue } from '../../application/ports/job-queue';
import type { WebhookSender } from '../../application/notifications/webhooks';
import type { QualityRuntime } from '../../application/quality/runtime';
import { composeQuality } from './quality';
import { PlatformMetrics } from '../metrics/platform-metrics';
import { meteredEventStore } from '../metrics/metered-event-store';
import { composeIncidents } from './incidents';
import { incidentGrantSource } from '../../application/incidents/grant-source';
import type { Notifier } from '../../application/ports/notifier';
import type { IncidentsRuntime } from '../../application/recall/runtime';
import { registerScheduledBackups } from '../backup/scheduled-backups';
import { createCredentialStore } from './credential-store';
import { registerDataQualityFeedback } from '../../application/data-quality/feedback';
import type { GrantSource } from '../../application/access/grants';
import { AccessPolicy } from '../../application/access/access-policy';
import { OriginImports } from '../../application/origin/import/origin-imports';
import { createOriginRuntime, type OriginRuntime } from '../../application/origin/overdue-returns';
import { defaultOriginSettings, type OriginSettings } from '../../application/origin/settings';
import { chinaDivisionPlaces } from '../http/origin/china-division-places';
import type { BlobStore } from '../../application/ports/blob-store';
import { createBlobStore } from '../blobs/create-blob-store';

/** Everything the running platform is made of, wired once; HTTP, CLI and tests all start from here. */
export interface Platform {
  config: AppConfig;
  logger: Logger;
  adapters: Adapters;
  ledger: Ledger;
  /** The projections: in a worker thread (PROJECTIONS=worker, default) or on this thread (inline). */
  runner: ProjectionHost;
  /** Ready once start-up is done and the projections reached the head seen then (/health/ready). */
  readiness: Readiness;
  /** Prometheus metrics (GET /metrics). */
  metrics: PlatformMetrics;
  readModels: ReadModels;
  /** The audit query: the ledger's own table on the embedded stack, the audit_log read model on KurrentDB (decision 0027). */
  auditLog: AuditLogQuery;
  settings: LedgerSettings;
  clock: Clock;
  ids: IdGenerator;
  signer: LedgerSigner;
  /** Key of the access tokens. */
  tokenSecret: string;
  /** Password hashes and token versions, beside the ledger (never in it: decision 0011). */
  credentials: AccountCredentials;
  /** The regulator's side: its process manager (holds downstream, risk rules, fault deadlines) and over-shipment watch. */
  quality: QualityRuntime;
  /** Incidents and recall: the process manager sending recall notices and following the chain as it grows. */
  incidents: IncidentsRuntime;
  /** Statistics beyond the projection: public-lookup counting (查询行为分析), generated reports. */
  statistics: StatisticsRuntime;
  /** E-mail / SMS out (logging adapter by default, SMTP when NOTIFIER=smtp). */
  notifier: Notifier;
  /** Access grants beyond the region (incident responses) for the access policy; none until incidents provide them. */
  grants: GrantSource;
  /** Origin collection (decision 0016): the village directory and scope rules, and the spreadsheet import job. */
  origin: { settings: OriginSettings; imports: OriginImports; runtime: OriginRuntime };
  /** Attachments by SHA-256 (files under DATA_DIR/blobs, or an S3 bucket with BLOB_STORE=s3). */
  blobs: BlobStore;
  close(): Promise<void>;
}

export interface PlatformOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  /** Don't start projections (offline rebuild CLI starts them itself). */
  startProjections?: boolean;
  /** A job queue instead of the configured one (tests: the SQLite queue on a controllable clock). */
  jobQueue?: JobQueue;
  /** Outgoing webhooks through this sender instead of HTTP POSTs. */
  webhookSender?: WebhookSender;
  /** Where the access policy finds grants (tests: a fixed list; production: the incidents projection). */
  grants?: GrantSource;
  /** E-mail / SMS through this notifier instead of the configured one. */
  notifier?: Notifier;
}

export async function createPlatform(config: AppConfig, logger: Logger, overrides: PlatformOverrides = {}): Promise<Platform> {
  const adapters = await createAdapters(config, (r) => logger.error({ file: r.file, movedTo: r.movedTo, reason: r.reason }, 'damaged read-model file set aside; rebuilding it from the log'));
  if (overrides.jobQueue) {
    await adapters.jobQueue.close();
    adapters.jobQueue = overrides.jobQueue;
  }
  const metrics = new PlatformMetrics();
  // Taken before the metering wrapper hides the adapter: the embedded ledger answers the audit query itself.
  const ledgerAuditLog = adapters.eventStore instanceof SqliteEventStore ? adapters.eventStore.auditLog() : null;
  adapters.eventStore = meteredEventStore(adapters.eventStore, metrics);
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? systemIds;
  const secrets = loadOrCreateSecrets(config.dataDir, { traceCodeSecret: config.TRACE_CODE_SECRET });
  const settings: LedgerSettings = {
    traceCodeSecret: secrets.traceCodeSecret,
    calendar: loadCalendar(config.HOLIDAY_CALENDAR_FILE),
    publicUrl: config.publicUrl,
    readYourWritesMs: config.READ_YOUR_WRITES_MS,
  };
  const ledger = new Ledger(adapters.eventStore, clock, ids);
  const credentials = new AccountCredentials(await createCredentialStore(config), adapters.eventStore, clock);
  const blobs = await createBlobStore(config);
  const runnerLog = { info: (msg: string, extra?: object) => logger.info(extra ?? {}, msg), error: (msg: string, extra?: object) => logger.error(extra ?? {}, msg) };
  // Off the request thread by default (decision 0022); the offline rebuild CLI folds on its own thread.
  const projections = projectionsFor(config.EVENT_STORE);
  if (config.EVENT_STORE === 'sqlite')
    for (const retired of EMBEDDED_RETIRED)
      if (await retireProjection(adapters.readStore, retired)) logger.info({ projection: retired.name }, 'dropped the read model of a projection this stack no longer runs (decision 0027)');
  const runner: ProjectionHost =
    config.PROJECTIONS === 'worker'
      ? new WorkerProjectionHost(config, projections, runnerLog)
      : config.PROJECTIONS === 'process'
        ? new ProcessProjectionHost(adapters.readStore, adapters.eventStore, projections, runnerLog)
        : new ProjectionRunner(adapters.eventStore, adapters.readStore, adapters.searchIndex, projections, runnerLog, readModelIndexes);
  metrics.watch(runner, adapters.jobQueue);
  const readModels: ReadModels = {
    get: (c, id) => adapters.readStore.get(runner.collection(c), id),
    getMany: (c, ids2) => adapters.readStore.getMany(runner.collection(c), ids2),
    find: (c, filter, options) => adapters.readStore.find(runner.collection(c), filter, options),
    count: (c, filter) => adapters.readStore.count(runner.collection(c), filter),
    ...(adapters.readStore.walk ? { walk: (c: string, w: GraphWalk) => adapters.readStore.walk!(runner.collection(c), w) } : {}),
    search: (query) => adapters.searchIndex.search(SEARCH_ALIAS, query),
  };
  const auditLog = ledgerAuditLog ?? new ReadModelAuditLogQuery(readModels);
  const signer = ed25519Signer(secrets.signingKeyPem);
  // The one Merkle tree over the log (decision 0018), kept in the read store's database; sealing finds it.
  createLogTree(ledger.store, adapters.readStore, signer);
  if (overrides.startProjections !== false) await runner.start();
  registerCheckpointSealing(adapters.jobQueue, ledger, signer, clock, logger);
  const backups = registerScheduledBackups(config, adapters.jobQueue, ledger, signer, clock, logger);
  const quality = composeQuality({ config, logger, adapters, ledger, clock, ids, readModels, progress: runner, settings }, overrides.webhookSender);
  const incidents = composeIncidents({ config, logger, adapters, ledger, clock, readModels, progress: runner, settings }, overrides.notifier);
  // 问题反馈: the daily data-quality digest to each responsible person (Notifier) and county (webhooks).
  const dataQuality = registerDataQualityFeedback({ models: readModels, jobs: adapters.jobQueue, clock, notifier: incidents.notifier, webhooks: { urls: config.WEBHOOK_URLS, attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS }, log: { info: (msg, extra) => logger.info(extra ?? {}, msg) } });
  const statistics = composeStatistics({ queue: adapters.jobQueue, ledger, clock, ids, logger, models: readModels, blobs, notifier: incidents.notifier, publicUrl: config.publicUrl, progress: runner, checkpoints: adapters.readStore, host: runner, readYourWritesMs: config.READ_YOUR_WRITES_MS, uploadIntervalMs: config.UPLOAD_COUNT_INTERVAL_MS });
  const grants = overrides.grants ?? incidentGrantSource(readModels);
  const originSettings = defaultOriginSettings(chinaDivisionPlaces());
  const originImports = new OriginImports({ ledger, clock, ids, queue: adapters.jobQueue, settings: originSettings, policy: new AccessPolicy(grants, clock), dataDir: config.dataDir,
    onFinished: (s) => statistics.uploads.count(s.uploadedBy, 'origin-import', { valid: s.created + s.updated, resent: s.unchanged, problemCodes: s.refused ? { ROW_REFUSED: s.refused } : {} }) });
  originImports.register();
  // 退回限期: the overdue-return deadline jobs, scheduled from the log by the origin process manager.
  const originRuntime = createOriginRuntime({ ledger, clock, store: adapters.eventStore, reads: adapters.readStore, progress: runner, jobs: adapters.jobQueue, log: { info: (msg, extra) => logger.info(extra ?? {}, msg), error: (msg, extra) => logger.error(extra ?? {}, msg) } });
  await adapters.jobQueue.start();
  if (overrides.startProjections !== false) await originRuntime.start();
  if (overrides.startProjections !== false) await quality.start();
  if (overrides.startProjections !== false) await incidents.runtime.start();
  if (config.CHECKPOINT_INTERVAL_MS > 0)
    await adapters.jobQueue.repeat(SEAL_JOB, {}, config.CHECKPOINT_INTERVAL_MS, 'seal-checkpoints');
  await backups?.schedule();
  await dataQuality.schedule();
  await statistics.schedule();

  return {
    config,
    logger,
    adapters,
    ledger,
    runner,
    readiness: new Readiness(),
    metrics,
    readModels,
    auditLog,
    settings,
    clock,
    ids,
    signer,
    tokenSecret: secrets.tokenSecret,
    credentials,
    quality,
    incidents: incidents.runtime,
    statistics,
    notifier: incidents.notifier,
    grants,
    origin: { settings: originSettings, imports: originImports, runtime: originRuntime },
    blobs,
    async close() {
      await incidents.runtime.stop();
      await originRuntime.stop();
      await quality.stop();
      await runner.stop();
      await adapters.jobQueue.close();
      await adapters.searchIndex.close();
      await adapters.readStore.close();
      await credentials.close();
      await blobs.close();
      await adapters.eventStore.close();
    },
  };
}

function loadCalendar(file: string | undefined): HolidayCalendar {
  if (!file) return CN_HOLIDAYS;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HolidayCalendar;
}
