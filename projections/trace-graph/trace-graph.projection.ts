import type { ShippedOffLedger } from '../../domain/lots/events';
import type { TransferConfirmed } from '../../domain/transfers/events';
import type { Projection } from '../runner/projection';

/**
 * `lot_edges`: the trace graph, one edge per hand-over — lot → child lot for a confirmed transfer,
 * lot → nobody for an off-ledger shipment (the chain ends). Backward tracing follows `to → from`,
 * forward (recall) `from → to`; both are indexed.
 */
export const traceGraphProjection: Projection = {
  name: 'trace-graph',
  version: 1,
  handles: ['TransferConfirmed', 'ShippedOffLedger'],
  collections: ['lot_edges'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as TransferConfirmed | ShippedOffLedger;
    if (event.type === 'TransferConfirmed') {
      const d = event.data;
      ctx.put('lot_edges', {
        _id: d.transferId,
        from: d.fromTraceCode,
        to: d.childTraceCode,
        kind: 'transfer',
        transferId: d.transferId,
        product: d.product,
        quantity: d.quantity.amount,
        unit: d.quantity.unit,
        at: d.confirmedAt,
        fromEntityId: d.fromEntityId,
        receiver: { entityId: d.to.entityId, eid: d.to.eid, name: d.to.name },
      });
    } else {
      const d = event.data;
      ctx.put('lot_edges', {
        _id: d.shipmentId,
        from: d.traceCode,
        to: null,
        kind: 'off-ledger',
        transferId: d.shipmentId,
        quantity: d.quantity.amount,
        unit: d.quantity.unit,
        at: d.shippedAt,
        receiver: d.receiver,
      });
    }
  },
};
