import { Queue } from 'bullmq';
import { BullMqJobQueue } from '../../infrastructure/bullmq/bullmq-job-queue';
import { redisConnectionOptions } from '../../infrastructure/bullmq/redis-connection';
import { uniqueName, waitFor } from './suites/contract-helpers';
import { jobQueueContract } from './suites/job-queue.contract';
import { serverUnderTest } from './support/server-under-test';

/** The JobQueue contract on BullMQ over Redis. Each test uses its own queue name; queues are obliterated after. */
const PREFIX = 'suyuan-contract';
const server = serverUnderTest('Redis (BullMQ)', 'REDIS_URL');

server.describeWithServer((url) => {
  const usedQueues = new Set<string>();
  afterAll(async () => {
    // Leave nothing behind in a shared Redis.
    for (const name of usedQueues) {
      const queue = new Queue(name, { connection: redisConnectionOptions(url), prefix: PREFIX });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
  const open = (queueName: string) => {
    usedQueues.add(queueName);
    return BullMqJobQueue.connect(url, { queueName, prefix: PREFIX });
  };

  jobQueueContract('BullMQ', open);

  describe('BullMQ job queue: beyond the port contract', () => {
    it('parses redis URLs with credentials, database and TLS', () => {
      expect(redisConnectionOptions('redis://127.0.0.1:16379')).toMatchObject({
        host: '127.0.0.1',
        port: 16379,
        db: 0,
        maxRetriesPerRequest: null,
      });
      expect(redisConnectionOptions('rediss://app:s%40cret@redis.internal/3')).toEqual({
        host: 'redis.internal',
        port: 6379,
        username: 'app',
        password: 's@cret',
        db: 3,
        tls: {},
        maxRetriesPerRequest: null,
      });
      expect(() => redisConnectionOptions('http://localhost')).toThrow(/redis:\/\//);
    });

    it('two instances on the same queue share the jobs, and each job runs once', async () => {
      const name = uniqueName('bq');
      const [a, b] = [await open(name), await open(name)];
      const ranOn: string[] = [];
      a.register('tick', async () => void ranOn.push('a'));
      b.register('tick', async () => void ranOn.push('b'));
      try {
        await a.start();
        await b.start();
        for (let i = 0; i < 20; i++) await a.add('tick', { i });
        await waitFor('all 20 ran', () => ranOn.length === 20);
        // Nothing left pending on the shared queue, so no job can run a second time after this.
        await waitFor('nothing pending', async () => (await a.pendingCount()) === 0);
        expect(ranOn).toHaveLength(20);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('a jobId that failed for good can be added again, and then runs', async () => {
      const name = uniqueName('bq');
      const q = await open(name);
      let fail = true;
      let runs = 0;
      q.register('recompute', async () => {
        runs++;
        if (fail) throw new Error('first time fails');
      });
      try {
        await q.start();
        await q.add('recompute', { lot: 'L1' }, { jobId: `${name}-L1`, attempts: 1 });
        await waitFor('failed for good', async () => (await q.failed()).length === 1);
        fail = false;
        await q.add('recompute', { lot: 'L1' }, { jobId: `${name}-L1`, attempts: 1 });
        await waitFor('ran again', () => runs === 2);
        expect(await q.failed()).toEqual([]);
      } finally {
        await q.close();
      }
    });

    it('remove() given a repeat key ends the repetition and its pending run', async () => {
      const name = uniqueName('bq');
      const q = await open(name);
      try {
        await q.repeat('seal', {}, 60_000, `${name}-every-minute`);
        expect(await q.pendingCount()).toBe(1);
        expect(await q.remove(`${name}-every-minute`)).toBe(true);
        expect(await q.pendingCount()).toBe(0);
        expect(await q.remove(`${name}-every-minute`)).toBe(false);
      } finally {
        await q.close();
      }
    });
  });
});
