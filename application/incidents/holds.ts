import { decider as lotDecider, lotStreamId } from '../../domain/lots';
import type { DecisionContext } from '../../domain/shared/actor';
import type { Ledger, StreamWrite } from '../ledger/ledger';

/** One hold id per incident, the same on every lot it concerns, so the close lifts it wherever it is. */
export const incidentHoldId = (incidentId: string): string => `incident-${incidentId}`;

/** 暂停销售 for every lot of the chain that does not carry this incident's hold yet. */
export async function holdWrites(ledger: Ledger, incidentId: string, traceCodes: string[], reason: string, ctx: DecisionContext): Promise<StreamWrite[]> {
  const holdId = incidentHoldId(incidentId);
  const writes: StreamWrite[] = [];
  for (const code of traceCodes) {
    const lot = await ledger.load(lotStreamId(code), lotDecider);
    if (lot.state.status === 'none' || lot.state.holds[holdId]) continue;
    writes.push({ stream: lot, events: lotDecider.decide({ type: 'PutOnHold', data: { holdId, owner: { kind: 'incident', id: incidentId }, reason } }, lot.state, ctx) });
  }
  return writes;
}

/** The close lifts the incident's hold from every lot that still carries it (the owner's own decision). */
export async function liftWrites(ledger: Ledger, incidentId: string, traceCodes: string[], reason: string, ctx: DecisionContext): Promise<StreamWrite[]> {
  const holdId = incidentHoldId(incidentId);
  const writes: StreamWrite[] = [];
  for (const code of traceCodes) {
    const lot = await ledger.load(lotStreamId(code), lotDecider);
    if (!lot.state.holds[holdId]) continue;
    writes.push({
      stream: lot,
      events: lotDecider.decide({ type: 'LiftHold', data: { holdId, decision: { kind: 'incident-closed', incidentId }, reason } }, lot.state, ctx),
    });
  }
  return writes;
}
