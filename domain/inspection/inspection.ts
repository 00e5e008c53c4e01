import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { isIsoDate, optionalText, requireRegionCode, requireText } from '../shared/validate';
import { isValidEid } from '../registration/eid';
import { assertSupervisionAgency, isSupervisionAgency } from '../monitoring/actors';
import { regionPrefix } from '../monitoring/decide';

/**
 * 基地巡查 (seed 002, 第二章): an agency publishes an inspection task to its inspectors; each visit is a record,
 * made by scanning the entity's e-ID (or entered by hand for an unregistered one, who is guided to register);
 * findings can be referred to enforcement, which opens a case. Stream `inspection-{inspectionId}`.
 */
export const FINDING_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export interface Inspector {
  userId: string;
  name: string;
}

export type InspectedSubject =
  | { kind: 'registered'; entityId: string; eid: string; name: string; regionCode: string }
  | { kind: 'unregistered'; name: string; regionCode: string; address: string; contactPhone?: string; products?: string[] };

export interface Finding {
  description: string;
  severity: FindingSeverity;
}

export type PublishInspectionTask = {
  type: 'PublishInspectionTask';
  data: { inspectionId: string; title: string; regionCode: string; inspectors: Inspector[]; dueDate: string; plan?: string; targets?: string[]; publisher: { orgId: string; name: string } };
};
export type RecordInspection = {
  type: 'RecordInspection';
  data: {
    recordId: string;
    subject: InspectedSubject;
    visitedAt: string;
    checklist?: { item: string; ok: boolean; note?: string }[];
    findings: Finding[];
    conclusion: string;
    /** For an unregistered entity that meets the conditions: the inspector guided it to register (第六条). */
    guidedToRegister?: boolean;
  };
};
export type ReferInspectionFindings = { type: 'ReferInspectionFindings'; data: { recordId: string; caseId: string; note?: string } };
export type CompleteInspection = { type: 'CompleteInspection'; data: { summary: string } };
export type InspectionCommand = PublishInspectionTask | RecordInspection | ReferInspectionFindings | CompleteInspection;

export type InspectionTaskPublished = DomainEvent<'InspectionTaskPublished', PublishInspectionTask['data'] & { publishedAt: string }>;
export type InspectionRecorded = DomainEvent<
  'InspectionRecorded',
  Omit<RecordInspection['data'], 'checklist' | 'guidedToRegister'> & {
    inspectionId: string;
    checklist: { item: string; ok: boolean; note?: string }[];
    guidedToRegister: boolean;
    inspector: { userId: string; orgId: string };
    recordedAt: string;
  }
>;
export type InspectionReferred = DomainEvent<
  'InspectionReferred',
  { inspectionId: string; recordId: string; caseId: string; subject: InspectedSubject; findings: Finding[]; note: string | null; referredAt: string }
>;
export type InspectionCompleted = DomainEvent<'InspectionCompleted', { inspectionId: string; regionCode: string; summary: string; records: number; completedAt: string }>;
export type InspectionEvent = InspectionTaskPublished | InspectionRecorded | InspectionReferred | InspectionCompleted;
export const INSPECTION_EVENT_TYPES: InspectionEvent['type'][] = ['InspectionTaskPublished', 'InspectionRecorded', 'InspectionReferred', 'InspectionCompleted'];

export interface InspectionState {
  status: 'none' | 'open' | 'completed';
  inspectionId: string;
  regionCode: string;
  inspectors: string[];
  publisherOrgId: string;
  records: Record<string, { subject: InspectedSubject; findings: Finding[]; caseId?: string }>;
}

export function initialState(): InspectionState {
  return { status: 'none', inspectionId: '', regionCode: '', inspectors: [], publisherOrgId: '', records: {} };
}

export function evolve(state: InspectionState, event: InspectionEvent): InspectionState {
  switch (event.type) {
    case 'InspectionTaskPublished':
      return {
        ...state,
        status: 'open',
        inspectionId: event.data.inspectionId,
        regionCode: event.data.regionCode,
        inspectors: event.data.inspectors.map((i) => i.userId),
        publisherOrgId: event.data.publisher.orgId,
      };
    case 'InspectionRecorded':
      return { ...state, records: { ...state.records, [event.data.recordId]: { subject: event.data.subject, findings: event.data.findings } } };
    case 'InspectionReferred': {
      const r = state.records[event.data.recordId]!;
      return { ...state, records: { ...state.records, [event.data.recordId]: { ...r, caseId: event.data.caseId } } };
    }
    case 'InspectionCompleted':
      return { ...state, status: 'completed' };
    default:
      return assertNever(event);
  }
}

function requireInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ValidationError(field, `${field} must be an ISO-8601 date-time`, { value });
  }
  return new Date(value).toISOString();
}

function validateSubject(s: InspectedSubject, taskRegion: string): InspectedSubject {
  if (typeof s !== 'object' || s === null) throw new ValidationError('subject', 'subject is required');
  const regionCode = requireRegionCode(s.regionCode, 'subject.regionCode');
  if (!regionCode.startsWith(regionPrefix(taskRegion))) {
    throw new ValidationError('subject.regionCode', `the inspected entity is outside the task’s region ${taskRegion}`, { regionCode });
  }
  if (s.kind === 'registered') {
    if (!isValidEid(s.eid)) throw new ValidationError('subject.eid', 'subject.eid is not a valid e-ID');
    return { kind: 'registered', entityId: requireText(s.entityId, 'subject.entityId', 100), eid: s.eid, name: requireText(s.name, 'subject.name', 200), regionCode };
  }
  if (s.kind === 'unregistered') {
    const contactPhone = optionalText(s.contactPhone, 'subject.contactPhone', 40);
    const products = s.products === undefined ? undefined : s.products.map((p, i) => requireText(p, `subject.products[${i}]`, 100));
    return {
      kind: 'unregistered',
      name: requireText(s.name, 'subject.name', 200),
      regionCode,
      address: requireText(s.address, 'subject.address', 300),
      ...(contactPhone ? { contactPhone } : {}),
      ...(products ? { products } : {}),
    };
  }
  throw new ValidationError('subject.kind', "subject.kind must be 'registered' (scan the e-ID) or 'unregistered'");
}

export function decide(command: InspectionCommand, state: InspectionState, ctx: DecisionContext): InspectionEvent[] {
  const now = ctx.now.toISOString();
  if (command.type !== 'PublishInspectionTask' && state.status === 'none') throw new InvalidStateError('inspection task does not exist');
  switch (command.type) {
    case 'PublishInspectionTask': {
      if (state.status !== 'none') throw new InvalidStateError(`inspection task ${state.inspectionId} already exists`);
      assertSupervisionAgency(ctx.actor, 'publish an inspection task');
      const d = command.data;
      if (!Array.isArray(d.inspectors) || d.inspectors.length === 0) throw new ValidationError('inspectors', 'inspectors needs at least one inspector');
      const inspectors = d.inspectors.map((i, n) => ({ userId: requireText(i?.userId, `inspectors[${n}].userId`, 100), name: requireText(i?.name, `inspectors[${n}].name`, 100) }));
      if (!isIsoDate(d.dueDate)) throw new ValidationError('dueDate', 'dueDate must be YYYY-MM-DD');
      const plan = optionalText(d.plan, 'plan', 5000);
      return [
        {
          type: 'InspectionTaskPublished',
          data: {
            inspectionId: requireText(d.inspectionId, 'inspectionId', 100),
            title: requireText(d.title, 'title', 200),
            regionCode: requireRegionCode(d.regionCode, 'regionCode'),
            inspectors,
            dueDate: d.dueDate,
            ...(plan ? { plan } : {}),
            targets: (d.targets ?? []).map((t, i) => requireText(t, `targets[${i}]`, 100)),
            publisher: { orgId: requireText(d.publisher?.orgId, 'publisher.orgId', 100), name: requireText(d.publisher?.name, 'publisher.name', 200) },
            publishedAt: now,
          },
        },
      ];
    }
    case 'RecordInspection': {
      if (state.status !== 'open') throw new InvalidStateError('the inspection task is completed');
      if (!state.inspectors.includes(ctx.actor.userId) && !isSupervisionAgency(ctx.actor.role)) {
        throw new BusinessRuleError('NOT_ALLOWED', 'only an inspector assigned to this task may record a visit', { userId: ctx.actor.userId });
      }
      const d = command.data;
      const recordId = requireText(d.recordId, 'recordId', 100);
      if (state.records[recordId]) throw new InvalidStateError(`record ${recordId} already exists`);
      const visitedAt = requireInstant(d.visitedAt, 'visitedAt');
      if (visitedAt > now) throw new ValidationError('visitedAt', 'visitedAt is in the future');
      if (!Array.isArray(d.findings)) throw new ValidationError('findings', 'findings must be a list (empty when nothing was found)');
      const findings = d.findings.map((f, i) => {
        if (!(FINDING_SEVERITIES as readonly string[]).includes(f?.severity)) throw new ValidationError(`findings[${i}].severity`, `severity must be one of ${FINDING_SEVERITIES.join(', ')}`);
        return { description: requireText(f.description, `findings[${i}].description`, 2000), severity: f.severity };
      });
      const checklist = (d.checklist ?? []).map((c, i) => {
        if (typeof c?.ok !== 'boolean') throw new ValidationError(`checklist[${i}].ok`, 'ok must be true or false');
        const note = optionalText(c.note, `checklist[${i}].note`, 1000);
        return { item: requireText(c.item, `checklist[${i}].item`, 300), ok: c.ok, ...(note ? { note } : {}) };
      });
      return [
        {
          type: 'InspectionRecorded',
          data: {
            inspectionId: state.inspectionId,
            recordId,
            subject: validateSubject(d.subject, state.regionCode),
            visitedAt,
            checklist,
            findings,
            conclusion: requireText(d.conclusion, 'conclusion', 5000),
            guidedToRegister: d.guidedToRegister === true,
            inspector: { userId: ctx.actor.userId, orgId: ctx.actor.orgId },
            recordedAt: now,
          },
        },
      ];
    }
    case 'ReferInspectionFindings': {
      const d = command.data;
      const record = state.records[d.recordId];
      if (!record) throw new ValidationError('recordId', `no record ${d.recordId} in this inspection`);
      if (record.caseId) throw new InvalidStateError(`record ${d.recordId} was already referred as case ${record.caseId}`);
      if (record.findings.length === 0) throw new BusinessRuleError('NOTHING_TO_REFER', 'the record has no findings to refer to enforcement');
      return [
        {
          type: 'InspectionReferred',
          data: {
            inspectionId: state.inspectionId,
            recordId: d.recordId,
            caseId: requireText(d.caseId, 'caseId', 100),
            subject: record.subject,
            findings: record.findings,
            note: optionalText(d.note, 'note', 2000) ?? null,
            referredAt: now,
          },
        },
      ];
    }
    case 'CompleteInspection': {
      if (state.status !== 'open') throw new InvalidStateError('the inspection task is already completed');
      assertSupervisionAgency(ctx.actor, 'complete an inspection task');
      return [
        {
          type: 'InspectionCompleted',
          data: { inspectionId: state.inspectionId, regionCode: state.regionCode, summary: requireText(command.data.summary, 'summary', 5000), records: Object.keys(state.records).length, completedAt: now },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export function inspectionStreamId(inspectionId: string): string {
  return `inspection-${inspectionId}`;
}

export const decider: Decider<InspectionCommand, InspectionEvent, InspectionState, DecisionContext> = { decide, evolve, initialState };
