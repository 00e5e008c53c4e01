import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { optionalText, requireRegionCode, requireText } from '../shared/validate';
import { isWarningLevel, WARNING_LEVELS } from './levels';
import { isIndicator, type AppliedRule } from './rules';

/**
 * A risk warning (风险预警), stream `warning-{warningId}`: raised by a rule, acknowledged by supervision,
 * closed when handled (or automatically when its condition clears, e.g. a passing re-test). A warning on a
 * lot with `hold` puts the lot on hold (不合格 / 暂停销售) in the consumer view while it is open.
 */
export const WARNING_SUBJECT_KINDS = ['lot', 'entity', 'transfer', 'sample'] as const;
export type WarningSubjectKind = (typeof WARNING_SUBJECT_KINDS)[number];

export interface WarningSubject {
  kind: WarningSubjectKind;
  regionCode: string;
  traceCode: string | null;
  entityId: string | null;
  entityName: string | null;
  product: string | null;
  transferId: string | null;
  sampleId: string | null;
}

/** Why: the triggering fact. `propagation` = inherited from an upstream lot's warning (forward trace). */
export interface WarningCause {
  kind: 'sample' | 'propagation' | 'repeatedFailures' | 'overShipment' | 'registration' | 'transfer';
  /** The id of the triggering record (sample, upstream warning, entity, transfer…). */
  ref: string;
  sampleId: string | null;
  /** For propagated warnings: the lot the failure was found on, and its warning. */
  sourceTraceCode: string | null;
  sourceWarningId: string | null;
}

export const CLOSE_RESOLUTIONS = ['handled', 'false-alarm', 'retest-passed', 'condition-cleared'] as const;
export type CloseResolution = (typeof CLOSE_RESOLUTIONS)[number];

export type RaiseWarning = {
  type: 'RaiseWarning';
  data: {
    warningId: string;
    rule: AppliedRule;
    subject: WarningSubject;
    reason: string;
    cause: WarningCause;
    hold: boolean;
    /** Facts the rule saw (values over the limit, the attempts, the deadline…), for the reader and the auditor. */
    evidence: Record<string, unknown>;
  };
};
export type AcknowledgeWarning = { type: 'AcknowledgeWarning'; data: { note?: string } };
export type CloseWarning = { type: 'CloseWarning'; data: { reason: string; resolution: CloseResolution } };
export type WarningCommand = RaiseWarning | AcknowledgeWarning | CloseWarning;

export type WarningRaised = DomainEvent<'WarningRaised', RaiseWarning['data'] & { raisedAt: string }>;
export type WarningAcknowledged = DomainEvent<'WarningAcknowledged', { warningId: string; subject: WarningSubject; note: string | null; acknowledgedAt: string; acknowledgedBy: string }>;
export type WarningClosed = DomainEvent<
  'WarningClosed',
  { warningId: string; subject: WarningSubject; hold: boolean; reason: string; resolution: CloseResolution; closedAt: string; closedBy: string }
>;
export type WarningEvent = WarningRaised | WarningAcknowledged | WarningClosed;
export const WARNING_EVENT_TYPES: WarningEvent['type'][] = ['WarningRaised', 'WarningAcknowledged', 'WarningClosed'];

export type WarningStatus = 'none' | 'raised' | 'acknowledged' | 'closed';

export interface WarningState {
  status: WarningStatus;
  warningId: string;
  subject?: WarningSubject;
  hold: boolean;
  level?: AppliedRule['level'];
  indicator?: AppliedRule['indicator'];
  cause?: WarningCause;
  raisedAt?: string;
  closedAt?: string;
}

export function initialState(): WarningState {
  return { status: 'none', warningId: '', hold: false };
}

export function evolve(state: WarningState, event: WarningEvent): WarningState {
  switch (event.type) {
    case 'WarningRaised': {
      const d = event.data;
      return { ...state, status: 'raised', warningId: d.warningId, subject: { ...d.subject }, hold: d.hold, level: d.rule.level, indicator: d.rule.indicator, cause: { ...d.cause }, raisedAt: d.raisedAt };
    }
    case 'WarningAcknowledged':
      return { ...state, status: 'acknowledged' };
    case 'WarningClosed':
      return { ...state, status: 'closed', closedAt: event.data.closedAt };
    default:
      return assertNever(event);
  }
}

export function isOpen(state: WarningState): boolean {
  return state.status === 'raised' || state.status === 'acknowledged';
}

function nullableText(v: unknown, field: string, max = 200): string | null {
  return optionalText(v, field, max) ?? null;
}

function validateSubject(s: WarningSubject): WarningSubject {
  if (typeof s !== 'object' || s === null) throw new ValidationError('subject', 'subject is required');
  if (!(WARNING_SUBJECT_KINDS as readonly string[]).includes(s.kind)) throw new ValidationError('subject.kind', `subject.kind must be one of ${WARNING_SUBJECT_KINDS.join(', ')}`);
  const subject: WarningSubject = {
    kind: s.kind,
    regionCode: requireRegionCode(s.regionCode, 'subject.regionCode'),
    traceCode: nullableText(s.traceCode, 'subject.traceCode', 64),
    entityId: nullableText(s.entityId, 'subject.entityId', 100),
    entityName: nullableText(s.entityName, 'subject.entityName'),
    product: nullableText(s.product, 'subject.product', 100),
    transferId: nullableText(s.transferId, 'subject.transferId', 100),
    sampleId: nullableText(s.sampleId, 'subject.sampleId', 100),
  };
  const key = { lot: subject.traceCode, entity: subject.entityId, transfer: subject.transferId, sample: subject.sampleId }[subject.kind];
  if (!key) throw new ValidationError(`subject.${{ lot: 'traceCode', entity: 'entityId', transfer: 'transferId', sample: 'sampleId' }[subject.kind]}`, `a ${subject.kind} warning names its ${subject.kind}`);
  return subject;
}

export function decide(command: WarningCommand, state: WarningState, ctx: DecisionContext): WarningEvent[] {
  const now = ctx.now.toISOString();
  switch (command.type) {
    case 'RaiseWarning': {
      if (state.status !== 'none') throw new InvalidStateError(`warning ${state.warningId} already exists`, { status: state.status });
      const d = command.data;
      const warningId = requireText(d.warningId, 'warningId', 100);
      if (typeof d.rule !== 'object' || d.rule === null || !isIndicator(d.rule.indicator)) throw new ValidationError('rule.indicator', 'rule.indicator is unknown');
      if (!isWarningLevel(d.rule.level)) throw new ValidationError('rule.level', `rule.level must be one of ${WARNING_LEVELS.join(', ')}`);
      const subject = validateSubject(d.subject);
      const reason = requireText(d.reason, 'reason', 2000);
      if (d.hold && subject.kind !== 'lot') throw new ValidationError('hold', 'only a lot can be put on hold');
      const cause: WarningCause = {
        kind: d.cause.kind,
        ref: requireText(d.cause.ref, 'cause.ref', 200),
        sampleId: d.cause.sampleId ?? null,
        sourceTraceCode: d.cause.sourceTraceCode ?? null,
        sourceWarningId: d.cause.sourceWarningId ?? null,
      };
      return [{ type: 'WarningRaised', data: { warningId, rule: { ...d.rule }, subject, reason, cause, hold: d.hold === true, evidence: d.evidence ?? {}, raisedAt: now } }];
    }
    case 'AcknowledgeWarning': {
      if (state.status !== 'raised') {
        throw new InvalidStateError(state.status === 'none' ? 'warning does not exist' : `cannot acknowledge a warning that is ${state.status}`, { status: state.status });
      }
      const note = optionalText(command.data.note, 'note', 2000) ?? null;
      return [{ type: 'WarningAcknowledged', data: { warningId: state.warningId, subject: state.subject!, note, acknowledgedAt: now, acknowledgedBy: ctx.actor.userId } }];
    }
    case 'CloseWarning': {
      if (!isOpen(state)) throw new InvalidStateError(state.status === 'none' ? 'warning does not exist' : 'the warning is already closed', { status: state.status });
      const reason = requireText(command.data.reason, 'reason', 2000);
      const resolution = command.data.resolution;
      if (!(['handled', 'false-alarm', 'retest-passed', 'condition-cleared'] as const).includes(resolution)) {
        throw new ValidationError('resolution', 'resolution must be one of handled, false-alarm, retest-passed, condition-cleared');
      }
      return [{ type: 'WarningClosed', data: { warningId: state.warningId, subject: state.subject!, hold: state.hold, reason, resolution, closedAt: now, closedBy: ctx.actor.userId } }];
    }
    default:
      return assertNever(command);
  }
}

export function warningStreamId(warningId: string): string {
  return `warning-${warningId}`;
}

export const decider: Decider<WarningCommand, WarningEvent, WarningState, DecisionContext> = { decide, evolve, initialState };
