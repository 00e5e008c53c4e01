import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { isIsoDate, requireRegionCode, requireText } from '../shared/validate';

/**
 * An enforcement case (执法案件), stream `case-{caseId}`. Opened only by a referral (移交): a failed lab
 * result (seed 002, 第二十七条) or an inspection finding (第七条); actions are recorded; it closes with an
 * outcome (查处结果, kept on the platform).
 */
export type Referral =
  | { kind: 'sample'; sampleId: string; taskId: string; verdict: string; failed: string[]; reportNo: string | null }
  | { kind: 'inspection'; inspectionId: string; recordId: string; findings: string[] };

export interface CaseSubject {
  entityId: string | null;
  eid: string | null;
  entityName: string;
  regionCode: string;
}

export const CASE_ACTION_KINDS = ['investigation', 'sampling', 'seizure', 'recall', 'rectification-order', 'penalty', 'notice', 'retest-result', 'other'] as const;
export type CaseActionKind = (typeof CASE_ACTION_KINDS)[number];
export const CASE_OUTCOMES = ['penalized', 'rectified', 'no-violation', 'transferred'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export type OpenCase = {
  type: 'OpenCase';
  data: {
    caseId: string;
    referral: Referral;
    subject: CaseSubject;
    product: string | null;
    /** The lots concerned: the sampled lot and every lot downstream, for a recall. */
    traceCodes: string[];
    summary: string;
    referredBy: { orgId: string; userId: string };
  };
};
export type RecordCaseAction = { type: 'RecordCaseAction'; data: { kind: CaseActionKind; description: string; takenOn?: string } };
export type CloseCase = { type: 'CloseCase'; data: { outcome: CaseOutcome; summary: string; penaltyYuan?: number } };
export type CaseCommand = OpenCase | RecordCaseAction | CloseCase;

export type CaseOpened = DomainEvent<'CaseOpened', OpenCase['data'] & { openedAt: string }>;
export type CaseActionRecorded = DomainEvent<
  'CaseActionRecorded',
  { caseId: string; regionCode: string; seq: number; kind: CaseActionKind; description: string; takenOn: string; recordedAt: string; recordedBy: string }
>;
export type CaseClosed = DomainEvent<'CaseClosed', { caseId: string; regionCode: string; outcome: CaseOutcome; summary: string; penaltyYuan: number | null; closedAt: string; closedBy: string }>;
export type CaseEvent = CaseOpened | CaseActionRecorded | CaseClosed;
export const CASE_EVENT_TYPES: CaseEvent['type'][] = ['CaseOpened', 'CaseActionRecorded', 'CaseClosed'];

export interface CaseState {
  status: 'none' | 'open' | 'closed';
  caseId: string;
  regionCode: string;
  actions: number;
  referral?: Referral;
}

export function initialState(): CaseState {
  return { status: 'none', caseId: '', regionCode: '', actions: 0 };
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'CaseOpened':
      return { ...state, status: 'open', caseId: event.data.caseId, regionCode: event.data.subject.regionCode, referral: event.data.referral };
    case 'CaseActionRecorded':
      return { ...state, actions: state.actions + 1 };
    case 'CaseClosed':
      return { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}

function validateReferral(r: Referral): Referral {
  if (typeof r !== 'object' || r === null) throw new ValidationError('referral', 'referral is required');
  if (r.kind === 'sample') {
    return {
      kind: 'sample',
      sampleId: requireText(r.sampleId, 'referral.sampleId', 100),
      taskId: requireText(r.taskId, 'referral.taskId', 100),
      verdict: requireText(r.verdict, 'referral.verdict', 20),
      failed: [...(r.failed ?? [])],
      reportNo: r.reportNo ?? null,
    };
  }
  if (r.kind === 'inspection') {
    return {
      kind: 'inspection',
      inspectionId: requireText(r.inspectionId, 'referral.inspectionId', 100),
      recordId: requireText(r.recordId, 'referral.recordId', 100),
      findings: [...(r.findings ?? [])],
    };
  }
  throw new ValidationError('referral.kind', "referral.kind must be 'sample' or 'inspection'");
}

export function decide(command: CaseCommand, state: CaseState, ctx: DecisionContext): CaseEvent[] {
  const now = ctx.now.toISOString();
  if (command.type !== 'OpenCase' && state.status === 'none') throw new InvalidStateError('case does not exist', { command: command.type });
  switch (command.type) {
    case 'OpenCase': {
      if (state.status !== 'none') throw new InvalidStateError(`case ${state.caseId} already exists`);
      const d = command.data;
      const s = d.subject;
      if (typeof s !== 'object' || s === null) throw new ValidationError('subject', 'subject is required');
      return [
        {
          type: 'CaseOpened',
          data: {
            caseId: requireText(d.caseId, 'caseId', 100),
            referral: validateReferral(d.referral),
            subject: {
              entityId: s.entityId ?? null,
              eid: s.eid ?? null,
              entityName: requireText(s.entityName, 'subject.entityName', 200),
              regionCode: requireRegionCode(s.regionCode, 'subject.regionCode'),
            },
            product: d.product ?? null,
            traceCodes: [...d.traceCodes],
            summary: requireText(d.summary, 'summary', 5000),
            referredBy: { ...d.referredBy },
            openedAt: now,
          },
        },
      ];
    }
    case 'RecordCaseAction': {
      if (state.status !== 'open') throw new InvalidStateError('the case is closed', { status: state.status });
      const d = command.data;
      if (!(CASE_ACTION_KINDS as readonly string[]).includes(d.kind)) throw new ValidationError('kind', `kind must be one of ${CASE_ACTION_KINDS.join(', ')}`);
      if (d.takenOn !== undefined && d.takenOn !== null && !isIsoDate(d.takenOn)) throw new ValidationError('takenOn', 'takenOn must be YYYY-MM-DD');
      return [
        {
          type: 'CaseActionRecorded',
          data: {
            caseId: state.caseId,
            regionCode: state.regionCode,
            seq: state.actions + 1,
            kind: d.kind,
            description: requireText(d.description, 'description', 5000),
            takenOn: d.takenOn ?? now.slice(0, 10),
            recordedAt: now,
            recordedBy: ctx.actor.userId,
          },
        },
      ];
    }
    case 'CloseCase': {
      if (state.status !== 'open') throw new InvalidStateError('the case is already closed', { status: state.status });
      const d = command.data;
      if (!(CASE_OUTCOMES as readonly string[]).includes(d.outcome)) throw new ValidationError('outcome', `outcome must be one of ${CASE_OUTCOMES.join(', ')}`);
      if (d.penaltyYuan !== undefined && d.penaltyYuan !== null && (typeof d.penaltyYuan !== 'number' || !Number.isFinite(d.penaltyYuan) || d.penaltyYuan < 0)) {
        throw new ValidationError('penaltyYuan', 'penaltyYuan must be a non-negative amount');
      }
      if (d.outcome === 'penalized' && (d.penaltyYuan === undefined || d.penaltyYuan === null)) {
        throw new ValidationError('penaltyYuan', 'a penalized case records the penalty amount (penaltyYuan)');
      }
      return [
        {
          type: 'CaseClosed',
          data: {
            caseId: state.caseId,
            regionCode: state.regionCode,
            outcome: d.outcome,
            summary: requireText(d.summary, 'summary', 5000),
            penaltyYuan: d.penaltyYuan ?? null,
            closedAt: now,
            closedBy: ctx.actor.userId,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}


export const decider: Decider<CaseCommand, CaseEvent, CaseState, DecisionContext> = { decide, evolve, initialState };
