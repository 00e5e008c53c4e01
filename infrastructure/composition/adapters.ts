import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventStore } from '../../application/ports/event-store';
import type { JobQueue } from '../../application/ports/job-queue';
import type { ReadStore } from '../../application/ports/read-store';
import type { SearchIndex } from '../../application/ports/search-index';
import type { AppConfig } from '../config/config';
import { setAsideIfDamaged, type SetAside } from '../sqlite/rebuildable-file';

export interface Adapters {
  eventStore: EventStore;
  readStore: ReadStore;
  searchIndex: SearchIndex;
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

  let eventStore: EventStore;
  if (config.EVENT_STORE === 'kurrentdb') {
    const { KurrentDbEventStore } = await import('../kurrentdb/kurrentdb-event-store');
    eventStore = await KurrentDbEventStore.connect(config.KURRENTDB_URL!);
  } else {
    const { SqliteEventStore } = await import('../sqlite/sqlite-event-store');
    eventStore = new SqliteEventStore(file('events.sqlite'));
  }

  let readStore: ReadStore;
  if (config.READ_STORE === 'mongodb') {
    const { MongoReadStore } = await import('../mongodb/mongo-read-store');
    readStore = await MongoReadStore.connect(config.MONGODB_URL!, config.MONGODB_DB);
  } else {
    const { SqliteReadStore } = await import('../sqlite/sqlite-read-store');
    // Read models and search are rebuilt from the log and move their checkpoint in the same transaction
    // as their changes, so a commit lost to a power cut is simply projected again: no fsync per batch
    // (decision 0002). With FULL, every projection batch blocked the event loop on an fsync.
    readStore = new SqliteReadStore(rebuildable('read-models.sqlite'), { synchronous: 'NORMAL' });
  }

  let searchIndex: SearchIndex;
  if (config.SEARCH === 'elasticsearch') {
    const { ElasticsearchSearchIndex } = await import('../elasticsearch/es-search-index');
    searchIndex = await ElasticsearchSearchIndex.connect(config.ELASTICSEARCH_URL!, { indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX });
  } else {
    const { SqliteSearchIndex } = await import('../sqlite/sqlite-search-index');
    // NORMAL + flush(): the projection runner stores the search projection's checkpoint only up to what a
    // flush made durable (at most once a second), so the index is never behind its checkpoint on disk.
    searchIndex = new SqliteSearchIndex(rebuildable('search.sqlite'), { synchronous: 'NORMAL' });
  }

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
