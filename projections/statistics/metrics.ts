import { isCountUnit, toBaseUnit, type Quantity } from '../../domain/shared/quantity';

/**
 * The counters of a bucket. Names carry no dots (Mongo field paths) and use `name:qualifier` for a split
 * (by entity type, verdict, level, analyte, unit). Two kinds:
 *  - flows: how many things happened in the period (applied, created, confirmed, …);
 *  - net counters (marked NET): +1 when a thing enters a state, −1 when it leaves it. Summed over a period
 *    they give the change; in the `all` bucket they give the current number (pending, open).
 */
export const METRIC = {
  entitiesApplied: 'entitiesApplied',
  entitiesApproved: 'entitiesApproved',
  entitiesRejected: 'entitiesRejected',
  /** NET: applications awaiting the county's review. */
  entitiesPending: 'entitiesPending',
  reviewsOnTime: 'reviewsOnTime',
  reviewsLate: 'reviewsLate',
  /** NET, bucketed by the review deadline's day (not the event's): summed over past days = overdue now. */
  reviewsDueOpen: 'reviewsDueOpen',
  /** Entities that traded by scan-to-trade at least once (counted once, at the first hand-over). */
  entitiesTrading: 'entitiesTrading',
  lotsCreated: 'lotsCreated',
  lotsProduced: 'lotsProduced',
  lotsReceived: 'lotsReceived',
  producedQty: 'producedQty',
  transfersInitiated: 'transfersInitiated',
  transfersConfirmed: 'transfersConfirmed',
  transfersRejected: 'transfersRejected',
  transferredQty: 'transferredQty',
  offLedgerShipments: 'offLedgerShipments',
  certificates: 'certificates',
  certifiedQty: 'certifiedQty',
  /** Lots that entered a market with a certificate (counted once per lot, at its first certificate). */
  lotsCertified: 'lotsCertified',
  samples: 'samples',
  results: 'results',
  retests: 'retests',
  analyteTested: 'analyteTested',
  analytePass: 'analytePass',
  analyteFail: 'analyteFail',
  warningsRaised: 'warningsRaised',
  warningsAcknowledged: 'warningsAcknowledged',
  warningsClosed: 'warningsClosed',
  /** NET, split by level too. */
  warningsOpen: 'warningsOpen',
  /** NET by state (raised / acknowledged / closed). */
  warningState: 'warningState',
  casesOpened: 'casesOpened',
  casesClosed: 'casesClosed',
  /** NET */
  casesOpen: 'casesOpen',
  inspectionTasks: 'inspectionTasks',
  inspections: 'inspections',
  inspectionsWithFindings: 'inspectionsWithFindings',
  inspectionFindings: 'inspectionFindings',
  /** Consumers' lookups of the public trace page (查询行为分析), by the lot's region and product. */
  lookups: 'lookups',
} as const;

export function split(metric: string, qualifier: string): string {
  return `${metric}:${qualifier}`;
}

/**
 * A quantity as counters: mass in whole grams (`name:g`; sub-gram remainders are rounded — statistics, not
 * the ledger), each count unit by itself (`name:head`), since a box and a piece never convert.
 */
export function quantityCounters(metric: string, q: Quantity | null | undefined): Record<string, number> {
  if (!q) return {};
  if (isCountUnit(q.unit)) return { [split(metric, q.unit)]: q.amount };
  return { [split(metric, 'g')]: Math.round(toBaseUnit(q).amount / 1000) };
}
