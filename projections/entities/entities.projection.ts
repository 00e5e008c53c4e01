import { REGISTRATION_EVENT_TYPES, type RegistrationEvent } from '../../domain/registration/events';
import type { Projection } from '../runner/projection';

/**
 * The townships the registry locates an entity in: its own, and those of its bases inside its county
 * (a township's supervision station supervises the production sites in it). `townshipCodes` is what a
 * township's list filter matches; entityResource (application/access) reads the same codes.
 */
export function entityTownshipCodes(doc: { regionCode?: unknown; townshipCode?: unknown; bases?: unknown }): string[] {
  const county = typeof doc.regionCode === 'string' ? doc.regionCode : '';
  const bases = Array.isArray(doc.bases) ? (doc.bases as { townshipCode?: unknown }[]) : [];
  const codes = [doc.townshipCode, ...bases.map((b) => b?.townshipCode)].filter((c): c is string => typeof c === 'string' && c.startsWith(county));
  return [...new Set(codes)];
}

/** `entities`: registered producers and operators with their bases, status, e-ID and review deadline. */
export const entitiesProjection: Projection = {
  name: 'entities',
  // 2: townshipCodes (the townships the entity and its bases are in)
  version: 2,
  handles: REGISTRATION_EVENT_TYPES,
  collections: ['entities'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as RegistrationEvent;
    if (event.type === 'RegistrationApplied') {
      const { entityId, ...rest } = event.data;
      ctx.put('entities', { _id: entityId, entityId, ...rest, townshipCodes: entityTownshipCodes(rest), status: 'pending', eid: null });
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
      case 'BaseAdded': {
        const bases = [...(doc.bases as unknown[]), event.data.base];
        ctx.put('entities', { ...doc, bases, townshipCodes: entityTownshipCodes({ ...doc, bases }) });
        return;
      }
    }
  },
};
