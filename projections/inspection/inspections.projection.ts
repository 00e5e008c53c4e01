import { INSPECTION_EVENT_TYPES, type InspectionEvent } from '../../domain/inspection';
import type { Projection } from '../runner/projection';

/** `inspections`: inspection tasks with their visits, findings and referrals. */
export const inspectionsProjection: Projection = {
  name: 'inspections',
  version: 1,
  handles: INSPECTION_EVENT_TYPES,
  collections: ['inspections'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as InspectionEvent;
    if (event.type === 'InspectionTaskPublished') {
      const d = event.data;
      ctx.put('inspections', {
        _id: d.inspectionId,
        inspectionId: d.inspectionId,
        title: d.title,
        regionCode: d.regionCode,
        inspectors: d.inspectors,
        inspectorIds: d.inspectors.map((i) => i.userId),
        dueDate: d.dueDate,
        plan: d.plan ?? null,
        targets: d.targets ?? [],
        publisher: d.publisher,
        status: 'open',
        records: [],
        publishedAt: d.publishedAt,
      });
      return;
    }
    const doc = await ctx.get('inspections', event.data.inspectionId);
    if (!doc) throw new Error(`inspections: ${event.type} for unknown inspection ${event.data.inspectionId}`);
    const records = doc.records as { recordId: string }[];
    switch (event.type) {
      case 'InspectionRecorded': {
        const { inspectionId: _i, ...record } = event.data;
        ctx.put('inspections', { ...doc, records: [...records, { ...record, caseId: null }] });
        return;
      }
      case 'InspectionReferred':
        ctx.put('inspections', { ...doc, records: records.map((r) => (r.recordId === event.data.recordId ? { ...r, caseId: event.data.caseId, referredAt: event.data.referredAt } : r)) });
        return;
      case 'InspectionCompleted':
        ctx.put('inspections', { ...doc, status: 'completed', summary: event.data.summary, completedAt: event.data.completedAt });
        return;
    }
  },
};
