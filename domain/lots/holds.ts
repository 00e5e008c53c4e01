import { BusinessRuleError, ValidationError } from '../shared/errors';
import { requireText } from '../shared/validate';

/*
 * 暂停销售 (hold): while a lot carries a hold it cannot leave the traced chain — no shipment, no off-ledger
 * sale, no market-entry certificate. A hold belongs to the decision that put it there (its owner), and only
 * that owner's closing decision lifts it. One owner decision puts the same `holdId` on every lot it
 * concerns (the sampled lot, the lots downstream, a child born later from a pending transfer), so the
 * lifting decision lifts that holdId wherever it is.
 */

/** Who owns a hold: the failed lab result (with the case it was referred to), a case, or an incident. */
export type HoldOwner =
  | { kind: 'failed-result'; id: string /* sampleId */; caseId: string | null }
  | { kind: 'case'; id: string /* caseId */ }
  | { kind: 'incident'; id: string /* incidentId */ };

/** The decision that lifts a hold, named by what decided it. */
export type HoldLiftDecision =
  | { kind: 'retest-passed'; sampleId: string }
  | { kind: 'case-closed'; caseId: string; outcome: string }
  | { kind: 'incident-closed'; incidentId: string };

export interface LotHold {
  holdId: string;
  owner: HoldOwner;
  reason: string;
  heldAt: string;
  /** The lot the hold came from when this lot was born from a held lot (or held as downstream of one). */
  inheritedFrom: string | null;
}

/**
 * Whether `decision` is the owner's decision. A failed result is lifted by a passing re-test of the same
 * sample (复检结论为准) or by enforcement closing the case it was referred to; a case only by its closing;
 * an incident only by its close.
 */
export function ownsHold(owner: HoldOwner, decision: HoldLiftDecision): boolean {
  switch (owner.kind) {
    case 'failed-result':
      return (
        (decision.kind === 'retest-passed' && decision.sampleId === owner.id) ||
        (decision.kind === 'case-closed' && owner.caseId !== null && decision.caseId === owner.caseId)
      );
    case 'case':
      return decision.kind === 'case-closed' && decision.caseId === owner.id;
    case 'incident':
      return decision.kind === 'incident-closed' && decision.incidentId === owner.id;
    default:
      return false;
  }
}

/** What a refusal names: the hold, its reason and the case or incident behind it. */
export function holdDetails(hold: LotHold): Record<string, unknown> {
  return {
    holdId: hold.holdId,
    reason: hold.reason,
    owner: { ...hold.owner },
    caseId: hold.owner.kind === 'case' ? hold.owner.id : hold.owner.kind === 'failed-result' ? hold.owner.caseId : null,
    incidentId: hold.owner.kind === 'incident' ? hold.owner.id : null,
    sampleId: hold.owner.kind === 'failed-result' ? hold.owner.id : null,
  };
}

/** Refuses anything that would let goods of a held lot leave the chain (409 LOT_ON_HOLD). */
export function assertNotOnHold(traceCode: string, holds: Record<string, LotHold>, action: string): void {
  const all = Object.values(holds);
  if (all.length === 0) return;
  const first = all[0]!;
  throw new BusinessRuleError('LOT_ON_HOLD', `lot ${traceCode} is on hold (${first.reason}); it cannot ${action} until the hold is lifted`, {
    traceCode,
    ...holdDetails(first),
    holds: all.map(holdDetails),
  });
}

export function validateOwner(o: HoldOwner): HoldOwner {
  if (typeof o !== 'object' || o === null) throw new ValidationError('owner', 'a hold names its owner');
  const id = requireText(o.id, 'owner.id', 100);
  switch (o.kind) {
    case 'failed-result':
      return { kind: 'failed-result', id, caseId: o.caseId == null ? null : requireText(o.caseId, 'owner.caseId', 100) };
    case 'case':
      return { kind: 'case', id };
    case 'incident':
      return { kind: 'incident', id };
    default:
      throw new ValidationError('owner.kind', "owner.kind must be 'failed-result', 'case' or 'incident'");
  }
}

export function validateDecision(d: HoldLiftDecision): HoldLiftDecision {
  if (typeof d !== 'object' || d === null) throw new ValidationError('decision', 'lifting a hold names the decision that lifts it');
  switch (d.kind) {
    case 'retest-passed':
      return { kind: 'retest-passed', sampleId: requireText(d.sampleId, 'decision.sampleId', 100) };
    case 'case-closed':
      return { kind: 'case-closed', caseId: requireText(d.caseId, 'decision.caseId', 100), outcome: requireText(d.outcome, 'decision.outcome', 40) };
    case 'incident-closed':
      return { kind: 'incident-closed', incidentId: requireText(d.incidentId, 'decision.incidentId', 100) };
    default:
      throw new ValidationError('decision.kind', "decision.kind must be 'retest-passed', 'case-closed' or 'incident-closed'");
  }
}
