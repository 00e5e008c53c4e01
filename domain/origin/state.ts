import { assertNever } from '../shared/event';
import type { OriginRecordEvent } from './events';
import type { OriginRecordFields, ReviewState } from './types';

export interface OriginRecordState {
  status: 'none' | 'active' | 'retired';
  recordId: string;
  fields: OriginRecordFields | null;
  fingerprint: string;
  reviewState: ReviewState;
  /** Who must answer the county: the last collector or changer. */
  collectorUserId: string;
  openReturn: { returnedAt: string; deadline: string; overdueFlagged: boolean } | null;
  refreshDueAt: string;
}

export function initialState(): OriginRecordState {
  return { status: 'none', recordId: '', fields: null, fingerprint: '', reviewState: 'pending', collectorUserId: '', openReturn: null, refreshDueAt: '' };
}

export function evolve(state: OriginRecordState, event: OriginRecordEvent): OriginRecordState {
  switch (event.type) {
    case 'OriginRecordCollected': {
      const d = event.data;
      return { ...state, status: 'active', recordId: d.recordId, fields: d.fields, fingerprint: d.fingerprint, reviewState: d.reviewState, collectorUserId: d.collectedBy.userId, refreshDueAt: d.refreshDueAt };
    }
    case 'OriginRecordChanged': {
      const d = event.data;
      return { ...state, fields: d.fields, fingerprint: d.fingerprint, reviewState: d.reviewState, collectorUserId: d.changedBy.userId, openReturn: null, refreshDueAt: d.refreshDueAt };
    }
    case 'OriginRecordRefreshed':
      return { ...state, refreshDueAt: event.data.refreshDueAt, reviewState: event.data.reviewState };
    case 'OriginRecordApproved':
      return { ...state, reviewState: 'approved', openReturn: null };
    case 'OriginRecordReturned':
      return { ...state, reviewState: 'returned', openReturn: { returnedAt: event.data.returnedAt, deadline: event.data.deadline, overdueFlagged: false } };
    case 'OriginReturnOverdue':
      return state.openReturn ? { ...state, openReturn: { ...state.openReturn, overdueFlagged: true } } : state;
    case 'OriginRecordRetired':
      return { ...state, status: 'retired' };
    default:
      return assertNever(event);
  }
}
