import { decider, faultStreamId, nextDeadline, type FaultState } from '../../domain/faults';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { verifyLedger } from '../audit/verify-ledger';
import type { Clock } from '../ports/clock';
import type { EventStore } from '../ports/event-store';
import type { Job, JobQueue } from '../ports/job-queue';
import type { Ledger } from '../ledger/ledger';
import { systemCommandId } from '../ledger/idempotency';
import { runCommand } from '../ledger/run-command';

/**
 * The fault deadlines run on the JobQueue port: one delayed job per next deadline (2 h, 6 h, 12 h, 24 h),
 * scheduled by the process manager whenever a fault is reported or changes level. The job decides with
 * the platform clock, so a job that fires early (clock skew) records nothing and waits again; one that
 * fires late records every deadline that passed, each at its own due time.
 */
export const FAULT_DEADLINE_JOB = 'fault-deadline';
export const FAULT_INTEGRITY_JOB = 'fault-integrity-check';

export async function scheduleNextDeadline(jobs: JobQueue, clock: Clock, state: FaultState, suffix = ''): Promise<string | null> {
  const next = nextDeadline(state);
  if (!next) return null;
  const delayMs = Math.max(0, Date.parse(next.dueAt) - clock.now().getTime());
  return jobs.add(FAULT_DEADLINE_JOB, { faultId: state.faultId, dueAt: next.dueAt }, { jobId: `fault-deadline:${state.faultId}:${next.dueAt}${suffix}`, delayMs, attempts: 5, backoffMs: 5_000 });
}

export function faultDeadlineJob(ledger: Ledger, clock: Clock, jobs: JobQueue) {
  return async (job: Job<{ faultId: string }>): Promise<void> => {
    const fault = await ledger.load(faultStreamId(job.data.faultId), decider);
    if (fault.state.status !== 'open') return;
    const events = decider.decide({ type: 'CheckFaultDeadlines', data: {} }, fault.state, { now: clock.now(), actor: SYSTEM_ACTOR });
    if (events.length === 0) {
      // Early: wait for the deadline again (a new job id, since this one is still running).
      await scheduleNextDeadline(jobs, clock, fault.state, `:again-${clock.now().getTime()}`);
      return;
    }
    await runCommand(
      ledger,
      { commandId: systemCommandId(`fault-deadline:${job.data.faultId}:${fault.revision}`), actor: SYSTEM_ACTOR, correlationId: `fault-${job.data.faultId}` },
      async () => {
        const current = await ledger.load(faultStreamId(job.data.faultId), decider);
        return [{ stream: current, events: decider.decide({ type: 'CheckFaultDeadlines', data: {} }, current.state, { now: clock.now(), actor: SYSTEM_ACTOR }) }];
      },
      () => null,
    );
  };
}

export async function scheduleIntegrityCheck(jobs: JobQueue, faultId: string, resolvedAt: string): Promise<string> {
  return jobs.add(FAULT_INTEGRITY_JOB, { faultId, resolvedAt }, { jobId: `fault-integrity:${faultId}:${resolvedAt}`, attempts: 5, backoffMs: 10_000 });
}

/** 后期恢复: after recovery, the whole ledger is re-verified (hash chains, revisions: nothing lost or altered) and the result recorded. */
export function faultIntegrityJob(ledger: Ledger, store: EventStore, clock: Clock) {
  return async (job: Job<{ faultId: string; resolvedAt: string }>): Promise<void> => {
    const report = await verifyLedger(store, clock.now());
    await runCommand(
      ledger,
      { commandId: systemCommandId(`fault-integrity:${job.data.faultId}:${job.data.resolvedAt}`), actor: SYSTEM_ACTOR, correlationId: `fault-${job.data.faultId}` },
      async () => {
        const fault = await ledger.load(faultStreamId(job.data.faultId), decider);
        const data = {
          ok: report.ok,
          eventsChecked: report.eventsChecked,
          streamsChecked: report.streamsChecked,
          headPosition: report.headPosition,
          breaks: report.breaks.length,
          firstBreaks: report.breaks.slice(0, 10),
          checkedAt: report.checkedAt,
        };
        return [{ stream: fault, events: decider.decide({ type: 'RecordIntegrityCheck', data }, fault.state, { now: clock.now(), actor: SYSTEM_ACTOR }) }];
      },
      () => null,
    );
  };
}
