import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../infrastructure/sqlite/sqlite-read-store';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { SqliteSearchIndex } from '../../infrastructure/sqlite/sqlite-search-index';
import { eventStoreContract } from './suites/event-store.contract';
import { jobQueueContract } from './suites/job-queue.contract';
import { readStoreContract } from './suites/read-store.contract';
import { searchIndexContract } from './suites/search-index.contract';

/** The four port contracts on the embedded SQLite adapters, each store in a fresh file under the OS temp dir. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-contract-'));
let fileCounter = 0;
const freshFile = (name: string) => path.join(dir, `${name}-${++fileCounter}.sqlite`);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

eventStoreContract('SQLite (file)', async () => new SqliteEventStore(freshFile('events')));
eventStoreContract('SQLite (:memory:)', async () => new SqliteEventStore(':memory:'));
readStoreContract('SQLite', async () => new SqliteReadStore(freshFile('read-models')));
searchIndexContract('SQLite FTS5', async () => new SqliteSearchIndex(freshFile('search')));
// Same queue name → same file: that is what makes the restart test meaningful.
jobQueueContract('SQLite', async (queueName) => new SqliteJobQueue(path.join(dir, `jobs-${queueName}.sqlite`)));
