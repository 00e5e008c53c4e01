import type { LotEvent } from '../../domain/lots/events';
import type { RegistrationEvent } from '../../domain/registration/events';
import type { Base } from '../../domain/registration/types';
import { regionOfEid } from '../../domain/registration/eid';
import { regionPath } from '../../domain/shared/region-codes';
import type { Projection, SearchDocInput } from '../runner/projection';

/**
 * The `search` index: entities, their bases (map markers) and lots, with region names in the text so
 * "海南" finds everything in 海南省. A copy of each indexed document is kept in `search_docs` so later
 * events (status, name change) can re-index it without reading the search engine back.
 */
export const searchProjection: Projection = {
  name: 'search',
  version: 2,
  handles: ['RegistrationApplied', 'RegistrationApproved', 'RegistrationRejected', 'RegistrationUpdated', 'BaseAdded', 'LotCreated'],
  collections: ['search_docs'],
  search: true,
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as RegistrationEvent | LotEvent;
    const save = (doc: SearchDocInput) => {
      ctx.put('search_docs', { _id: doc.id, doc });
      ctx.index(doc);
    };
    switch (event.type) {
      case 'RegistrationApplied': {
        const d = event.data;
        const first = d.bases[0];
        save({
          id: `entity:${d.entityId}`,
          kind: 'entity',
          title: d.name,
          text: [d.name, d.address, ...d.products, ...regionNames(d.regionCode), d.creditCode ?? ''].join(' '),
          regionCode: d.regionCode,
          type: d.entityType,
          date: d.appliedAt,
          ...(first ? { location: { lat: first.lat, lon: first.lon } } : {}),
          payload: { entityId: d.entityId, name: d.name, entityType: d.entityType, status: 'pending', eid: null, products: d.products },
        });
        for (const b of d.bases) save(baseDoc(d.entityId, d.name, d.entityType, b, d.appliedAt));
        return;
      }
      case 'BaseAdded': {
        const entity = await ctx.get('search_docs', `entity:${event.data.entityId}`);
        const e = entity?.doc as SearchDocInput | undefined;
        save(baseDoc(event.data.entityId, e?.title ?? '', e?.type ?? '', event.data.base, event.data.addedAt));
        return;
      }
      case 'RegistrationApproved':
      case 'RegistrationRejected':
      case 'RegistrationUpdated': {
        const stored = await ctx.get('search_docs', `entity:${event.data.entityId}`);
        if (!stored) return;
        const doc = structuredClone(stored.doc) as SearchDocInput;
        if (event.type === 'RegistrationApproved') {
          doc.payload = { ...doc.payload, status: 'approved', eid: event.data.eid };
          doc.text = `${doc.text} ${event.data.eid}`;
        } else if (event.type === 'RegistrationRejected') doc.payload = { ...doc.payload, status: 'rejected' };
        else if (event.data.changes.name) {
          doc.title = event.data.changes.name;
          doc.text = `${event.data.changes.name} ${doc.text}`;
          doc.payload = { ...doc.payload, name: event.data.changes.name };
        }
        save(doc);
        return;
      }
      case 'LotCreated': {
        const d = event.data;
        save({
          id: `lot:${d.traceCode}`,
          kind: 'lot',
          title: d.product,
          // Filed under where the lot is now (its holder's region: where supervision can act on it);
          // the origin's region names stay in the text, so "海南" still finds lots grown there.
          text: [d.product, d.entityName, d.base.name, ...regionNames(d.base.regionCode), ...regionNames(regionOfEid(d.eid)), d.traceCode].join(' '),
          regionCode: regionOfEid(d.eid),
          product: d.product,
          type: d.origin.kind,
          date: `${d.productionDate}T00:00:00+08:00`,
          location: { lat: d.base.lat, lon: d.base.lon },
          payload: {
            traceCode: d.traceCode,
            product: d.product,
            holder: d.entityName,
            entityId: d.entityId,
            quantity: d.quantity,
            productionDate: d.productionDate,
            parentTraceCode: d.origin.kind === 'transfer' ? d.origin.parentTraceCode : null,
          },
        });
        return;
      }
      default:
        return;
    }
  },
};

function regionNames(code: string): string[] {
  return regionPath(code).map((r) => r.name);
}

function baseDoc(entityId: string, entityName: string, entityType: string, b: Base, date: string): SearchDocInput {
  return {
    id: `base:${entityId}:${b.baseId}`,
    kind: 'base',
    title: b.name,
    text: [b.name, entityName, b.address, ...b.products, ...regionNames(b.regionCode)].join(' '),
    regionCode: b.regionCode,
    type: entityType,
    date,
    location: { lat: b.lat, lon: b.lon },
    payload: { entityId, entityName, baseId: b.baseId, name: b.name, products: b.products, areaMu: b.areaMu ?? null },
  };
}
