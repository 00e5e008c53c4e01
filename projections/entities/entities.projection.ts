import { REGISTRATION_EVENT_TYPES, type RegistrationEvent } from '../../domain/registration/events';
import type { Projection } from '../runner/projection';

/** `entities`: registered producers and operators with their bases, status, e-ID and review deadline. */
export const entitiesProjection: Projection = {
  name: 'entities',
  version: 1,
  handles: REGISTRATION_EVENT_TYPES,
  collections: ['entities'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as RegistrationEvent;
    if (event.type === 'RegistrationApplied') {
      const { entityId, ...rest } = event.data;
      ctx.put('entities', { _id: entityId, entityId, ...rest, status: 'pending', eid: null });
      return;
    }
    const doc = await ctx.get('entities', event.data.entityId);
    if (!doc) throw new Error(`entities: ${event.type} for unknown entity ${event.data.entityId}`);
    switch (event.type) {
      case 'RegistrationApproved':
        ctx.put('entities', { ...doc, status: 'approved', eid: event.data.eid, approvedAt: event.data.approvedAt, reviewerId: event.data.reviewerId });
        return;
      case 'RegistrationRejected':
        ctx.put('entities', { ...doc, status: 'rejected', rejectReason: event.data.reason, rejectedAt: event.data.rejectedAt, reviewerId: event.data.reviewerId });
        return;
      case 'RegistrationUpdated':
        ctx.put('entities', { ...doc, ...event.data.changes, updatedAt: event.data.updatedAt });
        return;
      case 'BaseAdded':
        ctx.put('entities', { ...doc, bases: [...(doc.bases as unknown[]), event.data.base] });
        return;
    }
  },
};
