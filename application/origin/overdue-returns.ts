import { decider, originStreamId, type OriginRecordReturned } from '../../domain/origin';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { Clock } from '../ports/clock';
import type { EventStore } from '../ports/event-store';
import type { Job, JobQueue } from '../ports/job-queue';
import type { ProjectionProgress } from '../ports/read-models';
import type { ReadStore } from '../ports/read-store';
import type { Ledger } from '../ledger/ledger';
import { systemCommandId } from '../ledger/idempotency';
import { runCommand } from '../ledger/run-command';
import { ReactorRunner, type Reaction, type ReactorLogger } from '../reactions/reactor';

/**
 * 限期内未修改完成的，纳入绩效考核范围 (seed 003 六(三)): a record the county returned with a deadline and that is
 * still not fixed when the deadline passes is flagged once (OriginReturnOverdue), which counts against its
 * collector (origin_collectors). Each return schedules a delayed job on the queue, one millisecond past its
 * deadline; the job decides on the record as it then is — fixed, approved or returned again means nothing to do.
 */
export const ORIGIN_RETURN_OVERDUE_JOB = 'origin-return-overdue';

interface OverdueCheck {
  recordId: string;
  /** Which return the job is for: a record returned again has a new deadline and its own job. */
  returnedAt: string;
}

export async function scheduleOverdueCheck(jobs: JobQueue, clock: Clock, check: OverdueCheck, deadline: string, suffix = ''): Promise<void> {
  const delayMs = Math.max(0, Date.parse(deadline) + 1 - clock.now().getTime());
  await jobs.add(ORIGIN_RETURN_OVERDUE_JOB, { ...check }, { jobId: `${ORIGIN_RETURN_OVERDUE_JOB}-${check.recordId}-${Date.parse(check.returnedAt)}${suffix}`, delayMs, attempts: 5, backoffMs: 5_000 });
}

export function overdueReturnJob(ledger: Ledger, jobs: JobQueue, clock: Clock) {
  return async (job: Job<OverdueCheck>): Promise<void> => {
    const { recordId, returnedAt } = job.data;
    await runCommand(
      ledger,
      // One flag per return, whatever the retries: the command id is the return's.
      { commandId: systemCommandId(`origin-return-overdue:${recordId}:${returnedAt}`), actor: SYSTEM_ACTOR },
      async () => {
        const stream = await ledger.load(originStreamId(recordId), decider);
        const open = stream.state.openReturn;
        if (!open || open.returnedAt !== returnedAt) return [];
        if (clock.now().getTime() <= Date.parse(open.deadline)) {
          // Run early (a clock set back, a queue that fired before time): wait for the deadline again.
          await scheduleOverdueCheck(jobs, clock, job.data, open.deadline, `-again-${clock.now().getTime()}`);
          return [];
        }
        return [{ stream, events: decider.decide({ type: 'FlagOverdueReturn', data: {} }, stream.state, { now: clock.now(), actor: SYSTEM_ACTOR, places: NO_PLACES, rules: NO_RULES }) }];
      },
      () => undefined,
    );
  };
}

// FlagOverdueReturn reads neither the village directory nor the scope rules.
const NO_PLACES = { township: () => undefined, village: () => undefined, townshipByName: () => undefined, villageByName: () => undefined };
const NO_RULES = { national: {} as never, provinces: {} };

/** Schedules the deadline job of every return, from the log (so a crash between the return and the job loses none). */
export function returnDeadlines(jobs: JobQueue, clock: Clock): Reaction {
  return {
    name: 'origin-return-deadlines',
    handles: ['OriginRecordReturned'],
    async react(event) {
      const d = event.data as unknown as OriginRecordReturned['data'];
      await scheduleOverdueCheck(jobs, clock, { recordId: d.recordId, returnedAt: d.returnedAt }, d.deadline);
    },
  };
}

export interface OriginRuntime {
  reactor: ReactorRunner;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Registers the overdue job (call before the queue starts) and builds the process manager that schedules it. */
export function createOriginRuntime(d: { ledger: Ledger; clock: Clock; store: EventStore; reads: ReadStore; progress: ProjectionProgress; jobs: JobQueue; log: ReactorLogger }): OriginRuntime {
  d.jobs.register(ORIGIN_RETURN_OVERDUE_JOB, overdueReturnJob(d.ledger, d.jobs, d.clock));
  const reactor = new ReactorRunner('origin', d.store, d.reads, d.progress, [returnDeadlines(d.jobs, d.clock)], d.log, async () => d.jobs.flush?.());
  return { reactor, start: () => reactor.start(), stop: () => reactor.stop() };
}
