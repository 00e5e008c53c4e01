import { TRANSFER_EVENT_TYPES, type TransferEvent } from '../../domain/transfers/events';
import { regionOfEid } from '../../domain/registration/eid';
import type { Projection } from '../runner/projection';

/** `transfers`: each hand-over and its state — the receiver's inbox (pending) and the sender's outbox. */
export const transfersProjection: Projection = {
  name: 'transfers',
  version: 1,
  handles: TRANSFER_EVENT_TYPES,
  collections: ['transfers'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as TransferEvent;
    switch (event.type) {
      case 'TransferInitiated': {
        const d = event.data;
        ctx.put('transfers', {
          _id: d.transferId,
          transferId: d.transferId,
          status: 'pending',
          fromTraceCode: d.fromTraceCode,
          fromEntityId: d.fromEntityId,
          fromEid: d.fromEid,
          product: d.product,
          quantity: d.quantity,
          to: d.to,
          toEntityId: d.to.entityId,
          fromRegion: regionOfEid(d.fromEid),
          toRegion: regionOfEid(d.to.eid),
          initiatedAt: d.initiatedAt,
        });
        return;
      }
      case 'OffLedgerShipmentRecorded': {
        const d = event.data;
        ctx.put('transfers', {
          _id: d.transferId,
          transferId: d.transferId,
          status: 'closed',
          fromTraceCode: d.fromTraceCode,
          fromEntityId: d.fromEntityId,
          quantity: d.quantity,
          to: { kind: 'unregistered', ...d.receiver },
          toEntityId: null,
          // The e-ID of the sender is not on this event; the lot's code carries its region.
          fromRegion: d.fromTraceCode.slice(0, 6),
          toRegion: null,
          initiatedAt: d.recordedAt,
        });
        return;
      }
      case 'TransferConfirmed':
      case 'TransferRejected': {
        const doc = await ctx.get('transfers', event.data.transferId);
        if (!doc) throw new Error(`transfers: ${event.type} for unknown transfer ${event.data.transferId}`);
        if (event.type === 'TransferConfirmed')
          ctx.put('transfers', { ...doc, status: 'confirmed', childTraceCode: event.data.childTraceCode, settledAt: event.data.confirmedAt });
        else ctx.put('transfers', { ...doc, status: 'rejected', reason: event.data.reason, settledAt: event.data.rejectedAt });
        return;
      }
    }
  },
};
