import type { Job, JobQueue } from '../../../application/ports/job-queue';
import { sleep, uniqueName, waitFor } from './contract-helpers';

/**
 * The JobQueue contract, through the port only. `makeQueue(queueName)` opens the queue of that name;
 * opening the same name again must see the same persisted jobs (that is how a restart is tested). Each
 * test uses a fresh unique name, so runs can share a Redis. Delays stay ≤ 300 ms.
 */
export function jobQueueContract(
  adapterName: string,
  makeQueue: (queueName: string) => Promise<JobQueue>,
  dispose: (queue: JobQueue) => Promise<void> = (q) => q.close(),
): void {
  describe(`JobQueue contract: ${adapterName}`, () => {
    let queueName: string;
    const open: JobQueue[] = [];
    const openQueue = async () => {
      const q = await makeQueue(queueName);
      open.push(q);
      return q;
    };

    beforeEach(() => {
      queueName = uniqueName('ct');
    });
    afterEach(async () => {
      for (const q of open.splice(0)) await dispose(q).catch(() => undefined);
    });

    it('runs a job with its data, on the handler of its name, first attempt = 1', async () => {
      const q = await openQueue();
      const seen: { handler: string; job: Job }[] = [];
      q.register('seal', async (job) => void seen.push({ handler: 'seal', job }));
      q.register('notify', async (job) => void seen.push({ handler: 'notify', job }));
      await q.start();
      const id = await q.add('notify', { to: '海南省农业农村厅', n: 1 });
      await waitFor('job ran', () => seen.length === 1);
      expect(seen[0]).toEqual({ handler: 'notify', job: { id, name: 'notify', data: { to: '海南省农业农村厅', n: 1 }, attempt: 1 } });
      await waitFor('nothing pending', async () => (await q.pendingCount()) === 0);
    });

    it('runs a delayed job after its delay, not before', async () => {
      const q = await openQueue();
      const ranAt: number[] = [];
      q.register('escalate', async () => void ranAt.push(Date.now()));
      await q.start();
      const addedAt = Date.now();
      await q.add('escalate', {}, { delayMs: 250 });
      expect(await q.pendingCount()).toBe(1);
      await waitFor('delayed job ran', () => ranAt.length === 1);
      // Not before its delay: the run's own time says so, whatever the machine's load did to the wait.
      expect(ranAt[0]! - addedAt).toBeGreaterThanOrEqual(240);
    });

    it('retries a failing job with exponential back-off until it succeeds', async () => {
      const q = await openQueue();
      const tries: { attempt: number; at: number }[] = [];
      q.register('flaky', async (job) => {
        tries.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt < 3) throw new Error(`transient failure ${job.attempt}`);
      });
      await q.start();
      await q.add('flaky', { x: 1 }, { attempts: 3, backoffMs: 60 });
      await waitFor('third attempt', () => tries.length === 3);
      expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(55); // 60 * 2^0
      expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(110); // 60 * 2^1
      // Done for good: nothing is pending any more, so no fourth attempt can come.
      await waitFor('job finished', async () => (await q.pendingCount()) === 0);
      expect(tries).toHaveLength(3);
      expect(await q.failed()).toEqual([]);
    });

    it('keeps a job that exhausted its attempts visible in failed()', async () => {
      const q = await openQueue();
      let tries = 0;
      q.register('broken', async () => {
        tries++;
        throw new Error('lab system unreachable');
      });
      await q.start();
      const id = await q.add('broken', { sampleId: 's-1' }, { attempts: 2, backoffMs: 20 });
      await waitFor('job failed for good', async () => (await q.failed()).length === 1);
      const [failed] = await q.failed();
      expect(failed).toMatchObject({ id, name: 'broken', data: { sampleId: 's-1' }, attempts: 2 });
      expect(failed!.error).toContain('lab system unreachable');
      expect(Number.isNaN(Date.parse(failed!.failedAt))).toBe(false);
      expect(tries).toBe(2);
      expect(await q.pendingCount()).toBe(0);
    });

    it('repeats a job every interval, and registering the same repeatKey again does not duplicate it', async () => {
      const q = await openQueue();
      const runs: number[] = [];
      q.register('seal', async () => void runs.push(Date.now()));
      await q.repeat('seal', { kind: 'checkpoint' }, 100, `${queueName}-seal`);
      await q.repeat('seal', { kind: 'checkpoint' }, 100, `${queueName}-seal`);
      expect(await q.pendingCount()).toBe(1);
      const started = Date.now();
      await q.start();
      await waitFor('five runs', () => runs.length >= 5, 10_000);
      // One schedule runs at most once per 100 ms (plus the first at once); a duplicated one twice as often.
      // The bound follows the time that really passed, so a slow machine cannot fail it.
      const elapsed = Date.now() - started;
      expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / 100) + 2);
    });

    it('deduplicates by jobId while the job is pending', async () => {
      const q = await openQueue();
      let runs = 0;
      q.register('recompute', async () => void runs++);
      const first = await q.add('recompute', { lot: 'L1' }, { jobId: `${queueName}-L1`, delayMs: 150 });
      const second = await q.add('recompute', { lot: 'L1' }, { jobId: `${queueName}-L1`, delayMs: 150 });
      expect(second).toBe(first);
      expect(await q.pendingCount()).toBe(1);
      await q.start();
      await waitFor('job ran', () => runs === 1);
      await waitFor('nothing pending', async () => (await q.pendingCount()) === 0);
      expect(runs).toBe(1);
    });

    it('removes a pending job so it never runs', async () => {
      const q = await openQueue();
      let runs = 0;
      let sentinelRan = false;
      q.register('remind', async () => void runs++);
      q.register('sentinel', async () => void (sentinelRan = true));
      await q.start();
      const id = await q.add('remind', {}, { delayMs: 150 });
      expect(await q.remove(id)).toBe(true);
      expect(await q.remove(id)).toBe(false);
      expect(await q.pendingCount()).toBe(0);
      // A job added later with the same delay is due no earlier: once it has run, the removed one would have.
      await q.add('sentinel', {}, { delayMs: 150 });
      await waitFor('sentinel ran', () => sentinelRan);
      expect(runs).toBe(0);
    });

    it('close() waits for a running handler to finish', async () => {
      const q = await openQueue();
      let started = false;
      let finished = false;
      q.register('slow', async () => {
        started = true;
        await sleep(150);
        finished = true;
      });
      await q.start();
      await q.add('slow', {});
      await waitFor('handler started', () => started);
      await dispose(q);
      open.splice(open.indexOf(q), 1);
      expect(finished).toBe(true);
    });

    it('keeps a delayed job across a restart', async () => {
      const first = await openQueue();
      first.register('escalate', async () => undefined);
      const id = await first.add('escalate', { faultId: 'f-1' }, { delayMs: 200 });
      await dispose(first);
      open.splice(open.indexOf(first), 1);

      const second = await openQueue();
      const ran: Job[] = [];
      second.register('escalate', async (job) => void ran.push(job));
      expect(await second.pendingCount()).toBe(1);
      await second.start();
      await waitFor('delayed job ran after restart', () => ran.length === 1);
      expect(ran[0]).toMatchObject({ id, name: 'escalate', data: { faultId: 'f-1' }, attempt: 1 });
    });
  });
}
