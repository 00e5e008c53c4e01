import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { optionalText, requireText } from '../shared/validate';

/**
 * Platform faults (运行应急处置, seed 000 §九), stream `fault-{faultId}`.
 *
 * Levels: 1 (a few users, minor), 2 (part of a business system), 3 (system down, data lost). Deadlines run
 * from the moment the current level began (the report, or the escalation that reached it):
 *   level 1 not cleared within 2 h  → level 2;
 *   level 2 not cleared within 6 h  → level 3;
 *   level 3 must be cleared within 12 h, at most 24 h → "overdue" marks at 12 h and at 24 h.
 * Escalation is decided from the recorded times alone (nextDeadline / dueTransitions), so the history is
 * the same whenever the checks run: a late check records every deadline that passed, each at its own due
 * time; a resolution first records the deadlines that passed before it.
 */
export type FaultLevel = 1 | 2 | 3;
export const LEVEL_LIMIT_HOURS: Record<1 | 2, number> = { 1: 2, 2: 6 };
export const LEVEL3_OVERDUE_HOURS = [12, 24] as const;
export type OverdueHours = (typeof LEVEL3_OVERDUE_HOURS)[number];
const HOUR_MS = 3_600_000;

export type ReportFault = {
  type: 'ReportFault';
  data: {
    faultId: string;
    level: FaultLevel;
    /** When it happened (may be before it was reported). */
    occurredAt: string;
    place: string;
    description: string;
    /** 可能影响的业务范围及事态发展趋势 */
    affectedScope: string;
    /** 已采取或拟采取的应对措施 */
    measures: string;
    /** 故障恢复的大致预期 */
    expectedRecoveryAt: string;
    reporter: { name: string; contact?: string };
  };
};
export type CheckFaultDeadlines = { type: 'CheckFaultDeadlines'; data: Record<string, never> };
export type ReportFaultProgress = { type: 'ReportFaultProgress'; data: { note: string } };
/** Raise the level by hand when the situation turns out worse (the level clock restarts). */
export type ReclassifyFault = { type: 'ReclassifyFault'; data: { level: FaultLevel; reason: string } };
export type ResolveFault = { type: 'ResolveFault'; data: { resolution: string } };
/** The post-recovery check (§九(五) 后期恢复: 核对业务数据是否正确或有无丢失), done by the platform. */
export type RecordIntegrityCheck = {
  type: 'RecordIntegrityCheck';
  data: { ok: boolean; eventsChecked: number; streamsChecked: number; headPosition: number; breaks: number; firstBreaks: unknown[]; checkedAt: string };
};
export type FaultCommand = ReportFault | CheckFaultDeadlines | ReportFaultProgress | ReclassifyFault | ResolveFault | RecordIntegrityCheck;

export type FaultReported = DomainEvent<'FaultReported', ReportFault['data'] & { reportedAt: string; reportedBy: string }>;
export type FaultEscalated = DomainEvent<
  'FaultEscalated',
  { faultId: string; fromLevel: FaultLevel; toLevel: FaultLevel; automatic: boolean; dueAt: string; detectedAt: string; reason: string }
>;
export type FaultOverdue = DomainEvent<'FaultOverdue', { faultId: string; level: 3; hours: OverdueHours; dueAt: string; detectedAt: string }>;
export type FaultProgressReported = DomainEvent<'FaultProgressReported', { faultId: string; level: FaultLevel; note: string; reportedAt: string; reportedBy: string }>;
export type FaultResolved = DomainEvent<
  'FaultResolved',
  { faultId: string; level: FaultLevel; resolution: string; resolvedAt: string; resolvedBy: string; minutesOpen: number; withinLimit: boolean }
>;
export type FaultIntegrityChecked = DomainEvent<'FaultIntegrityChecked', { faultId: string } & RecordIntegrityCheck['data']>;
export type FaultEvent = FaultReported | FaultEscalated | FaultOverdue | FaultProgressReported | FaultResolved | FaultIntegrityChecked;
export const FAULT_EVENT_TYPES: FaultEvent['type'][] = ['FaultReported', 'FaultEscalated', 'FaultOverdue', 'FaultProgressReported', 'FaultResolved', 'FaultIntegrityChecked'];

export interface FaultState {
  status: 'none' | 'open' | 'resolved';
  faultId: string;
  level: FaultLevel;
  /** ISO instant the current level began. */
  levelSince: string;
  reportedAt: string;
  /** Level-3 overdue marks already recorded. */
  overdue: OverdueHours[];
  /** Deadlines that passed while open (automatic escalations and overdue marks). */
  missedDeadlines: number;
  resolvedAt?: string;
  integrityChecks: number;
}

export function initialState(): FaultState {
  return { status: 'none', faultId: '', level: 1, levelSince: '', reportedAt: '', overdue: [], missedDeadlines: 0, integrityChecks: 0 };
}

export function evolve(state: FaultState, event: FaultEvent): FaultState {
  switch (event.type) {
    case 'FaultReported':
      return { ...state, status: 'open', faultId: event.data.faultId, level: event.data.level, levelSince: event.data.reportedAt, reportedAt: event.data.reportedAt, overdue: [] };
    case 'FaultEscalated':
      // An automatic escalation starts the new level at its due time; a manual one when it was decided.
      return {
        ...state,
        level: event.data.toLevel,
        levelSince: event.data.automatic ? event.data.dueAt : event.data.detectedAt,
        overdue: [],
        missedDeadlines: state.missedDeadlines + (event.data.automatic ? 1 : 0),
      };
    case 'FaultOverdue':
      return { ...state, overdue: [...state.overdue, event.data.hours], missedDeadlines: state.missedDeadlines + 1 };
    case 'FaultProgressReported':
      return state;
    case 'FaultResolved':
      return { ...state, status: 'resolved', resolvedAt: event.data.resolvedAt };
    case 'FaultIntegrityChecked':
      return { ...state, integrityChecks: state.integrityChecks + 1 };
    default:
      return assertNever(event);
  }
}

export type FaultDeadline = { kind: 'escalate'; toLevel: 2 | 3; dueAt: string } | { kind: 'overdue'; hours: OverdueHours; dueAt: string };

/** The next deadline of an open fault, or null (resolved, or past both level-3 marks). */
export function nextDeadline(state: FaultState): FaultDeadline | null {
  if (state.status !== 'open') return null;
  const since = Date.parse(state.levelSince);
  if (state.level === 1 || state.level === 2) {
    return { kind: 'escalate', toLevel: state.level === 1 ? 2 : 3, dueAt: new Date(since + LEVEL_LIMIT_HOURS[state.level] * HOUR_MS).toISOString() };
  }
  const hours = LEVEL3_OVERDUE_HOURS.find((h) => !state.overdue.includes(h));
  return hours === undefined ? null : { kind: 'overdue', hours, dueAt: new Date(since + hours * HOUR_MS).toISOString() };
}

/** Every deadline that passed by `now`, in order, as the events that record them (detected at `now`). */
export function dueTransitions(state: FaultState, now: Date): FaultEvent[] {
  const out: FaultEvent[] = [];
  const detectedAt = now.toISOString();
  let s = state;
  for (let next = nextDeadline(s); next && Date.parse(next.dueAt) <= now.getTime(); next = nextDeadline(s)) {
    const event: FaultEvent =
      next.kind === 'escalate'
        ? {
            type: 'FaultEscalated',
            data: {
              faultId: s.faultId,
              fromLevel: s.level,
              toLevel: next.toLevel,
              automatic: true,
              dueAt: next.dueAt,
              detectedAt,
              reason: `not cleared within ${LEVEL_LIMIT_HOURS[s.level as 1 | 2]} h`,
            },
          }
        : { type: 'FaultOverdue', data: { faultId: s.faultId, level: 3, hours: next.hours, dueAt: next.dueAt, detectedAt } };
    out.push(event);
    s = evolve(s, event);
  }
  return out;
}

function requireInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ValidationError(field, `${field} must be an ISO-8601 date-time`, { value });
  }
  return new Date(value).toISOString();
}

function requireLevel(level: unknown, field: string): FaultLevel {
  if (level !== 1 && level !== 2 && level !== 3) throw new ValidationError(field, `${field} must be 1, 2 or 3`, { value: level });
  return level;
}

function requireOpen(state: FaultState): void {
  if (state.status === 'none') throw new InvalidStateError('fault does not exist');
  if (state.status !== 'open') throw new InvalidStateError('the fault is already resolved', { status: state.status });
}

export function decide(command: FaultCommand, state: FaultState, ctx: DecisionContext): FaultEvent[] {
  const now = ctx.now.toISOString();
  switch (command.type) {
    case 'ReportFault': {
      if (state.status !== 'none') throw new InvalidStateError(`fault ${state.faultId} already exists`);
      const d = command.data;
      const occurredAt = requireInstant(d.occurredAt, 'occurredAt');
      if (occurredAt > now) throw new ValidationError('occurredAt', 'occurredAt is in the future');
      const expectedRecoveryAt = requireInstant(d.expectedRecoveryAt, 'expectedRecoveryAt');
      if (expectedRecoveryAt < occurredAt) throw new ValidationError('expectedRecoveryAt', 'expectedRecoveryAt is before the fault occurred');
      if (typeof d.reporter !== 'object' || d.reporter === null) throw new ValidationError('reporter', 'reporter is required');
      const contact = optionalText(d.reporter.contact, 'reporter.contact', 100);
      return [
        {
          type: 'FaultReported',
          data: {
            faultId: requireText(d.faultId, 'faultId', 100),
            level: requireLevel(d.level, 'level'),
            occurredAt,
            place: requireText(d.place, 'place', 300),
            description: requireText(d.description, 'description', 5000),
            affectedScope: requireText(d.affectedScope, 'affectedScope', 2000),
            measures: requireText(d.measures, 'measures', 5000),
            expectedRecoveryAt,
            reporter: { name: requireText(d.reporter.name, 'reporter.name', 100), ...(contact ? { contact } : {}) },
            reportedAt: now,
            reportedBy: ctx.actor.userId,
          },
        },
      ];
    }
    case 'CheckFaultDeadlines':
      if (state.status !== 'open') return [];
      return dueTransitions(state, ctx.now);
    case 'ReportFaultProgress': {
      requireOpen(state);
      const note = requireText(command.data.note, 'note', 5000);
      const due = dueTransitions(state, ctx.now);
      const s = due.reduce(evolve, state);
      return [...due, { type: 'FaultProgressReported', data: { faultId: state.faultId, level: s.level, note, reportedAt: now, reportedBy: ctx.actor.userId } }];
    }
    case 'ReclassifyFault': {
      requireOpen(state);
      const level = requireLevel(command.data.level, 'level');
      const reason = requireText(command.data.reason, 'reason', 2000);
      const due = dueTransitions(state, ctx.now);
      const s = due.reduce(evolve, state);
      if (level <= s.level) throw new ValidationError('level', `the fault is already level ${s.level}; a level is only ever raised`, { current: s.level });
      return [...due, { type: 'FaultEscalated', data: { faultId: state.faultId, fromLevel: s.level, toLevel: level, automatic: false, dueAt: now, detectedAt: now, reason } }];
    }
    case 'ResolveFault': {
      requireOpen(state);
      const resolution = requireText(command.data.resolution, 'resolution', 5000);
      const due = dueTransitions(state, ctx.now);
      const s = due.reduce(evolve, state);
      const minutesOpen = Math.max(0, Math.round((ctx.now.getTime() - Date.parse(state.reportedAt)) / 60_000));
      // Within limit: cleared before any deadline passed (a manual reclassification is not a missed deadline).
      const withinLimit = s.missedDeadlines === 0;
      return [...due, { type: 'FaultResolved', data: { faultId: state.faultId, level: s.level, resolution, resolvedAt: now, resolvedBy: ctx.actor.userId, minutesOpen, withinLimit } }];
    }
    case 'RecordIntegrityCheck': {
      if (state.status !== 'resolved') throw new InvalidStateError('the integrity check follows the recovery: resolve the fault first', { status: state.status });
      const d = command.data;
      for (const k of ['eventsChecked', 'streamsChecked', 'headPosition', 'breaks'] as const) {
        if (typeof d[k] !== 'number' || !Number.isInteger(d[k]) || d[k] < 0) throw new ValidationError(k, `${k} must be a whole number ≥ 0`);
      }
      return [{ type: 'FaultIntegrityChecked', data: { faultId: state.faultId, ok: d.ok === true, eventsChecked: d.eventsChecked, streamsChecked: d.streamsChecked, headPosition: d.headPosition, breaks: d.breaks, firstBreaks: (d.firstBreaks ?? []).slice(0, 10), checkedAt: requireInstant(d.checkedAt, 'checkedAt') } }];
    }
    default:
      return assertNever(command);
  }
}

export function faultStreamId(faultId: string): string {
  return `fault-${faultId}`;
}

export const decider: Decider<FaultCommand, FaultEvent, FaultState, DecisionContext> = { decide, evolve, initialState };
