import { decider as lotDecider, lotStreamId, ownsHold, type HoldLiftDecision, type HoldOwner } from '../../domain/lots';
import type { DecisionContext } from '../../domain/shared/actor';
import type { EventStore } from '../ports/event-store';
import type { ProjectionProgress, ReadModels } from '../ports/read-models';
import type { Filter } from '../ports/read-store';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import { deterministicId } from '../quality/deterministic-id';

/*
 * The writes that put lots on hold and lift them (暂停销售), for the decisions that own holds: a failed
 * result (application/sampling), a case closing (application/enforcement), an incident (application/
 * incidents). They are parts of the owning command's append, so a hold never exists without its decision
 * and a decision never closes while its holds stay open.
 */

/** One hold per failed sample: the same id on every lot it reaches, so its lifting reaches them all. */
export function failedResultHoldId(sampleId: string): string {
  return deterministicId('HL', 'failed-result', sampleId);
}

export interface HoldRequest {
  holdId: string;
  owner: HoldOwner;
  /** The reason shown on the lot; `inheritedFrom` set for a lot held as downstream of another. */
  lots: { traceCode: string; reason: string; inheritedFrom: string | null }[];
}

/** A LotPutOnHold on each existing lot that does not carry the hold yet. */
export async function putOnHoldWrites(ledger: Ledger, request: HoldRequest, ctx: DecisionContext): Promise<StreamWrite[]> {
  const writes: StreamWrite[] = [];
  for (const lot of request.lots) {
    const stream = await ledger.load(lotStreamId(lot.traceCode), lotDecider);
    if (stream.state.status === 'none' || stream.state.holds[request.holdId]) continue;
    const command = { type: 'PutOnHold' as const, data: { holdId: request.holdId, owner: request.owner, reason: lot.reason, inheritedFrom: lot.inheritedFrom } };
    writes.push({ stream, events: lotDecider.decide(command, stream.state, ctx) });
  }
  return writes;
}

export interface LiftDeps {
  ledger: Ledger;
  models: ReadModels;
  progress: ProjectionProgress;
  store: EventStore;
}

/** Where the lots read model files the holds a decision owns (projections/lots/lot-holds.ts, holdKeys). */
function ownedFilter(decision: HoldLiftDecision): Filter {
  switch (decision.kind) {
    case 'retest-passed':
      return { holdKeys: `sample:${decision.sampleId}` };
    case 'case-closed':
      return { holdKeys: `case:${decision.caseId}` };
    case 'incident-closed':
      return { holdKeys: `incident:${decision.incidentId}` };
  }
}

/**
 * A LotHoldLifted for every hold `decision` owns, on every lot that carries one. The lots are found in
 * the read model once it has caught up with the ledger; each lot stream then decides for itself (its
 * decider refuses a decision that does not own the hold). A lot born held while this command runs
 * changes its parent's revision, so the append conflicts and the command is run again, finding it.
 */
export async function liftHoldWrites(deps: LiftDeps, decision: HoldLiftDecision, reason: string, ctx: DecisionContext): Promise<StreamWrite[]> {
  await deps.progress.waitFor(await deps.store.headPosition(), 10_000);
  const lots = await deps.models.find('lots', ownedFilter(decision), { limit: 100_000 });
  const writes: StreamWrite[] = [];
  for (const doc of lots) {
    const stream = await deps.ledger.load(lotStreamId(doc._id), lotDecider);
    let state = stream.state;
    const events = [];
    for (const hold of Object.values(stream.state.holds)) {
      if (!ownsHold(hold.owner, decision)) continue;
      const lifted = lotDecider.decide({ type: 'LiftHold', data: { holdId: hold.holdId, decision, reason } }, state, ctx);
      state = lifted.reduce(lotDecider.evolve, state);
      events.push(...lifted);
    }
    if (events.length) writes.push({ stream, events });
  }
  return writes;
}
