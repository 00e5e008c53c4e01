import type { DecisionContext } from '../shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import { isIsoDate, optionalText, requireRegionCode, requireText } from '../shared/validate';
import { assertActsForOrg, assertSupervisionAgency } from './actors';
import type { PublishTask, TaskCommand } from './commands';
import type { TaskEvent } from './events';
import { validateModel } from './model';
import { drawSample, SELECTION_ALGORITHM } from './random-selection';
import { taskLabs, type TaskState } from './state';
import { TASK_KINDS, URGENCIES, type LabAssignment, type OrgRef, type TaskSummary } from './types';

export type TaskContext = DecisionContext;

export function decide(command: TaskCommand, state: TaskState, ctx: TaskContext): TaskEvent[] {
  const now = ctx.now.toISOString();
  if (command.type !== 'PublishTask' && state.status === 'none') throw new InvalidStateError('task does not exist', { command: command.type });
  switch (command.type) {
    case 'PublishTask': {
      if (state.status !== 'none') throw new InvalidStateError(`task ${state.taskId} already exists`, { status: state.status });
      assertSupervisionAgency(ctx.actor, 'publish a monitoring task');
      const d = validatePublish(command.data);
      return [{ type: 'TaskPublished', data: { ...d, urgency: d.urgency ?? 'normal', publishedAt: now } }];
    }
    case 'ConfigureModel': {
      assertActsForOrg(ctx.actor, [state.leadLab!.orgId], 'configure the monitoring model (lead lab)');
      if (state.status !== 'published' && state.status !== 'configured') {
        throw new InvalidStateError(`the model cannot change once the task is ${state.status}`, { status: state.status });
      }
      return [{ type: 'MonitoringModelConfigured', data: { taskId: state.taskId, model: validateModel(command.data.model), configuredAt: now, configuredBy: ctx.actor.userId } }];
    }
    case 'DistributeTask': {
      assertActsForOrg(ctx.actor, [state.leadLab!.orgId], 'distribute the task (lead lab)');
      if (state.status === 'published') throw new InvalidStateError('configure the monitoring model before distributing the task', { status: state.status });
      if (state.status === 'reported') throw new InvalidStateError('the task is already reported', { status: state.status });
      const assignments = validateAssignments(command.data.assignments, state);
      return [{ type: 'TaskDistributed', data: { taskId: state.taskId, assignments, distributedAt: now } }];
    }
    case 'SelectSpotCheckEntities': {
      if (state.kind !== 'spotCheck') throw new BusinessRuleError('NOT_A_SPOT_CHECK', 'random selection applies to spot-check tasks only', { kind: state.kind });
      if (state.selection) throw new InvalidStateError('entities were already selected for this task; a draw is never repeated', { seed: state.selection.seed });
      if (state.status === 'reported') throw new InvalidStateError('the task is already reported', { status: state.status });
      assertActsForOrg(ctx.actor, [state.publisher!.orgId, ...taskLabs(state)], 'draw the spot-checked entities');
      const d = command.data;
      const seed = requireText(d.seed, 'seed', 128);
      const count = requireCount(d.count, 'count');
      const keyEntities = uniqueTexts(d.keyEntities ?? [], 'keyEntities');
      const candidates = uniqueTexts(d.candidates, 'candidates').filter((c) => !keyEntities.includes(c)).sort();
      if (candidates.length === 0 && keyEntities.length === 0) {
        throw new BusinessRuleError('NO_CANDIDATES', 'there is no entity to select from in the task’s region', { regionCode: state.regionCode });
      }
      const samplerCandidates = uniqueTexts(d.samplerCandidates ?? [], 'samplerCandidates').sort();
      const samplerCount = d.samplerCount === undefined ? 0 : requireCount(d.samplerCount, 'samplerCount', 0);
      return [
        {
          type: 'SpotCheckEntitiesSelected',
          data: {
            taskId: state.taskId,
            seed,
            algorithm: SELECTION_ALGORITHM,
            candidates,
            count,
            keyEntities,
            selected: drawSample(seed, candidates, count),
            samplerCandidates,
            samplerCount,
            // A different stream of the same seed, so adding samplers never changes the entity draw.
            selectedSamplers: drawSample(`${seed}/samplers`, samplerCandidates, samplerCount),
            selectedAt: now,
          },
        },
      ];
    }
    case 'SubmitLabReport': {
      if (state.status !== 'distributed') throw new InvalidStateError(`a lab report needs a distributed task (it is ${state.status})`, { status: state.status });
      assertActsForOrg(ctx.actor, taskLabs(state), 'submit a lab report for this task');
      const lab: OrgRef = state.labs.find((l) => l.orgId === ctx.actor.orgId) ?? state.leadLab!;
      const note = optionalText(command.data.note, 'note', 2000);
      return [{ type: 'LabReportSubmitted', data: { taskId: state.taskId, lab: { orgId: lab.orgId, name: lab.name }, summary: validateSummary(command.data.summary), note: note ?? null, submittedAt: now } }];
    }
    case 'SubmitTaskReport': {
      assertActsForOrg(ctx.actor, [state.leadLab!.orgId], 'submit the task report (lead lab)');
      if (state.status !== 'distributed') throw new InvalidStateError(`the task cannot be reported while ${state.status}`, { status: state.status });
      const conclusion = requireText(command.data.conclusion, 'conclusion', 5000);
      return [{ type: 'TaskReported', data: { taskId: state.taskId, summary: validateSummary(command.data.summary), conclusion, reportedTo: { ...state.publisher! }, reportedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

function requireCount(value: unknown, field: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 100_000) {
    throw new ValidationError(field, `${field} must be a whole number ≥ ${min}`, { value });
  }
  return value;
}

function uniqueTexts(list: unknown, field: string): string[] {
  if (!Array.isArray(list)) throw new ValidationError(field, `${field} must be a list`);
  if (list.length > 100_000) throw new ValidationError(field, `${field} has more than 100000 entries`);
  list.forEach((x, i) => requireText(x, `${field}[${i}]`, 100));
  return [...new Set(list as string[])];
}

function requireOrg(o: OrgRef, field: string): OrgRef {
  if (typeof o !== 'object' || o === null) throw new ValidationError(field, `${field} is required`);
  return { orgId: requireText(o.orgId, `${field}.orgId`, 100), name: requireText(o.name, `${field}.name`, 200) };
}

function validatePublish(d: PublishTask['data']): PublishTask['data'] {
  requireText(d.taskId, 'taskId', 100);
  if (!(TASK_KINDS as readonly string[]).includes(d.kind)) throw new ValidationError('kind', `kind must be one of ${TASK_KINDS.join(', ')}`, { value: d.kind });
  const title = requireText(d.title, 'title', 200);
  const description = optionalText(d.description, 'description', 5000);
  requireRegionCode(d.regionCode, 'regionCode');
  if (typeof d.period !== 'object' || d.period === null) throw new ValidationError('period', 'period {from, to} is required');
  if (!isIsoDate(d.period.from)) throw new ValidationError('period.from', 'period.from must be YYYY-MM-DD');
  if (!isIsoDate(d.period.to)) throw new ValidationError('period.to', 'period.to must be YYYY-MM-DD');
  if (d.period.to < d.period.from) throw new ValidationError('period.to', 'period.to is before period.from');
  if (d.urgency !== undefined && !(URGENCIES as readonly string[]).includes(d.urgency)) {
    throw new ValidationError('urgency', `urgency must be one of ${URGENCIES.join(', ')}`);
  }
  const publisher = requireOrg(d.publisher, 'publisher');
  const leadLab = requireOrg(d.leadLab, 'leadLab');
  return {
    taskId: d.taskId,
    kind: d.kind,
    title,
    ...(description !== undefined ? { description } : {}),
    regionCode: d.regionCode,
    period: { from: d.period.from, to: d.period.to },
    ...(d.urgency !== undefined ? { urgency: d.urgency } : {}),
    publisher,
    leadLab,
  };
}

function validateAssignments(list: LabAssignment[], state: TaskState): LabAssignment[] {
  if (!Array.isArray(list) || list.length === 0) throw new ValidationError('assignments', 'assignments needs at least one undertaking lab');
  const known = new Set(state.labs.map((l) => l.orgId));
  return list.map((a, i) => {
    const f = `assignments[${i}]`;
    const org = requireOrg(a, f);
    if (known.has(org.orgId)) throw new ValidationError(`${f}.orgId`, `lab ${org.orgId} already has this task`);
    known.add(org.orgId);
    const out: LabAssignment = { ...org };
    if (a.regionCode !== undefined && a.regionCode !== null) {
      requireRegionCode(a.regionCode, `${f}.regionCode`);
      if (!a.regionCode.startsWith(regionPrefix(state.regionCode))) {
        throw new ValidationError(`${f}.regionCode`, `${f}.regionCode is outside the task’s region ${state.regionCode}`);
      }
      out.regionCode = a.regionCode;
    }
    if (a.quota !== undefined && a.quota !== null) out.quota = requireCount(a.quota, `${f}.quota`);
    return out;
  });
}

/** '460000' → '46', '469000' → '4690', '469027' → '469027'. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

function validateSummary(s: TaskSummary): TaskSummary {
  if (typeof s !== 'object' || s === null) throw new ValidationError('summary', 'summary is required');
  for (const k of ['samples', 'tested', 'passed', 'failed', 'inconclusive'] as const) {
    if (typeof s[k] !== 'number' || !Number.isInteger(s[k]) || s[k] < 0) throw new ValidationError(`summary.${k}`, `summary.${k} must be a whole number ≥ 0`);
  }
  if (s.passed + s.failed + s.inconclusive !== s.tested) throw new ValidationError('summary.tested', 'summary: passed + failed + inconclusive must equal tested');
  if (s.tested > s.samples) throw new ValidationError('summary.tested', 'summary: more tested than sampled');
  return s;
}
