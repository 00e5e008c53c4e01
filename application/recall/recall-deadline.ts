import { decider, recallStreamId } from '../../domain/recall';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { Clock } from '../ports/clock';
import type { Job, JobQueue } from '../ports/job-queue';
import type { Ledger } from '../ledger/ledger';
import { systemCommandId } from '../ledger/idempotency';
import { runCommand } from '../ledger/run-command';

/** A holder who has not acknowledged by the deadline is escalated (a delayed job per notice). */
export const RECALL_DEADLINE_JOB = 'recall-deadline';

interface RecallDeadlineData {
  incidentId: string;
  holderEntityId: string;
}

export async function scheduleRecallDeadline(jobs: JobQueue, clock: Clock, incidentId: string, holderEntityId: string, deadline: string): Promise<void> {
  const delayMs = Math.max(0, Date.parse(deadline) - clock.now().getTime());
  await jobs.add(RECALL_DEADLINE_JOB, { incidentId, holderEntityId }, { jobId: `recall-deadline:${incidentId}:${holderEntityId}`, delayMs });
}

export function recallDeadlineJob(ledger: Ledger, clock: Clock) {
  return async (job: Job<RecallDeadlineData>): Promise<void> => {
    const { incidentId, holderEntityId } = job.data;
    await runCommand(
      ledger,
      // One escalation per notice, whatever the retries: the command id is the notice's.
      { commandId: systemCommandId(`recall-escalate:${incidentId}:${holderEntityId}`), actor: SYSTEM_ACTOR },
      async () => {
        const stream = await ledger.load(recallStreamId(incidentId, holderEntityId), decider);
        if (stream.state.status === 'none') return [];
        return [{ stream, events: decider.decide({ type: 'EscalateOverdueRecall', data: {} }, stream.state, { now: clock.now(), actor: SYSTEM_ACTOR }) }];
      },
      () => undefined,
    );
  };
}
