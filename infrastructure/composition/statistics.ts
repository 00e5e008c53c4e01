import { loadEvaluationCriteria } from '../../application/evaluation/criteria';
import type { Ledger } from '../../application/ledger/ledger';
import type { BlobStore } from '../../application/ports/blob-store';
import type { Clock, IdGenerator } from '../../application/ports/clock';
import type { JobQueue } from '../../application/ports/job-queue';
import type { Notifier } from '../../application/ports/notifier';
import type { ProjectionProgress, ReadModels } from '../../application/ports/read-models';
import type { ReadStore } from '../../application/ports/read-store';
import { bothProgress, StatisticsProgress } from '../../application/statistics/statistics-progress';
import { ProjectionRunner, type ProjectionHost } from '../../projections/runner/projection-runner';
import { statisticsProjection } from '../../projections/statistics';
import { LOOKUP_INTERVAL_MS, LOOKUP_JOB, LookupCounter, recordLookups } from '../../application/statistics/lookup-counter';
import { registerReportJobs, type ReportDeps } from '../../application/statistics/reports/report-jobs';
import { recordUploads, UPLOAD_INTERVAL_MS, UPLOAD_JOB, UploadCounter } from '../../application/statistics/upload-counter';
import { findCjkFont } from '../http/labels/cjk-font';
import type { Logger } from '../logging/logger';

/**
 * The statistics' moving parts outside the projections: the public-lookup and upload counters and the jobs
 * recording them, and the generated reports (统计报表: scheduled, rendered, stored, announced).
 */
export interface StatisticsRuntime {
  lookups: LookupCounter;
  /** 数据传输监控: what the batch route and the origin imports received. */
  uploads: UploadCounter;
  reports: ReportDeps;
  /**
   * The statistics projection's progress as its readers see it (eventually consistent, decision 0025): the
   * statistics routes wait for it to include what was appended before the request, bounded by read-your-writes.
   */
  progress: StatisticsProgress;
  /** Schedules the repeatable jobs (after the queue started). */
  schedule(): Promise<void>;
}

export function composeStatistics(p: {
  queue: JobQueue;
  ledger: Ledger;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  models: ReadModels;
  blobs: BlobStore;
  notifier: Notifier;
  publicUrl: string;
  progress: ProjectionProgress;
  /** Where the statistics projection's stored checkpoint is read, and which generation is live. */
  checkpoints: Pick<ReadStore, 'getCheckpoint'>;
  host: Pick<ProjectionHost, 'collection' | 'rebuildingNames'>;
  /** How long a statistics reader waits for the projection (the commands' READ_YOUR_WRITES_MS). */
  readYourWritesMs: number;
  /** UPLOAD_INTERVAL_MS unless configured; 0 = the counts are never recorded. */
  uploadIntervalMs?: number;
}): StatisticsRuntime {
  const name = statisticsProjection.name;
  const statisticsProgress = new StatisticsProgress(
    {
      head: () => p.ledger.store.headPosition(),
      checkpoint: () => p.checkpoints.getCheckpoint(ProjectionRunner.checkpointOf(name, ProjectionRunner.generationOf(p.host.collection(statisticsProjection.collections[0]!)))),
      rebuilding: () => p.host.rebuildingNames().includes(name),
    },
    p.readYourWritesMs,
  );
  const lookups = new LookupCounter(p.clock);
  p.queue.register(LOOKUP_JOB, async () => {
    const n = await recordLookups(p.ledger, lookups, p.ids);
    if (n > 0) p.logger.debug({ lookups: n }, 'public lookups recorded');
  });
  const uploads = new UploadCounter(p.clock);
  p.queue.register(UPLOAD_JOB, async () => {
    const n = await recordUploads(p.ledger, uploads, p.ids);
    if (n > 0) p.logger.debug({ items: n }, 'upload counts recorded');
  });
  const reports: ReportDeps = {
    ledger: p.ledger,
    models: p.models,
    blobs: p.blobs,
    jobs: p.queue,
    notifier: p.notifier,
    clock: p.clock,
    publicUrl: p.publicUrl,
    font: findCjkFont(),
    criteria: () => loadEvaluationCriteria(p.ledger),
    // A report reads the statistics and the other read models (origin, data quality): it waits for both.
    progress: bothProgress(p.progress, statisticsProgress),
    log: { info: (msg, extra) => p.logger.info(extra ?? {}, msg), warn: (msg, extra) => p.logger.warn(extra ?? {}, msg) },
  };
  const reportJobs = registerReportJobs(reports);
  return {
    lookups,
    uploads,
    reports,
    progress: statisticsProgress,
    async schedule() {
      await p.queue.repeat(LOOKUP_JOB, {}, LOOKUP_INTERVAL_MS, LOOKUP_JOB);
      const uploadEvery = p.uploadIntervalMs ?? UPLOAD_INTERVAL_MS;
      if (uploadEvery > 0) await p.queue.repeat(UPLOAD_JOB, {}, uploadEvery, UPLOAD_JOB);
      await reportJobs.schedule();
    },
  };
}
