import { CASE_EVENT_TYPES, type CaseEvent } from '../../domain/enforcement';
import type { Projection } from '../runner/projection';

/** `cases`: enforcement cases with their referral, actions and outcome. */
export const casesProjection: Projection = {
  name: 'cases',
  version: 1,
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
        subject: d.subject,
        regionCode: d.subject.regionCode,
        entityId: d.subject.entityId,
        product: d.product,
        traceCodes: d.traceCodes,
        summary: d.summary,
        referredBy: d.referredBy,
        openedAt: d.openedAt,
        actions: [],
        outcome: null,
        closedAt: null,
      });
      return;
    }
    const doc = await ctx.get('cases', event.data.caseId);
    if (!doc) throw new Error(`cases: ${event.type} for unknown case ${event.data.caseId}`);
    if (event.type === 'CaseActionRecorded') {
      const { caseId: _c, regionCode: _r, ...action } = event.data;
      ctx.put('cases', { ...doc, actions: [...(doc.actions as unknown[]), action] });
    } else {
      ctx.put('cases', { ...doc, status: 'closed', outcome: event.data.outcome, closeSummary: event.data.summary, penaltyYuan: event.data.penaltyYuan, closedAt: event.data.closedAt, closedBy: event.data.closedBy });
    }
  },
};
