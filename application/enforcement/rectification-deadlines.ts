import { caseStreamId, decider, nextRectificationDue, type CaseActionRecorded, type CaseState } from '../../domain/enforcement';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { Clock } from '../ports/clock';
import type { Job, JobQueue } from '../ports/job-queue';
import type { Ledger } from '../ledger/ledger';
import { systemCommandId } from '../ledger/idempotency';
import { runCommand } from '../ledger/run-command';
import type { Reaction } from '../reactions/reactor';

/**
 * 责令限期整改 on the JobQueue port, as the fault deadlines are: when an order to correct is recorded, the
 * process manager schedules a delayed job at the earliest pending deadline of the case. The job decides with
 * the platform clock, so one that fires early records nothing and waits again, and one that fires late
 * marks every order whose deadline passed (RectificationOverdue) — each once, whatever the retries.
 */
export const RECTIFICATION_DEADLINE_JOB = 'case-rectification-deadline';

export async function scheduleRectificationCheck(jobs: JobQueue, clock: Clock, state: CaseState, suffix = ''): Promise<string | null> {
  const dueAt = nextRectificationDue(state);
  if (!dueAt) return null;
  const delayMs = Math.max(0, Date.parse(dueAt) - clock.now().getTime());
  return jobs.add(RECTIFICATION_DEADLINE_JOB, { caseId: state.caseId, dueAt }, { jobId: `${RECTIFICATION_DEADLINE_JOB}:${state.caseId}:${dueAt}${suffix}`, delayMs, attempts: 5, backoffMs: 5_000 });
}

export function rectificationDeadlineJob(ledger: Ledger, clock: Clock, jobs: JobQueue) {
  return async (job: Job<{ caseId: string }>): Promise<void> => {
    const kase = await ledger.load(caseStreamId(job.data.caseId), decider);
    if (kase.state.status !== 'open') return;
    const now = clock.now();
    if (decider.decide({ type: 'CheckRectificationDeadlines', data: {} }, kase.state, { now, actor: SYSTEM_ACTOR }).length === 0) {
      // Early (or the order was verified meanwhile): wait for the next pending deadline, under a new job id.
      await scheduleRectificationCheck(jobs, clock, kase.state, `:again-${now.getTime()}`);
      return;
    }
    await runCommand(
      ledger,
      { commandId: systemCommandId(`${RECTIFICATION_DEADLINE_JOB}:${job.data.caseId}:${kase.revision}`), actor: SYSTEM_ACTOR, correlationId: `case-${job.data.caseId}` },
      async () => {
        const current = await ledger.load(caseStreamId(job.data.caseId), decider);
        return [{ stream: current, events: decider.decide({ type: 'CheckRectificationDeadlines', data: {} }, current.state, { now: clock.now(), actor: SYSTEM_ACTOR }) }];
      },
      () => null,
    );
    // Orders with later deadlines of the same case wait for their own.
    const after = await ledger.load(caseStreamId(job.data.caseId), decider);
    await scheduleRectificationCheck(jobs, clock, after.state);
  };
}

/** The process manager's part: a rectification order recorded → its deadline job. */
export function rectificationDeadlines(d: { ledger: Ledger; clock: Clock; jobs: JobQueue }): Reaction {
  return {
    name: 'rectification-deadlines',
    handles: ['CaseActionRecorded'],
    async react(event) {
      const action = event.data as unknown as CaseActionRecorded['data'];
      if (action.kind !== 'rectification-order' || !action.dueAt) return;
      const kase = await d.ledger.load(caseStreamId(action.caseId), decider);
      await scheduleRectificationCheck(d.jobs, d.clock, kase.state);
    },
  };
}
