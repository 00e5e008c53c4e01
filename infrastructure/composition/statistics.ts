import type { Ledger } from '../../application/ledger/ledger';
import type { Clock, IdGenerator } from '../../application/ports/clock';
import type { JobQueue } from '../../application/ports/job-queue';
import { LOOKUP_INTERVAL_MS, LOOKUP_JOB, LookupCounter, recordLookups } from '../../application/statistics/lookup-counter';
import type { Logger } from '../logging/logger';

/** The statistics' moving parts outside the projection: the public-lookup counter and the job recording it. */
export interface StatisticsRuntime {
  lookups: LookupCounter;
  /** Schedules the repeatable jobs (after the queue started). */
  schedule(): Promise<void>;
}

export function composeStatistics(p: { queue: JobQueue; ledger: Ledger; clock: Clock; ids: IdGenerator; logger: Logger }): StatisticsRuntime {
  const lookups = new LookupCounter(p.clock);
  p.queue.register(LOOKUP_JOB, async () => {
    const n = await recordLookups(p.ledger, lookups, p.ids);
    if (n > 0) p.logger.debug({ lookups: n }, 'public lookups recorded');
  });
  return {
    lookups,
    async schedule() {
      await p.queue.repeat(LOOKUP_JOB, {}, LOOKUP_INTERVAL_MS, LOOKUP_JOB);
    },
  };
}
