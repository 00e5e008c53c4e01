import * as path from 'node:path';
import type { EventStore } from '../../application/ports/event-store';
import type { ReadStore } from '../../application/ports/read-store';
import type { SearchIndex } from '../../application/ports/search-index';
import type { AppConfig } from '../config/config';

/** The three ports a projection runner needs, opened by the projection worker itself (its own connections). */
export interface ProjectionAdapters {
  eventStore: EventStore;
  readStore: ReadStore;
  searchIndex: SearchIndex;
  /** The embedded ledger file, when there is one (appends on the API thread wake the worker's tail). */
  eventsFile: string | null;
}

/**
 * Same choices as composition/adapters.ts, without the job queue and without setting damaged files aside:
 * the API process did that before starting the worker. SQLite files are shared through WAL: the worker's
 * readers never block the API thread's writer, and each file still has one writer at a time.
 */
export async function openProjectionAdapters(config: AppConfig): Promise<ProjectionAdapters> {
  const file = (name: string) => path.join(config.dataDir, name);
  let eventStore: EventStore;
  let eventsFile: string | null = null;
  if (config.EVENT_STORE === 'kurrentdb') {
    const { KurrentDbEventStore } = await import('../kurrentdb/kurrentdb-event-store');
    eventStore = await KurrentDbEventStore.connect(config.KURRENTDB_URL!);
  } else {
    const { SqliteEventStore } = await import('../sqlite/sqlite-event-store');
    eventsFile = file('events.sqlite');
    eventStore = new SqliteEventStore(eventsFile);
  }
  let readStore: ReadStore;
  if (config.READ_STORE === 'mongodb') {
    const { MongoReadStore } = await import('../mongodb/mongo-read-store');
    readStore = await MongoReadStore.connect(config.MONGODB_URL!, config.MONGODB_DB);
  } else {
    const { SqliteReadStore } = await import('../sqlite/sqlite-read-store');
    readStore = new SqliteReadStore(file('read-models.sqlite'), { synchronous: 'NORMAL' });
  }
  let searchIndex: SearchIndex;
  if (config.SEARCH === 'elasticsearch') {
    const { ElasticsearchSearchIndex } = await import('../elasticsearch/es-search-index');
    searchIndex = await ElasticsearchSearchIndex.connect(config.ELASTICSEARCH_URL!, { indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX });
  } else {
    const { SqliteSearchIndex } = await import('../sqlite/sqlite-search-index');
    searchIndex = new SqliteSearchIndex(file('search.sqlite'), { synchronous: 'NORMAL' });
  }
  return { eventStore, readStore, searchIndex, eventsFile };
}
