import { assertNever } from '../shared/event';
import type { RecallEvent } from './events';
import type { RecallHolder, RecallLot, RecallLotStanding, RecallTally } from './types';

export type RecallStatus = 'none' | 'notified' | 'acknowledged';

export interface RecallLotState extends RecallLot {
  tally: RecallTally;
}

export interface RecallState {
  status: RecallStatus;
  incidentId: string;
  holder: RecallHolder | null;
  lots: Record<string, RecallLotState>;
  deadline: string;
  escalated: boolean;
  reportIds: string[];
}

export function initialState(): RecallState {
  return { status: 'none', incidentId: '', holder: null, lots: {}, deadline: '', escalated: false, reportIds: [] };
}

const EMPTY_TALLY: RecallTally = { recovered: 0, destroyed: 0, soldToConsumers: 0 };

/** What the holder must account for: received less what went on to another registered holder. */
export function affectedOf(lot: RecallLot): number {
  return Math.max(0, round3(lot.received - lot.passedOn));
}

export function accountedOf(tally: RecallTally): number {
  return round3(tally.recovered + tally.destroyed + tally.soldToConsumers);
}

/** Amounts carry at most 3 decimals (domain/shared/quantity.ts); sums are rounded back to them. */
export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function standingOf(state: RecallState): RecallLotStanding[] {
  return Object.values(state.lots).map((l) => ({
    traceCode: l.traceCode,
    unit: l.unit,
    affected: affectedOf(l),
    tally: { ...l.tally },
    accountedFor: accountedOf(l.tally),
  }));
}

function withLots(state: RecallState, lots: RecallLot[]): Record<string, RecallLotState> {
  const next = { ...state.lots };
  for (const l of lots) next[l.traceCode] = { ...l, tally: { ...(state.lots[l.traceCode]?.tally ?? EMPTY_TALLY) } };
  return next;
}

export function evolve(state: RecallState, event: RecallEvent): RecallState {
  switch (event.type) {
    case 'RecallNoticeIssued': {
      const d = event.data;
      return { ...state, status: 'notified', incidentId: d.incidentId, holder: { ...d.holder, contact: { ...d.holder.contact } }, lots: withLots(state, d.lots), deadline: d.deadline };
    }
    case 'RecallLotsUpdated':
      return { ...state, lots: withLots(state, event.data.lots) };
    case 'RecallAcknowledged':
      return { ...state, status: 'acknowledged' };
    case 'RecallQuantitiesReported': {
      const lots = { ...state.lots };
      for (const r of event.data.lots) {
        const lot = lots[r.traceCode]!;
        lots[r.traceCode] = {
          ...lot,
          tally: {
            recovered: round3(lot.tally.recovered + r.recovered),
            destroyed: round3(lot.tally.destroyed + r.destroyed),
            soldToConsumers: round3(lot.tally.soldToConsumers + r.soldToConsumers),
          },
        };
      }
      return { ...state, lots, reportIds: [...state.reportIds, event.data.reportId] };
    }
    case 'RecallEscalated':
      return { ...state, escalated: true };
    default:
      return assertNever(event);
  }
}
