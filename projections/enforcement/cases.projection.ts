import { CASE_EVENT_TYPES, type CaseEvent } from '../../domain/enforcement';
import type { Projection } from '../runner/projection';

interface OrderDoc {
  seq: number;
  deadline: string;
  dueAt: string;
  status: 'pending' | 'overdue' | 'complied';
  overdueAt: string | null;
  verifiedSeq: number | null;
}

/**
 * `cases`: enforcement cases with their referral, actions and outcome, and their orders to correct
 * (责令限期整改) with each one's deadline and standing — `overdueOrders` counts those whose deadline passed
 * unverified, so the inbox can sort and flag them without opening each case.
 */
export const casesProjection: Projection = {
  name: 'cases',
  version: 2,
  handles: CASE_EVENT_TYPES,
  collections: ['cases'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as CaseEvent;
    if (event.type === 'CaseOpened') {
      const d = event.data;
      ctx.put('cases', {
        _id: d.caseId,
        caseId: d.caseId,
        status: 'open',
        referral: d.referral,
        referralKind: d.referral.kind,
        sampleId: d.referral.kind === 'sample' ? d.referral.sampleId : null,
        subject: { ...d.subject, unregistered: d.subject.unregistered ?? null },
        unregistered: Boolean(d.subject.unregistered),
        regionCode: d.subject.regionCode,
        entityId: d.subject.entityId,
        product: d.product,
        traceCodes: d.traceCodes,
        summary: d.summary,
        referredBy: d.referredBy,
        openedAt: d.openedAt,
        actions: [],
        orders: [],
        overdueOrders: 0,
        outcome: null,
        closedAt: null,
      });
      return;
    }
    const doc = await ctx.get('cases', event.data.caseId);
    if (!doc) throw new Error(`cases: ${event.type} for unknown case ${event.data.caseId}`);
    const orders = ((doc.orders as OrderDoc[] | undefined) ?? []).slice();
    const overdue = (list: OrderDoc[]) => list.filter((o) => o.status === 'overdue').length;
    switch (event.type) {
      case 'CaseActionRecorded': {
        const { caseId: _c, regionCode: _r, ...action } = event.data;
        if (action.kind === 'rectification-order' && action.deadline && action.dueAt)
          orders.push({ seq: action.seq, deadline: action.deadline, dueAt: action.dueAt, status: 'pending', overdueAt: null, verifiedSeq: null });
        if (action.kind === 'rectification-verified' && action.orderSeq) {
          const i = orders.findIndex((o) => o.seq === action.orderSeq);
          if (i >= 0) orders[i] = { ...orders[i]!, status: 'complied', verifiedSeq: action.seq };
        }
        ctx.put('cases', { ...doc, actions: [...(doc.actions as unknown[]), action], orders, overdueOrders: overdue(orders) });
        return;
      }
      case 'RectificationOverdue': {
        const i = orders.findIndex((o) => o.seq === event.data.orderSeq);
        if (i >= 0 && orders[i]!.status === 'pending') orders[i] = { ...orders[i]!, status: 'overdue', overdueAt: event.data.recordedAt };
        ctx.put('cases', { ...doc, orders, overdueOrders: overdue(orders) });
        return;
      }
      case 'CaseClosed':
        ctx.put('cases', { ...doc, status: 'closed', outcome: event.data.outcome, closeSummary: event.data.summary, penaltyYuan: event.data.penaltyYuan, closedAt: event.data.closedAt, closedBy: event.data.closedBy });
        return;
    }
  },
};
