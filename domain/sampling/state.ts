import { assertNever } from '../shared/event';
import type { MonitoringModel } from '../monitoring/model';
import type { OrgRef } from '../monitoring/types';
import type { SampleEvent } from './events';
import type { SampleSubject } from './types';
import type { Verdict } from './verdict';

export type SampleStatus = 'none' | 'taken' | 'tested' | 'retest-requested' | 'retested';

export interface SampleState {
  status: SampleStatus;
  sampleId: string;
  taskId: string;
  labOrgId: string;
  product: string;
  subject?: SampleSubject;
  traceCode: string | null;
  publisher?: OrgRef;
  sampledAt: string;
  model?: MonitoringModel;
  initialVerdict?: Verdict;
  retestVerdict?: Verdict;
  retestLab?: OrgRef;
  caseId?: string;
}

export function initialState(): SampleState {
  return { status: 'none', sampleId: '', taskId: '', labOrgId: '', product: '', traceCode: null, sampledAt: '' };
}

/** The verdict that stands: the re-test's when there is one (复检结论为准), else the first result's. */
export function finalVerdict(state: SampleState): Verdict | undefined {
  return state.retestVerdict ?? state.initialVerdict;
}

export function evolve(state: SampleState, event: SampleEvent): SampleState {
  switch (event.type) {
    case 'SampleTaken': {
      const d = event.data;
      return {
        ...state,
        status: 'taken',
        sampleId: d.sampleId,
        taskId: d.taskId,
        labOrgId: d.labOrgId,
        product: d.product,
        subject: { ...d.subject },
        traceCode: d.traceCode,
        publisher: { ...d.publisher },
        sampledAt: d.sampledAt,
        model: d.model,
      };
    }
    case 'ResultRecorded':
      return event.data.round === 'initial'
        ? { ...state, status: 'tested', initialVerdict: event.data.verdict }
        : { ...state, status: 'retested', retestVerdict: event.data.verdict };
    case 'RetestRequested':
      return { ...state, status: 'retest-requested', retestLab: { ...event.data.retestLab } };
    case 'SampleReferred':
      return { ...state, caseId: event.data.caseId };
    default:
      return assertNever(event);
  }
}
