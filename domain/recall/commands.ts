import type { Quantity } from '../shared/quantity';
import type { RecallHolder, RecallLot } from './types';

/** 召回通知: one notice per holder, listing the holder's lots of the chain. */
export type IssueRecallNotice = {
  type: 'IssueRecallNotice';
  data: { incidentId: string; holder: RecallHolder; lots: RecallLot[]; deadline: string };
};
/** The chain grew: another lot for this holder, or more of a lot passed on (a pending hand-over confirmed). */
export type UpdateRecallLots = { type: 'UpdateRecallLots'; data: { lots: RecallLot[] } };
/** The holder confirms receipt of the notice (签收). */
export type AcknowledgeRecall = { type: 'AcknowledgeRecall'; data: { note: string | null } };
/** The holder reports quantities, per lot, in any unit convertible to the lot's. Reports add up. */
export type ReportRecallQuantities = {
  type: 'ReportRecallQuantities';
  data: {
    reportId: string;
    lots: { traceCode: string; recovered?: Quantity; destroyed?: Quantity; soldToConsumers?: Quantity }[];
    note: string | null;
  };
};
/** The deadline passed: a holder who has not acknowledged is escalated (nothing happens otherwise). */
export type EscalateOverdueRecall = { type: 'EscalateOverdueRecall'; data: Record<string, never> };

export type RecallCommand = IssueRecallNotice | UpdateRecallLots | AcknowledgeRecall | ReportRecallQuantities | EscalateOverdueRecall;
