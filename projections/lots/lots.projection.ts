import type { LotEvent } from '../../domain/lots/events';
import { LOT_EVENT_TYPES } from '../../domain/lots/events';
import { regionOfEid } from '../../domain/registration/eid';
import type { ReadDoc } from '../../application/ports/read-store';
import type { DocInput, Projection, ProjectionContext } from '../runner/projection';
import { applyLotQuality, isLotQualityEvent, LOT_QUALITY_EVENT_TYPES } from '../quality/lot-quality';
import type { WarningClosed, WarningRaised } from '../../domain/risk/warning';
import { applyHoldWarningClosed, applyHoldWarningRaised, applyLotHold } from './lot-holds';
import { applyHolderPlaces, HOLDER_PLACE_EVENT_TYPES, isHolderPlaceEvent, lotTownships } from './holder-places';

/**
 * `lots`: one document per lot, current state only — holder, balance (available / reserved / shipped),
 * where it came from (parent, root, depth in the chain), certificates, open holds and verdicts. The balance
 * is taken from the events' `balance` field, so the read model never re-does the lot arithmetic.
 * History lives elsewhere (decision 0021): off-ledger shipments are edges of the trace graph (`lot_edges`),
 * and the putting-on and lifting of holds is `lot_hold_history` (./lot-holds.ts); application/trace/
 * lot-document.ts puts them back beside the lot for the answers that show them.
 */
export const lotsProjection: Projection = {
  name: 'lots',
  // 2: holds and verdicts from the quality side (projections/quality/lot-quality.ts)
  // 3: holds from the lot stream (LotPutOnHold / LotHoldLifted) with their history (./lot-holds.ts)
  // 4: townships (holder.townshipCode, base.townshipCode, townshipCodes) from the registry (./holder-places.ts)
  // 5: current state only: no offLedgerShipments (lot_edges), holdHistory in lot_hold_history, no `origin` copy
  version: 5,
  handles: [...LOT_EVENT_TYPES, ...LOT_QUALITY_EVENT_TYPES, ...HOLDER_PLACE_EVENT_TYPES],
  collections: ['lots', 'lot_holder_places', 'lot_hold_history'],
  async apply(raw, ctx) {
    if (isHolderPlaceEvent(raw.type)) return applyHolderPlaces(raw, ctx);
    if (isLotQualityEvent(raw.type)) {
      // Two folds of one event on the same lot document must reach the runner as one put: it keeps only the
      // first write per document and position (a replayed batch changes nothing).
      await onePutPerDocument(ctx, async (c) => {
        await applyLotQuality(raw, c);
        if (raw.type === 'WarningRaised') await applyHoldWarningRaised(raw.data as unknown as WarningRaised['data'], c);
        if (raw.type === 'WarningClosed') await applyHoldWarningClosed(raw.data as unknown as WarningClosed['data'], c);
      });
      return;
    }
    const event = { type: raw.type, data: raw.data } as LotEvent;
    if (event.type === 'LotPutOnHold' || event.type === 'LotHoldLifted') return applyLotHold(event, ctx);
    if (event.type === 'LotCreated') {
      const d = event.data;
      const parentCode = d.origin.kind === 'transfer' ? d.origin.parentTraceCode : null;
      const parent = parentCode ? await ctx.get('lots', parentCode) : null;
      const townships = await lotTownships(ctx, d.entityId, regionOfEid(d.eid), d.origin.kind === 'produced' ? d.base.baseId : null);
      ctx.put('lots', {
        _id: d.traceCode,
        traceCode: d.traceCode,
        product: d.product,
        quantity: d.quantity,
        unit: d.quantity.unit,
        available: d.quantity.amount,
        reserved: 0,
        shipped: 0,
        status: 'active',
        holder: { entityId: d.entityId, eid: d.eid, name: d.entityName, regionCode: regionOfEid(d.eid), ...(townships.holder ? { townshipCode: townships.holder } : {}) },
        base: townships.base ? { ...d.base, townshipCode: townships.base } : d.base,
        townshipCodes: townships.codes,
        regionCode: d.base.regionCode,
        productionDate: d.productionDate,
        createdAt: d.createdAt,
        parentTraceCode: parentCode,
        sourceTransferId: d.origin.kind === 'transfer' ? d.origin.transferId : null,
        rootTraceCode: parent ? ((parent.rootTraceCode as string) ?? parentCode) : d.traceCode,
        depth: parent ? ((parent.depth as number) ?? 0) + 1 : 0,
        certificates: [],
        holds: [],
        holdKeys: [],
        verdicts: [],
      });
      return;
    }
    const lot = await ctx.get('lots', event.data.traceCode);
    if (!lot) throw new Error(`lots: ${event.type} for unknown lot ${event.data.traceCode}`);
    const { balance } = event.data;
    const next: Record<string, unknown> = {
      ...lot,
      available: balance.available.amount,
      reserved: balance.reserved.amount,
      shipped: balance.shipped.amount,
      status: balance.available.amount === 0 && balance.reserved.amount === 0 ? 'depleted' : 'active',
    };
    switch (event.type) {
      case 'MarketEntryCertified':
        next.certificates = [
          ...(lot.certificates as unknown[]),
          {
            certificateNo: event.data.certificateNo,
            market: event.data.market,
            quantity: event.data.quantity,
            qrPayload: event.data.qrPayload,
            issuedAt: event.data.certifiedAt,
          },
        ];
        break;
      default:
        break;
    }
    ctx.put('lots', next as { _id: string });
  },
};

/** Runs `folds` over a context that collects their writes, then hands the runner each document once. */
async function onePutPerDocument(ctx: ProjectionContext, folds: (c: ProjectionContext) => Promise<void>): Promise<void> {
  const written = new Map<string, { collection: string; doc: DocInput }>();
  const key = (collection: string, id: string) => `${collection}\u0000${id}`;
  const collecting: ProjectionContext = {
    get: async (collection, id) => {
      const w = written.get(key(collection, id));
      return w ? (structuredClone(w.doc) as ReadDoc) : ctx.get(collection, id);
    },
    put: (collection, doc) => void written.set(key(collection, doc._id), { collection, doc }),
    delete: (collection, id) => ctx.delete(collection, id),
    index: (doc) => ctx.index(doc),
    unindex: (id) => ctx.unindex(id),
  };
  await folds(collecting);
  for (const { collection, doc } of written.values()) ctx.put(collection, doc);
}
