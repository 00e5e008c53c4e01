import type { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { loadConfig } from '../../../infrastructure/config/config';
import { createPlatform, type Platform, type PlatformOverrides } from '../../../infrastructure/composition/platform';
import { createHttpApp } from '../../../infrastructure/http/create-http-app';
import { createLogger } from '../../../infrastructure/logging/logger';

let apps = 0;

export interface TestApp {
  app: INestApplication;
  platform: Platform;
  http: ReturnType<typeof request>;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real platform on a fresh temporary data directory. The adapters come from the environment, like in
 * production: by default the embedded SQLite stack; with READ_STORE=mongodb SEARCH=elasticsearch QUEUE=bullmq
 * (and their URLs) the same suites run on the distributed read side (see .ci/run).
 */
export async function startTestApp(env: Record<string, string> = {}, overrides: PlatformOverrides = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-it-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    DEMO_DATA: 'off',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://suyuan.test',
    TRACE_CODE_SECRET: 'integration-test-secret-0123456789',
    // Unique names per test app, so suites can share one MongoDB / Elasticsearch / Redis (mixed-configuration CI run).
    MONGODB_DB: `suyuan_it_${process.pid}_${++apps}_${Date.now()}`,
    ELASTICSEARCH_INDEX_PREFIX: `suyuan-it-${process.pid}-${apps}-${Date.now()}-`,
    QUEUE_PREFIX: `suyuan-it-${process.pid}-${apps}-${Date.now()}`,
    // Feature suites act through the dev identity headers below; tests/integration/access-*.spec.ts run
    // with AUTH=tokens (the default in production) and real accounts.
    AUTH: 'dev-headers',
    CHECKPOINT_INTERVAL_MS: '0',
    ...env,
  });
  const platform = await createPlatform(config, createLogger('silent'), overrides);
  const app = await createHttpApp(platform);
  await app.init();
  return {
    app,
    platform,
    http: request(app.getHttpServer()),
    dataDir,
    async close() {
      await app.close();
      // Leave nothing behind on a shared MongoDB (the mixed-configuration CI run).
      if (config.READ_STORE === 'mongodb')
        for (const c of await platform.adapters.readStore.listCollections()) await platform.adapters.readStore.dropCollection(c);
      await platform.close();
      // And the database itself: FerretDB keeps one SQLite file with its own connection pool per database, and
      // a CI run's ~50 leftover databases (2,678 open files) preceded FerretDB answering nothing, not even ping,
      // in a clean-clone run's mixed step (2026-12-02, session 7).
      if (config.READ_STORE === 'mongodb' && config.MONGODB_URL) await dropMongoDatabase(config.MONGODB_URL, config.MONGODB_DB);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Identity headers of a producer acting for its entity (dev identity until accounts land). */
export const asProducer = (entityId: string) => ({ 'X-Role': 'producer', 'X-Org-Id': entityId, 'X-User-Id': `u-${entityId}` });
export const asCounty = (region: string) => ({ 'X-Role': 'county-admin', 'X-Org-Id': `county-${region}`, 'X-Region': region });

async function dropMongoDatabase(url: string, name: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
