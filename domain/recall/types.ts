/** 召回 vocabulary: who is asked to recall what, and what they report back. */

export interface RecallHolder {
  entityId: string;
  name: string;
  eid: string | null;
  /** 6-digit county code of the holder. */
  regionCode: string;
  contact: { person: string | null; phone: string | null };
}

/**
 * One lot of the notice, in the lot's unit. `received` is what came to the holder (produced, for an origin
 * lot); `passedOn` what went on to another registered holder of the chain (who answers for it in their own
 * notice). The holder accounts for the rest — still in stock, sold off the ledger, entered a market.
 */
export interface RecallLot {
  traceCode: string;
  product: string;
  unit: string;
  received: number;
  passedOn: number;
}

/** What a holder accounts for, per lot: 已追回 recovered, 已销毁 destroyed, 已售出 (to consumers, beyond recall). */
export const RECALL_DISPOSITIONS = ['recovered', 'destroyed', 'soldToConsumers'] as const;
export type RecallDisposition = (typeof RECALL_DISPOSITIONS)[number];

export type RecallTally = Record<RecallDisposition, number>;

/** Per lot after an event: what is affected, what is accounted for (the sum of the tally). */
export interface RecallLotStanding {
  traceCode: string;
  unit: string;
  affected: number;
  tally: RecallTally;
  accountedFor: number;
}
