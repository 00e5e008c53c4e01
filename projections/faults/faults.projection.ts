import { FAULT_EVENT_TYPES, type FaultEvent } from '../../domain/faults';
import type { Projection } from '../runner/projection';

/** `faults`: each platform fault with its escalations, overdue marks, progress, resolution and integrity checks. */
export const faultsProjection: Projection = {
  name: 'faults',
  version: 1,
  handles: FAULT_EVENT_TYPES,
  collections: ['faults'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as FaultEvent;
    if (event.type === 'FaultReported') {
      const { reporter, ...d } = event.data;
      ctx.put('faults', {
        _id: d.faultId,
        ...d,
        reporter,
        reportedLevel: d.level,
        status: 'open',
        levelSince: d.reportedAt,
        escalations: [],
        overdue: [],
        progress: [],
        resolvedAt: null,
        integrityChecks: [],
        lastIntegrityCheck: null,
      });
      return;
    }
    const doc = await ctx.get('faults', event.data.faultId);
    if (!doc) throw new Error(`faults: ${event.type} for unknown fault ${event.data.faultId}`);
    switch (event.type) {
      case 'FaultEscalated': {
        const { faultId: _f, ...e } = event.data;
        ctx.put('faults', { ...doc, level: e.toLevel, levelSince: e.automatic ? e.dueAt : e.detectedAt, escalations: [...(doc.escalations as unknown[]), e] });
        return;
      }
      case 'FaultOverdue':
        ctx.put('faults', { ...doc, overdue: [...(doc.overdue as unknown[]), { hours: event.data.hours, dueAt: event.data.dueAt, detectedAt: event.data.detectedAt }] });
        return;
      case 'FaultProgressReported':
        ctx.put('faults', { ...doc, progress: [...(doc.progress as unknown[]), { note: event.data.note, level: event.data.level, at: event.data.reportedAt, by: event.data.reportedBy }] });
        return;
      case 'FaultResolved': {
        const { faultId: _f, ...r } = event.data;
        ctx.put('faults', { ...doc, status: 'resolved', level: r.level, resolution: r.resolution, resolvedAt: r.resolvedAt, resolvedBy: r.resolvedBy, minutesOpen: r.minutesOpen, withinLimit: r.withinLimit });
        return;
      }
      case 'FaultIntegrityChecked': {
        const { faultId: _f, ...c } = event.data;
        ctx.put('faults', { ...doc, integrityChecks: [...(doc.integrityChecks as unknown[]), c], lastIntegrityCheck: c });
        return;
      }
    }
  },
};
