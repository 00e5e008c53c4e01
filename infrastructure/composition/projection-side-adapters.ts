import type { EventStore } from '../../application/ports/event-store';
import type { ReadStore } from '../../application/ports/read-store';
import type { SearchIndex } from '../../application/ports/search-index';
import type { AppConfig } from '../config/config';

/** The ports a projection runner reads and writes: the log, the read models and the search index. */
export interface ProjectionSideAdapters {
  eventStore: EventStore;
  readStore: ReadStore;
  searchIndex: SearchIndex;
}

/** Where the embedded stores' files are; called only for the embedded choice (the API thread sets damaged files aside there first). */
export interface EmbeddedFiles {
  events: () => string;
  readModels: () => string;
  search: () => string;
}

/**
 * The configuration's choice of adapter for each of those ports — one place for the API process
 * (composition/adapters.ts) and the projection worker, which opens its own connections. Distributed adapters
 * are loaded lazily so the embedded default never loads their clients.
 */
export async function openProjectionSide(config: AppConfig, files: EmbeddedFiles): Promise<ProjectionSideAdapters> {
  let eventStore: EventStore;
  if (config.EVENT_STORE === 'kurrentdb') {
    const { KurrentDbEventStore } = await import('../kurrentdb/kurrentdb-event-store');
    eventStore = await KurrentDbEventStore.connect(config.KURRENTDB_URL!);
  } else {
    const { SqliteEventStore } = await import('../sqlite/sqlite-event-store');
    eventStore = new SqliteEventStore(files.events());
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
    readStore = new SqliteReadStore(files.readModels(), { synchronous: 'NORMAL' });
  }

  let searchIndex: SearchIndex;
  if (config.SEARCH === 'elasticsearch') {
    const { ElasticsearchSearchIndex } = await import('../elasticsearch/es-search-index');
    searchIndex = await ElasticsearchSearchIndex.connect(config.ELASTICSEARCH_URL!, { indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX });
  } else {
    const { SqliteSearchIndex } = await import('../sqlite/sqlite-search-index');
    // NORMAL + flush(): the projection runner stores the search projection's checkpoint only up to what a
    // flush made durable (at most once a second), so the index is never behind its checkpoint on disk.
    searchIndex = new SqliteSearchIndex(files.search(), { synchronous: 'NORMAL' });
  }
  return { eventStore, readStore, searchIndex };
}
