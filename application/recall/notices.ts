import { decider as recallDecider, recallStreamId } from '../../domain/recall';
import type { DecisionContext } from '../../domain/shared/actor';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import type { HolderRecall } from '../incidents/incident-chain';

/**
 * 召回通知 writes for the holders of an incident's chain: a new notice for a holder not notified yet, an
 * update for one whose lots changed (a lot added, more passed on), nothing otherwise. Part of the incident
 * command's own append, so a response never starts without its notices.
 */
export async function recallNoticeWrites(ledger: Ledger, incidentId: string, holders: HolderRecall[], deadline: string, ctx: DecisionContext): Promise<StreamWrite[]> {
  const writes: StreamWrite[] = [];
  for (const { holder, lots } of holders) {
    const stream = await ledger.load(recallStreamId(incidentId, holder.entityId), recallDecider);
    const events =
      stream.state.status === 'none'
        ? recallDecider.decide({ type: 'IssueRecallNotice', data: { incidentId, holder, lots, deadline } }, stream.state, ctx)
        : recallDecider.decide({ type: 'UpdateRecallLots', data: { lots } }, stream.state, ctx);
    if (events.length > 0) writes.push({ stream, events });
  }
  return writes;
}
