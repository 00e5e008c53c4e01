import IORedis from 'ioredis';
import { MongoClient } from 'mongodb';

/**
 * Removes what one mixed-configuration run left on the SHARED servers of .ci/services.env — its MongoDB
 * database, its Elasticsearch indices, its BullMQ keys — and nothing else: every name is this run's own
 * (suyuan_faults_<run>…, suyuan-faults-<run>-…), other sessions' data on the same servers is never touched.
 * Dropping collections leaves an empty database behind on FerretDB, and BullMQ never deletes its keys.
 */
export interface SharedNames {
  mongoUrl?: string;
  mongoDb?: string;
  elasticsearchUrl?: string;
  indexPrefix?: string;
  redisUrl?: string;
  queuePrefix?: string;
}

export async function dropSharedNames(names: SharedNames): Promise<void> {
  if (names.mongoUrl && names.mongoDb) {
    if (!names.mongoDb.startsWith('suyuan_faults_')) throw new Error(`refusing to drop ${names.mongoDb}: not a faults run's database`);
    const client = new MongoClient(names.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
    try {
      await client.connect();
      await client.db(names.mongoDb).dropDatabase();
    } finally {
      await client.close();
    }
  }
  if (names.elasticsearchUrl && names.indexPrefix) {
    if (!names.indexPrefix.startsWith('suyuan-faults-')) throw new Error(`refusing to drop ${names.indexPrefix}*: not a faults run's prefix`);
    const base = names.elasticsearchUrl.replace(/\/$/, '');
    // One DELETE per listed index: a wildcard DELETE is refused by Elasticsearch's destructive_requires_name.
    const listed = await fetch(`${base}/_cat/indices/${encodeURIComponent(names.indexPrefix)}*?h=index&format=json`);
    const indices = listed.ok ? ((await listed.json()) as { index: string }[]).map((i) => i.index) : [];
    for (const index of indices) if (index.startsWith(names.indexPrefix)) await fetch(`${base}/${encodeURIComponent(index)}`, { method: 'DELETE' });
    // The prefix's own index template (infrastructure/elasticsearch: templateFor); 404 when there is none.
    await fetch(`${base}/_index_template/${encodeURIComponent(`${names.indexPrefix}search`)}`, { method: 'DELETE' });
  }
  if (names.redisUrl && names.queuePrefix) {
    if (!names.queuePrefix.startsWith('suyuan-faults-')) throw new Error(`refusing to delete ${names.queuePrefix}:*: not a faults run's prefix`);
    const redis = new IORedis(names.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${names.queuePrefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
