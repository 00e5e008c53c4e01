import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { isIsoDate, optionalText, requireRegionCode, requireText } from '../shared/validate';
import { cstDateOf, rectificationDueAt, type RectificationOrder } from './rectification';

/**
 * An enforcement case (执法案件), stream `case-{caseId}`. Opened by a referral (移交): a failed lab result
 * (seed 002, 第二十七条) or an inspection finding (第七条) — or by enforcement itself (自行立案: found on
 * site, a complaint, a tip-off). Actions are recorded, among them orders to correct within a deadline
 * (责令限期整改), which become overdue when the deadline passes unverified; it closes with an outcome
 * (查处结果, kept on the platform).
 */
export const OWN_CASE_SOURCES = ['on-site', 'complaint', 'tip-off', 'other'] as const;
export type OwnCaseSource = (typeof OWN_CASE_SOURCES)[number];

export type Referral =
  | { kind: 'sample'; sampleId: string; taskId: string; verdict: string; failed: string[]; reportNo: string | null }
  | { kind: 'inspection'; inspectionId: string; recordId: string; findings: string[] }
  /** 自行立案: opened by the enforcement body itself; `ref` names what led to it (a complaint id, a tip-off's number). */
  | { kind: 'own'; source: OwnCaseSource; ref: string | null };

/**
 * A party found on site that is not in the registry (未注册主体): recorded in the case as it was found, with
 * no e-ID and no entity stream — the registry is the county's to fill, not the enforcement body's.
 */
export interface UnregisteredParty {
  address: string;
  /** 负责人: the person in charge, as they gave their name. */
  responsible: string | null;
  phone: string | null;
  /** 统一社会信用代码, when the party showed a business licence. */
  creditCode: string | null;
}

export interface CaseSubject {
  entityId: string | null;
  eid: string | null;
  entityName: string;
  regionCode: string;
  /** Present (and entityId null) when the party is not registered; absent on cases opened before it existed. */
  unregistered?: UnregisteredParty | null;
}

export const CASE_ACTION_KINDS = [
  'investigation',
  'sampling',
  'seizure',
  'recall',
  'rectification-order',
  /** 整改复查: the order named by `orderSeq` was checked and found complied with. */
  'rectification-verified',
  'penalty',
  'notice',
  'retest-result',
  'other',
] as const;
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
export type RecordCaseAction = {
  type: 'RecordCaseAction';
  /** `deadline` (YYYY-MM-DD) is required of a rectification order; `orderSeq` of a verification (the order's seq). */
  data: { kind: CaseActionKind; description: string; takenOn?: string; deadline?: string; orderSeq?: number };
};
export type CloseCase = { type: 'CloseCase'; data: { outcome: CaseOutcome; summary: string; penaltyYuan?: number } };
/** The platform's deadline job: every pending order whose deadline has passed becomes overdue. */
export type CheckRectificationDeadlines = { type: 'CheckRectificationDeadlines'; data: Record<string, never> };
export type CaseCommand = OpenCase | RecordCaseAction | CloseCase | CheckRectificationDeadlines;

export type CaseOpened = DomainEvent<'CaseOpened', OpenCase['data'] & { openedAt: string }>;
export type CaseActionRecorded = DomainEvent<
  'CaseActionRecorded',
  {
    caseId: string;
    regionCode: string;
    seq: number;
    kind: CaseActionKind;
    description: string;
    takenOn: string;
    recordedAt: string;
    recordedBy: string;
    /** A rectification order's deadline and the instant it is late from (absent on other kinds and older events). */
    deadline?: string | null;
    dueAt?: string | null;
    /** A verification's order. */
    orderSeq?: number | null;
  }
>;
export type CaseClosed = DomainEvent<'CaseClosed', { caseId: string; regionCode: string; outcome: CaseOutcome; summary: string; penaltyYuan: number | null; closedAt: string; closedBy: string }>;
/** 逾期未整改: the order's deadline passed and nobody recorded it complied with; `recordedAt` may be later than `dueAt`. */
export type RectificationOverdue = DomainEvent<'RectificationOverdue', { caseId: string; regionCode: string; orderSeq: number; deadline: string; dueAt: string; recordedAt: string }>;
export type CaseEvent = CaseOpened | CaseActionRecorded | CaseClosed | RectificationOverdue;
export const CASE_EVENT_TYPES: CaseEvent['type'][] = ['CaseOpened', 'CaseActionRecorded', 'CaseClosed', 'RectificationOverdue'];

export interface CaseState {
  status: 'none' | 'open' | 'closed';
  caseId: string;
  regionCode: string;
  actions: number;
  referral?: Referral;
  orders: RectificationOrder[];
}

export function initialState(): CaseState {
  return { status: 'none', caseId: '', regionCode: '', actions: 0, orders: [] };
}

/** The next instant a pending order becomes overdue (what the deadline job waits for), or null. */
export function nextRectificationDue(state: CaseState): string | null {
  if (state.status !== 'open') return null;
  const due = state.orders.filter((o) => o.status === 'pending').map((o) => o.dueAt).sort();
  return due[0] ?? null;
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'CaseOpened':
      return { ...state, status: 'open', caseId: event.data.caseId, regionCode: event.data.subject.regionCode, referral: event.data.referral };
    case 'CaseActionRecorded': {
      const d = event.data;
      const next = { ...state, actions: state.actions + 1 };
      if (d.kind === 'rectification-order' && d.deadline && d.dueAt) next.orders = [...state.orders, { seq: d.seq, deadline: d.deadline, dueAt: d.dueAt, status: 'pending' }];
      if (d.kind === 'rectification-verified' && d.orderSeq) next.orders = state.orders.map((o) => (o.seq === d.orderSeq ? { ...o, status: 'complied' } : o));
      return next;
    }
    case 'RectificationOverdue':
      return { ...state, orders: state.orders.map((o) => (o.seq === event.data.orderSeq && o.status === 'pending' ? { ...o, status: 'overdue' } : o)) };
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
  if (r.kind === 'own') {
    if (!(OWN_CASE_SOURCES as readonly string[]).includes(r.source)) throw new ValidationError('referral.source', `referral.source must be one of ${OWN_CASE_SOURCES.join(', ')}`);
    return { kind: 'own', source: r.source, ref: optionalText(r.ref, 'referral.ref', 100) ?? null };
  }
  throw new ValidationError('referral.kind', "referral.kind must be 'sample', 'inspection' or 'own'");
}

/** A subject is a registered entity (its id) or a party recorded on site, never both, never neither. */
function validateSubject(s: CaseSubject): CaseSubject {
  if (typeof s !== 'object' || s === null) throw new ValidationError('subject', 'subject is required');
  const common = { entityName: requireText(s.entityName, 'subject.entityName', 200), regionCode: requireRegionCode(s.regionCode, 'subject.regionCode') };
  const u = s.unregistered;
  if (u === undefined || u === null) return { entityId: s.entityId ?? null, eid: s.eid ?? null, ...common };
  if (s.entityId) throw new ValidationError('subject.unregistered', 'a registered entity (subject.entityId) is not recorded as unregistered');
  return {
    entityId: null,
    eid: null,
    ...common,
    unregistered: {
      address: requireText(u.address, 'subject.unregistered.address', 300),
      responsible: optionalText(u.responsible, 'subject.unregistered.responsible', 100) ?? null,
      phone: optionalText(u.phone, 'subject.unregistered.phone', 30) ?? null,
      creditCode: optionalText(u.creditCode, 'subject.unregistered.creditCode', 18) ?? null,
    },
  };
}

/** What a rectification order or a verification adds to an action (fields checked against the case's orders). */
function orderFields(d: RecordCaseAction['data'], state: CaseState, takenOn: string): Pick<CaseActionRecorded['data'], 'deadline' | 'dueAt' | 'orderSeq'> {
  if (d.kind === 'rectification-order') {
    if (!isIsoDate(d.deadline)) throw new ValidationError('deadline', 'a rectification order needs its deadline (YYYY-MM-DD)');
    if (d.deadline < takenOn) throw new ValidationError('deadline', `the deadline ${d.deadline} is before the order (${takenOn})`, { deadline: d.deadline, takenOn });
    return { deadline: d.deadline, dueAt: rectificationDueAt(d.deadline) };
  }
  if (d.deadline !== undefined && d.deadline !== null) throw new ValidationError('deadline', 'only a rectification order has a deadline');
  if (d.kind === 'rectification-verified') {
    const order = state.orders.find((o) => o.seq === d.orderSeq);
    if (!order) throw new ValidationError('orderSeq', 'orderSeq must name a rectification order of this case', { orderSeq: d.orderSeq ?? null });
    if (order.status === 'complied') throw new InvalidStateError(`rectification order ${order.seq} was verified already`, { orderSeq: order.seq });
    return { orderSeq: order.seq };
  }
  return {};
}

export function decide(command: CaseCommand, state: CaseState, ctx: DecisionContext): CaseEvent[] {
  const now = ctx.now.toISOString();
  if (command.type !== 'OpenCase' && state.status === 'none') throw new InvalidStateError('case does not exist', { command: command.type });
  switch (command.type) {
    case 'OpenCase': {
      if (state.status !== 'none') throw new InvalidStateError(`case ${state.caseId} already exists`);
      const d = command.data;
      return [
        {
          type: 'CaseOpened',
          data: {
            caseId: requireText(d.caseId, 'caseId', 100),
            referral: validateReferral(d.referral),
            subject: validateSubject(d.subject),
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
      const takenOn = d.takenOn ?? cstDateOf(ctx.now);
      const order = orderFields(d, state, takenOn);
      return [
        {
          type: 'CaseActionRecorded',
          data: {
            caseId: state.caseId,
            regionCode: state.regionCode,
            seq: state.actions + 1,
            kind: d.kind,
            description: requireText(d.description, 'description', 5000),
            takenOn,
            recordedAt: now,
            recordedBy: ctx.actor.userId,
            ...order,
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
    case 'CheckRectificationDeadlines': {
      if (state.status !== 'open') return [];
      return state.orders
        .filter((o) => o.status === 'pending' && Date.parse(o.dueAt) <= ctx.now.getTime())
        .map((o) => ({ type: 'RectificationOverdue' as const, data: { caseId: state.caseId, regionCode: state.regionCode, orderSeq: o.seq, deadline: o.deadline, dueAt: o.dueAt, recordedAt: now } }));
    }
    default:
      return assertNever(command);
  }
}

export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}


export const decider: Decider<CaseCommand, CaseEvent, CaseState, DecisionContext> = { decide, evolve, initialState };
