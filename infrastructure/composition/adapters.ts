import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventStore } from '../../application/ports/event-store';
import type { JobQueue } from '../../application/ports/job-queue';
import type { ReadStore } from '../../application/ports/read-store';
import type { SearchIndex } from '../../application/ports/search-index';
import type { AppConfig } from '../config/config';

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
export async function createAdapters(config: AppConfig): Promise<Adapters> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = (name: string) => path.join(config.dataDir, name);

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
    readStore = new SqliteReadStore(file('read-models.sqlite'));
  }

  let searchIndex: SearchIndex;
  if (config.SEARCH === 'elasticsearch') {
    const { ElasticsearchSearchIndex } = await import('../elasticsearch/es-search-index');
    searchIndex = await ElasticsearchSearchIndex.connect(config.ELASTICSEARCH_URL!, { indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX });
  } else {
    const { SqliteSearchIndex } = await import('../sqlite/sqlite-search-index');
    searchIndex = new SqliteSearchIndex(file('search.sqlite'));
  }

  let jobQueue: JobQueue;
  if (config.QUEUE === 'bullmq') {
    const { BullMqJobQueue } = await import('../bullmq/bullmq-job-queue');
    jobQueue = await BullMqJobQueue.connect(config.REDIS_URL!, { prefix: config.QUEUE_PREFIX });
  } else {
    const { SqliteJobQueue } = await import('../sqlite/sqlite-job-queue');
    jobQueue = new SqliteJobQueue(file('jobs.sqlite'));
  }

  return { eventStore, readStore, searchIndex, jobQueue };
}
