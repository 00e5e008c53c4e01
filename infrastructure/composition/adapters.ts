import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobQueue } from '../../application/ports/job-queue';
import type { AppConfig } from '../config/config';
import { setAsideIfDamaged, type SetAside } from '../sqlite/rebuildable-file';
import { openProjectionSide, type ProjectionSideAdapters } from './projection-side-adapters';

export interface Adapters extends ProjectionSideAdapters {
  jobQueue: JobQueue;
}

/**
 * The one place where configuration picks the adapter behind each port.
 * Distributed adapters are loaded lazily so the embedded default never loads their clients.
 */
export async function createAdapters(config: AppConfig, onSetAside: (report: SetAside) => void = () => undefined): Promise<Adapters> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = (name: string) => path.join(config.dataDir, name);
  // Read models and search hold nothing the log cannot rebuild: a damaged file is set aside and rebuilt.
  const rebuildable = (name: string) => {
    const report = setAsideIfDamaged(file(name));
    if (report) onSetAside(report);
    return file(name);
  };

  const { eventStore, readStore, searchIndex } = await openProjectionSide(config, {
    events: () => file('events.sqlite'),
    readModels: () => rebuildable('read-models.sqlite'),
    search: () => rebuildable('search.sqlite'),
  });

  let jobQueue: JobQueue;
  if (config.QUEUE === 'bullmq') {
    const { BullMqJobQueue } = await import('../bullmq/bullmq-job-queue');
    jobQueue = await BullMqJobQueue.connect(config.REDIS_URL!, { prefix: config.QUEUE_PREFIX });
  } else {
    const { SqliteJobQueue } = await import('../sqlite/sqlite-job-queue');
    // NORMAL + flush(): the quality reactor adds a job per shipment and per registration; it flushes once per
    // batch of events, before its checkpoint moves (one fsync per batch instead of one per job).
    jobQueue = new SqliteJobQueue(file('jobs.sqlite'), { synchronous: 'NORMAL' });
  }

  return { eventStore, readStore, searchIndex, jobQueue };
}
