import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { documentTokens, queryTokens } from '../../infrastructure/sqlite/cjk-tokens';
import { ConcurrencyError } from '../../application/ports/event-store';
import { SqliteCredentialStore } from '../../infrastructure/sqlite/sqlite-credential-store';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../infrastructure/sqlite/sqlite-read-store';
import { SqliteJobQueue } from '../../infrastructure/sqlite/sqlite-job-queue';
import { SqliteSearchIndex } from '../../infrastructure/sqlite/sqlite-search-index';
import { waitFor } from './suites/contract-helpers';
import { newCommandId, part } from './suites/event-fixtures';
import { credentialStoreContract } from './suites/credential-store.contract';
import { eventStoreContract } from './suites/event-store.contract';
import { jobQueueContract } from './suites/job-queue.contract';
import { readStoreContract } from './suites/read-store.contract';
import { searchIndexContract } from './suites/search-index.contract';

/** The port contracts on the embedded SQLite adapters, each store in a fresh file under the OS temp dir. */
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
// One file for the suite: the reopen test must find its rows again (account ids are unique per test).
const credentialsFile = freshFile('credentials');
credentialStoreContract('SQLite', async () => new SqliteCredentialStore(credentialsFile));

describe('SQLite adapters: behaviour beyond the port contracts', () => {
  it('CJK tokens: Han runs → unigrams + bigrams for documents, bigrams for queries; codes whole and grouped', () => {
    expect(documentTokens('海南省 豇豆')).toEqual(['海', '南', '省', '海南', '南省', '豇', '豆', '豇豆']);
    expect(queryTokens('海南省')).toEqual(['海南', '南省']);
    expect(queryTokens('豇')).toEqual(['豇']);
    expect(documentTokens('GAP认证 Café ＡＢＣ１２')).toEqual(['gap', '认', '证', '认证', 'cafe', 'abc12']);
    expect(documentTokens('110101-261123-7K3QX-0001-ABCD')).toEqual(['110101', '261123', '7k3qx', '0001', 'abcd', '1101012611237k3qx0001abcd']);
    expect(queryTokens('110101-261123-7K3QX-0001-ABCD')).toEqual(['1101012611237k3qx0001abcd']);
    expect(queryTokens('，。！')).toEqual([]);
  });

  it('an append through one instance wakes a subscription on another instance of the same file at once', async () => {
    const file = freshFile('events-shared');
    const writer = new SqliteEventStore(file);
    const reader = new SqliteEventStore(file, { pollMs: 60_000 }); // polling alone would take a minute
    const received: string[] = [];
    const sub = reader.subscribe({ afterPosition: 0, onEvents: async (events) => void received.push(...events.map((e) => e.eventId)) });
    try {
      await new Promise((r) => setTimeout(r, 20));
      const commandId = newCommandId();
      const { events } = await writer.append([part('lot-wake', 'no_stream', commandId, ['LotCreated'])], commandId);
      await waitFor('woken subscription', () => received.length === 1, 2000);
      expect(received).toEqual([events[0]!.eventId]);
    } finally {
      await sub.close();
      await reader.close();
      await writer.close();
    }
  });

  it('group commit: appends of one event-loop turn share one transaction, each keeping its own checks', async () => {
    const store = new SqliteEventStore(freshFile('events-group'));
    try {
      // Count the group transactions (the transaction function's own properties are read-only: wrap it).
      const internals = store as unknown as { appendManyTransaction: { immediate: (...a: unknown[]) => unknown } };
      const group = internals.appendManyTransaction;
      let commits = 0;
      internals.appendManyTransaction = { immediate: (...a: unknown[]) => (commits++, group.immediate(...a)) };
      const ids = Array.from({ length: 6 }, () => newCommandId());
      const outcomes = await Promise.allSettled([
        store.append([part('lot-g1', 'no_stream', ids[0]!, ['LotCreated'])], ids[0]!),
        store.append([part('lot-g2', 'no_stream', ids[1]!, ['LotCreated'])], ids[1]!),
        store.append([part('lot-g1', 'no_stream', ids[2]!, ['LotCreated'])], ids[2]!), // lost the race for lot-g1
        store.append([part('lot-g3', 'no_stream', ids[3]!, ['LotCreated', 'QuantityReserved'])], ids[3]!),
        store.append([part('lot-g2', 0, ids[4]!, ['QuantityReserved'])], ids[4]!), // builds on item 2 of the same group
        store.append([part('lot-g1', 'no_stream', ids[0]!, ['LotCreated'])], ids[0]!), // a retry of item 1
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      const values = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : null));
      expect(values[5]).toEqual({ duplicate: true, events: values[0]!.events });
      const positions = [0, 1, 3, 4].flatMap((i) => values[i]!.events.map((e) => e.position));
      expect(positions).toEqual([...positions].sort((a, b) => a - b)); // call order = log order
      expect(await store.readStream('lot-g2')).toHaveLength(2);
      expect(commits).toBe(1); // one transaction, one fsync, for the six appends
    } finally {
      await store.close();
    }
  });

  it('job queue on synchronous=NORMAL: flush() is one FULL commit covering the jobs added since the last one', async () => {
    const file = path.join(dir, `jobs-flush-${++fileCounter}.sqlite`);
    const queue = new SqliteJobQueue(file, { synchronous: 'NORMAL' });
    const db = (queue as unknown as { db: { pragma: (p: string, o?: object) => unknown; prepare: (s: string) => { pluck: () => { get: () => unknown } } } }).db;
    const barrier = () => db.prepare('SELECT coalesce((SELECT n FROM sync_barrier WHERE id = 1), 0)').pluck().get();
    try {
      await queue.flush();
      expect(barrier()).toBe(0); // nothing added: no commit, no fsync
      await queue.add('deadline', { n: 1 }, { jobId: 'j-1', delayMs: 60_000 });
      await queue.add('deadline', { n: 2 }, { jobId: 'j-2', delayMs: 60_000 });
      await queue.flush();
      expect(barrier()).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // back to NORMAL after the barrier
      await queue.flush();
      expect(barrier()).toBe(1);
      expect(await queue.pendingCount()).toBe(2);
    } finally {
      await queue.close();
    }
  });

  it('a subscription can close itself from inside onEvents without deadlocking', async () => {
    const store = new SqliteEventStore(':memory:');
    const c = newCommandId();
    await store.append([part('lot-self-close', 'no_stream', c, ['A', 'B'])], c);
    let batches = 0;
    let closed = false;
    const sub = store.subscribe({
      afterPosition: 0,
      batchSize: 1,
      onEvents: async () => {
        batches++;
        await sub.close();
        closed = true;
      },
    });
    await waitFor('handler closed the subscription', () => closed);
    await store.close();
    expect(batches).toBe(1);
  });

  it('read store: applyChanges is all-or-nothing with its checkpoint', async () => {
    const store = new SqliteReadStore(':memory:');
    try {
      await store.applyChanges('p', [{ op: 'put', collection: 'lots', doc: { _id: 'L1', _v: 1, tags: ['a'] } }], 1);
      const bad = [
        { op: 'put' as const, collection: 'lots', doc: { _id: 'L2', _v: 2, tags: ['b'] } },
        { op: 'put' as const, collection: 'lots', doc: { _v: 2 } as never },
      ];
      await expect(store.applyChanges('p', bad, 2)).rejects.toThrow();
      expect(await store.get('lots', 'L2')).toBeNull();
      expect(await store.getCheckpoint('p')).toBe(1);
      expect((await store.find('lots', { tags: 'a' })).map((d) => d._id)).toEqual(['L1']);
    } finally {
      await store.close();
    }
  });

  it('the job queue runs on an injected clock: a job delayed by an hour runs when the clock says so', async () => {
    let now = Date.UTC(2025, 2, 1, 8, 0, 0);
    const queue = new SqliteJobQueue(freshFile('jobs-clock'), { now: () => now, pollMs: 20 });
    const ran: number[] = [];
    queue.register('escalate', async () => void ran.push(now));
    await queue.start();
    try {
      await queue.add('escalate', {}, { delayMs: 3_600_000 });
      await queue.idle(); // everything due at the fake clock's now has run: not this job
      expect(ran).toEqual([]);
      now += 3_600_000;
      await queue.idle();
      expect(ran).toEqual([now]);
    } finally {
      await queue.close();
    }
  });
});
