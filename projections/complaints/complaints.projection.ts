import { COMPLAINT_EVENT_TYPES, type ComplaintEvent } from '../../domain/complaints';
import type { Projection } from '../runner/projection';

/** `complaints`: 12316 complaints and messages with their answer, listed by the county that answers them. */
export const complaintsProjection: Projection = {
  name: 'complaints',
  version: 1,
  handles: COMPLAINT_EVENT_TYPES,
  collections: ['complaints'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as ComplaintEvent;
    if (event.type === 'ComplaintSubmitted') {
      const { complaintId, ...d } = event.data;
      ctx.put('complaints', { _id: complaintId, complaintId, ...d, status: 'open', answer: null, answeredAt: null, answeredBy: null, incidentId: null });
      return;
    }
    const doc = await ctx.get('complaints', event.data.complaintId);
    if (!doc) throw new Error(`complaints: ${event.type} for unknown complaint ${event.data.complaintId}`);
    const { answer, answeredAt, answeredBy, incidentId } = event.data;
    ctx.put('complaints', { ...doc, status: 'answered', answer, answeredAt, answeredBy, incidentId });
  },
};

export const complaintReadModelIndexes: Record<string, string[][]> = { complaints: [['regionCode'], ['status'], ['submittedAt']] };
