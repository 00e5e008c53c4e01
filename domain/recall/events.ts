import type { DomainEvent } from '../shared/event';
import type { RecallHolder, RecallLot, RecallLotStanding } from './types';

/*
 * Events of one holder's recall, stream `recall-{incidentId}-{holderEntityId}`. Each carries the standing of
 * the lots after it (affected, tally, accounted for), so the progress read model only adds up.
 */
export type RecallNoticeIssued = DomainEvent<
  'RecallNoticeIssued',
  { incidentId: string; holder: RecallHolder; lots: RecallLot[]; deadline: string; issuedAt: string; standing: RecallLotStanding[] }
>;
export type RecallLotsUpdated = DomainEvent<
  'RecallLotsUpdated',
  { incidentId: string; holderEntityId: string; regionCode: string; lots: RecallLot[]; updatedAt: string; standing: RecallLotStanding[] }
>;
export type RecallAcknowledged = DomainEvent<
  'RecallAcknowledged',
  { incidentId: string; holderEntityId: string; regionCode: string; note: string | null; acknowledgedAt: string; acknowledgedBy: string }
>;
export type RecallQuantitiesReported = DomainEvent<
  'RecallQuantitiesReported',
  {
    incidentId: string;
    holderEntityId: string;
    regionCode: string;
    reportId: string;
    /** What this report adds, per lot, in the lot's unit. */
    lots: { traceCode: string; unit: string; recovered: number; destroyed: number; soldToConsumers: number }[];
    note: string | null;
    reportedAt: string;
    reportedBy: string;
    standing: RecallLotStanding[];
  }
>;
export type RecallEscalated = DomainEvent<
  'RecallEscalated',
  { incidentId: string; holderEntityId: string; regionCode: string; holderName: string; deadline: string; escalatedAt: string }
>;

export type RecallEvent = RecallNoticeIssued | RecallLotsUpdated | RecallAcknowledged | RecallQuantitiesReported | RecallEscalated;

export const RECALL_EVENT_TYPES: RecallEvent['type'][] = ['RecallNoticeIssued', 'RecallLotsUpdated', 'RecallAcknowledged', 'RecallQuantitiesReported', 'RecallEscalated'];
