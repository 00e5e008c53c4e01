import { assertNever } from '../shared/event';
import type { IncidentEvent } from './events';
import type { IncidentLevel, ResponsiblePerson } from './types';

/** recorded → (review) responding | declined → closed. A declined incident can still be closed with its record. */
export type IncidentStatus = 'none' | 'recorded' | 'responding' | 'declined' | 'closed';

export interface IncidentState {
  status: IncidentStatus;
  incidentId: string;
  level: IncidentLevel;
  responsible: ResponsiblePerson | null;
  leadRegionCode: string;
  regionsTouched: string[];
  traceCodes: string[];
  holderEntityIds: string[];
  responseStarted: boolean;
  handlingSeq: number;
  noticeIds: string[];
}

export function initialState(): IncidentState {
  return {
    status: 'none',
    incidentId: '',
    level: 'general',
    responsible: null,
    leadRegionCode: '',
    regionsTouched: [],
    traceCodes: [],
    holderEntityIds: [],
    responseStarted: false,
    handlingSeq: 0,
    noticeIds: [],
  };
}

export function evolve(state: IncidentState, event: IncidentEvent): IncidentState {
  switch (event.type) {
    case 'IncidentRecorded': {
      const d = event.data;
      return {
        ...state,
        status: 'recorded',
        incidentId: d.incidentId,
        level: d.level,
        responsible: { ...d.responsible },
        leadRegionCode: d.leadRegionCode,
        regionsTouched: [...d.chain.regionsTouched],
        traceCodes: [...d.chain.traceCodes],
        holderEntityIds: [...d.chain.holderEntityIds],
      };
    }
    case 'IncidentGraded':
      return { ...state, level: event.data.to };
    case 'IncidentReviewed':
      return event.data.decision === 'no-response' ? { ...state, status: 'declined' } : state;
    case 'ResponseStarted': {
      const d = event.data;
      return {
        ...state,
        status: 'responding',
        responseStarted: true,
        leadRegionCode: d.leadRegionCode,
        regionsTouched: [...d.regionsTouched],
        traceCodes: [...d.traceCodes],
        holderEntityIds: [...d.holderEntityIds],
      };
    }
    case 'IncidentChainExtended': {
      const d = event.data;
      return { ...state, regionsTouched: [...d.regionsTouched], traceCodes: [...d.traceCodes], holderEntityIds: [...d.holderEntityIds] };
    }
    case 'LeadAgencyEscalated':
      return { ...state, leadRegionCode: event.data.to };
    case 'HandlingLogged':
      return { ...state, handlingSeq: event.data.seq };
    case 'PublicNoticePublished':
      return { ...state, noticeIds: [...state.noticeIds, event.data.noticeId] };
    case 'IncidentClosed':
      return { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}

export function isOpen(state: IncidentState): boolean {
  return state.status === 'recorded' || state.status === 'responding' || state.status === 'declined';
}
