import type { DomainEvent } from '../shared/event';
import type { RecordIncident } from './commands';
import type { HandlingDocument, HandlingKind, HandlingPerson, HandlingRecord, IncidentLevel } from './types';

/*
 * Events of 应急事件, stream `incident-{id}`. Each carries what a projection needs without replaying the
 * stream: the lead agency's region after it, and the full chain scope where the scope changes.
 */
export type IncidentRecorded = DomainEvent<
  'IncidentRecorded',
  RecordIncident['data'] & { leadRegionCode: string; recordedAt: string; recordedBy: string }
>;
export type IncidentGraded = DomainEvent<'IncidentGraded', { incidentId: string; from: IncidentLevel; to: IncidentLevel; reason: string; gradedAt: string; gradedBy: string }>;
export type IncidentReviewed = DomainEvent<
  'IncidentReviewed',
  { incidentId: string; decision: 'start-response' | 'no-response'; opinion: string; reviewedAt: string; reviewedBy: string }
>;
/** 启动应急处置: the grant to the lead and affected agencies starts here; the lots go on hold; notices go out. */
export type ResponseStarted = DomainEvent<
  'ResponseStarted',
  {
    incidentId: string;
    startedAt: string;
    leadRegionCode: string;
    regionsTouched: string[];
    traceCodes: string[];
    holderEntityIds: string[];
    recallDeadline: string;
  }
>;
/** The chain grew; `added*` is what is new, the rest the whole scope after it. */
export type IncidentChainExtended = DomainEvent<
  'IncidentChainExtended',
  {
    incidentId: string;
    cause: string;
    addedTraceCodes: string[];
    addedRegions: string[];
    addedHolderEntityIds: string[];
    regionsTouched: string[];
    traceCodes: string[];
    holderEntityIds: string[];
    extendedAt: string;
  }
>;
/** 升级: the chain reaches beyond the lead agency's region, so a higher level leads. */
export type LeadAgencyEscalated = DomainEvent<
  'LeadAgencyEscalated',
  { incidentId: string; from: string; to: string; regionsTouched: string[]; escalatedAt: string }
>;
export type HandlingLogged = DomainEvent<
  'HandlingLogged',
  { incidentId: string; seq: number; kind: HandlingKind; description: string; documents: HandlingDocument[]; people: HandlingPerson[]; loggedAt: string; loggedBy: string }
>;
export type PublicNoticePublished = DomainEvent<
  'PublicNoticePublished',
  { incidentId: string; noticeId: string; title: string; body: string; traceCodes: string[]; publishedAt: string }
>;
export type IncidentClosed = DomainEvent<
  'IncidentClosed',
  { incidentId: string; record: HandlingRecord; closedAt: string; closedBy: string; responseRan: boolean; traceCodes: string[] }
>;

export type IncidentEvent =
  | IncidentRecorded
  | IncidentGraded
  | IncidentReviewed
  | ResponseStarted
  | IncidentChainExtended
  | LeadAgencyEscalated
  | HandlingLogged
  | PublicNoticePublished
  | IncidentClosed;

export const INCIDENT_EVENT_TYPES: IncidentEvent['type'][] = [
  'IncidentRecorded',
  'IncidentGraded',
  'IncidentReviewed',
  'ResponseStarted',
  'IncidentChainExtended',
  'LeadAgencyEscalated',
  'HandlingLogged',
  'PublicNoticePublished',
  'IncidentClosed',
];
