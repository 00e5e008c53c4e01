import { decider, taskLabs, taskStreamId, type TaskState } from '../../domain/monitoring';
import type { TaskSnapshot } from '../../domain/sampling/types';
import type { Ledger, LoadedStream } from '../ledger/ledger';
import { loadExisting } from '../quality/decide-on-stream';

export function loadTask(ledger: Ledger, taskId: string): Promise<LoadedStream<TaskState>> {
  return loadExisting(ledger, taskStreamId(taskId), decider, 'task', taskId);
}

/** What a sample needs to know about its task (the sample decider checks against it). */
export function taskSnapshot(state: TaskState): TaskSnapshot {
  return {
    taskId: state.taskId,
    kind: state.kind!,
    status: state.status,
    title: state.title,
    regionCode: state.regionCode,
    period: state.period!,
    publisher: state.publisher!,
    leadLabOrgId: state.leadLab!.orgId,
    labOrgIds: taskLabs(state),
    model: state.model ?? null,
    eligibleEntityIds: state.selection ? [...state.selection.selected, ...state.selection.keyEntities] : null,
  };
}
