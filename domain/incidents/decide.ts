import type { DecisionContext } from '../shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import { isChinesePhone, optionalText, requireRegionCode, requireText } from '../shared/validate';
import { traceCodeParts } from '../lots/trace-code';
import type { IncidentCommand, RecordIncident } from './commands';
import type { IncidentEvent } from './events';
import { leadCovers, leadRegionFor } from './lead-agency';
import { isOpen, type IncidentState } from './state';
import {
  HANDLING_KINDS,
  INCIDENT_CATEGORIES,
  INCIDENT_LEVELS,
  type HandlingDocument,
  type HandlingPerson,
  type HandlingRecord,
  type IncidentChainScope,
  type IncidentSource,
  type ResponsiblePerson,
} from './types';

export type IncidentContext = DecisionContext;

export function decide(command: IncidentCommand, state: IncidentState, ctx: IncidentContext): IncidentEvent[] {
  const now = ctx.now.toISOString();
  if (command.type === 'RecordIncident') {
    if (state.status !== 'none') throw new InvalidStateError(`incident ${state.incidentId} already exists`, { status: state.status });
    const data = validateRecord(command.data, ctx);
    const leadRegionCode = leadRegionFor([...data.chain.regionsTouched, data.place.regionCode]);
    return [{ type: 'IncidentRecorded', data: { ...data, leadRegionCode, recordedAt: now, recordedBy: ctx.actor.userId } }];
  }
  if (state.status === 'none') throw new InvalidStateError('incident does not exist', { status: state.status, command: command.type });
  if (!isOpen(state)) throw new InvalidStateError(`incident ${state.incidentId} is closed`, { incidentId: state.incidentId, status: state.status, command: command.type });
  const incidentId = state.incidentId;

  switch (command.type) {
    case 'GradeIncident': {
      const level = oneOf(command.data.level, INCIDENT_LEVELS, 'level');
      if (level === state.level) throw new InvalidStateError(`incident ${incidentId} is already graded ${level}`, { level });
      const reason = requireText(command.data.reason, 'reason', 2000);
      return [{ type: 'IncidentGraded', data: { incidentId, from: state.level, to: level, reason, gradedAt: now, gradedBy: ctx.actor.userId } }];
    }
    case 'ReviewIncident': {
      if (state.status !== 'recorded') throw new InvalidStateError(`incident ${incidentId} was already reviewed`, { status: state.status });
      if (ctx.actor.userId !== state.responsible?.userId) {
        throw new BusinessRuleError('NOT_ALLOWED', 'only the responsible person reviews whether to start the response', {
          responsible: state.responsible?.userId ?? null,
          actorUserId: ctx.actor.userId,
        });
      }
      const decision = oneOf(command.data.decision, ['start-response', 'no-response'] as const, 'decision');
      const opinion = requireText(command.data.opinion, 'opinion', 4000);
      const reviewed: IncidentEvent = { type: 'IncidentReviewed', data: { incidentId, decision, opinion, reviewedAt: now, reviewedBy: ctx.actor.userId } };
      if (decision === 'no-response') return [reviewed];
      const deadline = requireIsoTime(command.data.recallDeadline, 'recallDeadline');
      if (Date.parse(deadline) <= ctx.now.getTime()) throw new ValidationError('recallDeadline', 'recallDeadline must be in the future', { recallDeadline: deadline });
      const scope = merge(state, validateScope(command.data.chain, 'chain'));
      const escalation = escalate(state, scope.regionsTouched, now);
      return [
        reviewed,
        ...escalation,
        {
          type: 'ResponseStarted',
          data: {
            incidentId,
            startedAt: now,
            leadRegionCode: escalation.length > 0 ? escalation[0]!.data.to : state.leadRegionCode,
            ...scope,
            recallDeadline: deadline,
          },
        },
      ];
    }
    case 'ExtendIncidentChain': {
      const cause = requireText(command.data.cause, 'cause', 2000);
      const scope = merge(state, validateScope(command.data.chain, 'chain'));
      const addedTraceCodes = scope.traceCodes.filter((c) => !state.traceCodes.includes(c));
      const addedRegions = scope.regionsTouched.filter((r) => !state.regionsTouched.includes(r));
      const addedHolderEntityIds = scope.holderEntityIds.filter((e) => !state.holderEntityIds.includes(e));
      if (addedTraceCodes.length + addedRegions.length + addedHolderEntityIds.length === 0) return [];
      return [
        { type: 'IncidentChainExtended', data: { incidentId, cause, addedTraceCodes, addedRegions, addedHolderEntityIds, ...scope, extendedAt: now } },
        ...escalate(state, scope.regionsTouched, now),
      ];
    }
    case 'LogHandling': {
      const kind = oneOf(command.data.kind, HANDLING_KINDS, 'kind');
      const description = requireText(command.data.description, 'description', 4000);
      const documents = list(command.data.documents, 'documents', validateDocument);
      const people = list(command.data.people, 'people', validatePerson);
      return [{ type: 'HandlingLogged', data: { incidentId, seq: state.handlingSeq + 1, kind, description, documents, people, loggedAt: now, loggedBy: ctx.actor.userId } }];
    }
    case 'PublishPublicNotice': {
      if (state.status !== 'responding') throw new InvalidStateError('a public notice is published while the response runs', { status: state.status });
      const noticeId = requireText(command.data.noticeId, 'noticeId', 100);
      if (state.noticeIds.includes(noticeId)) throw new InvalidStateError(`notice ${noticeId} was already published`, { noticeId });
      const title = requireText(command.data.title, 'title', 200);
      const body = requireText(command.data.body, 'body', 4000);
      const asked = Array.isArray(command.data.traceCodes) ? command.data.traceCodes : [];
      asked.forEach((c, i) => {
        if (!state.traceCodes.includes(c)) throw new ValidationError(`traceCodes[${i}]`, `${c} is not a lot of this incident’s chain`, { traceCode: c });
      });
      const traceCodes = asked.length > 0 ? [...new Set(asked)] : [...state.traceCodes];
      return [{ type: 'PublicNoticePublished', data: { incidentId, noticeId, title, body, traceCodes, publishedAt: now } }];
    }
    case 'CloseIncident': {
      const record = validateRecordOfHandling(command.data.record);
      return [
        { type: 'IncidentClosed', data: { incidentId, record, closedAt: now, closedBy: ctx.actor.userId, responseRan: state.responseStarted, traceCodes: [...state.traceCodes] } },
      ];
    }
    default:
      return assertNever(command);
  }
}

/** LeadAgencyEscalated when the lead's region no longer contains every touched region (the place included). */
function escalate(state: IncidentState, regionsTouched: string[], now: string): Extract<IncidentEvent, { type: 'LeadAgencyEscalated' }>[] {
  if (leadCovers(state.leadRegionCode, regionsTouched)) return [];
  const to = leadRegionFor([...regionsTouched, state.leadRegionCode]);
  return [{ type: 'LeadAgencyEscalated', data: { incidentId: state.incidentId, from: state.leadRegionCode, to, regionsTouched, escalatedAt: now } }];
}

function merge(state: IncidentState, add: IncidentChainScope): IncidentChainScope {
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    regionsTouched: union(state.regionsTouched, add.regionsTouched).sort(),
    traceCodes: union(state.traceCodes, add.traceCodes),
    holderEntityIds: union(state.holderEntityIds, add.holderEntityIds),
  };
}

function validateRecord(d: RecordIncident['data'], ctx: IncidentContext): RecordIncident['data'] {
  if (typeof d !== 'object' || d === null) throw new ValidationError('(body)', 'an incident needs its record');
  const incidentId = requireText(d.incidentId, 'incidentId', 100);
  const title = requireText(d.title, 'title', 200);
  const description = requireText(d.description, 'description', 4000);
  const occurredAt = requireIsoTime(d.occurredAt, 'occurredAt');
  if (Date.parse(occurredAt) > ctx.now.getTime()) throw new ValidationError('occurredAt', 'occurredAt is in the future', { occurredAt });
  if (typeof d.place !== 'object' || d.place === null) throw new ValidationError('place', 'place is required');
  const place = { address: requireText(d.place.address, 'place.address'), regionCode: requireRegionCode(d.place.regionCode, 'place.regionCode') };
  const category = oneOf(d.category, INCIDENT_CATEGORIES, 'category');
  const level = oneOf(d.level, INCIDENT_LEVELS, 'level');
  const traceCodes = list<string>(d.traceCodes, 'traceCodes', (c, field) => {
    if (typeof c !== 'string' || !traceCodeParts(c)) throw new ValidationError(field, `${field} is not a well-formed trace code`, { value: c });
    return c;
  });
  const entityIds = list<string>(d.entityIds, 'entityIds', (e, field) => requireText(e, field, 100));
  return {
    incidentId,
    title,
    description,
    occurredAt,
    place,
    category,
    level,
    traceCodes: [...new Set(traceCodes)],
    entityIds: [...new Set(entityIds)],
    source: validateSource(d.source),
    responsible: validateResponsible(d.responsible),
    chain: validateScope(d.chain, 'chain'),
  };
}

function validateSource(s: IncidentSource): IncidentSource {
  if (typeof s !== 'object' || s === null) throw new ValidationError('source', 'source is required');
  switch (s.kind) {
    case 'failed-result':
      return { kind: 'failed-result', sampleId: requireText(s.sampleId, 'source.sampleId', 100) };
    case 'risk-warning':
      return { kind: 'risk-warning', warningId: requireText(s.warningId, 'source.warningId', 200) };
    case 'complaint':
      return { kind: 'complaint', complainant: requireText(s.complainant, 'source.complainant'), contact: optionalText(s.contact, 'source.contact', 100) ?? null };
    case 'manual':
      return { kind: 'manual' };
    default:
      throw new ValidationError('source.kind', "source.kind must be 'failed-result', 'risk-warning', 'complaint' or 'manual'");
  }
}

function validateResponsible(r: ResponsiblePerson): ResponsiblePerson {
  if (typeof r !== 'object' || r === null) throw new ValidationError('responsible', 'a responsible person is required');
  const phone = optionalText(r.phone, 'responsible.phone', 40) ?? null;
  if (phone !== null && !isChinesePhone(phone)) throw new ValidationError('responsible.phone', 'responsible.phone is not a phone number', { phone });
  return { userId: requireText(r.userId, 'responsible.userId', 100), name: requireText(r.name, 'responsible.name', 100), phone };
}

function validateScope(s: IncidentChainScope, field: string): IncidentChainScope {
  if (typeof s !== 'object' || s === null) throw new ValidationError(field, `${field} is required`);
  const regionsTouched = list<string>(s.regionsTouched, `${field}.regionsTouched`, (r, f) => {
    if (typeof r !== 'string' || !/^\d{6}$/.test(r)) throw new ValidationError(f, `${f} must be a 6-digit region code`, { value: r });
    return r;
  });
  const traceCodes = list<string>(s.traceCodes, `${field}.traceCodes`, (c, f) => requireText(c, f, 64));
  const holderEntityIds = list<string>(s.holderEntityIds, `${field}.holderEntityIds`, (e, f) => requireText(e, f, 100));
  return { regionsTouched: [...new Set(regionsTouched)].sort(), traceCodes: [...new Set(traceCodes)], holderEntityIds: [...new Set(holderEntityIds)] };
}

function validateDocument(d: HandlingDocument, field: string): HandlingDocument {
  if (typeof d !== 'object' || d === null) throw new ValidationError(field, `${field} must be an object`);
  const sha256 = d.sha256 ?? null;
  if (sha256 !== null && !/^[0-9a-f]{64}$/.test(sha256)) throw new ValidationError(`${field}.sha256`, `${field}.sha256 must be 64 lowercase hex digits`);
  return { name: requireText(d.name, `${field}.name`, 200), sha256 };
}

function validatePerson(p: HandlingPerson, field: string): HandlingPerson {
  if (typeof p !== 'object' || p === null) throw new ValidationError(field, `${field} must be an object`);
  return { name: requireText(p.name, `${field}.name`, 100), role: requireText(p.role, `${field}.role`, 100), phone: optionalText(p.phone, `${field}.phone`, 40) ?? null };
}

function validateRecordOfHandling(r: HandlingRecord): HandlingRecord {
  if (typeof r !== 'object' || r === null) throw new ValidationError('record', 'closing needs the handling record');
  return {
    summary: requireText(r.summary, 'record.summary', 4000),
    cause: requireText(r.cause, 'record.cause', 4000),
    measures: requireText(r.measures, 'record.measures', 4000),
    outcome: requireText(r.outcome, 'record.outcome', 4000),
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `${field} must be one of ${allowed.join(', ')}`, { value });
  }
  return value as T;
}

function list<T>(value: unknown, field: string, item: (v: T, field: string) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError(field, `${field} must be a list`);
  return value.map((v, i) => item(v as T, `${field}[${i}]`));
}

function requireIsoTime(value: unknown, field: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new ValidationError(field, `${field} must be an ISO date-time`, { value });
  }
  return new Date(value).toISOString();
}
