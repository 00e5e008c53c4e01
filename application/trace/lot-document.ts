import type { ReadDoc } from '../ports/read-store';
import type { ReadModels } from '../ports/read-models';

/** What a lot's answer shows beside its current state: its off-ledger sales and its holds' history. */
export interface LotHistory {
  offLedgerShipments: { shipmentId: string; quantity: { amount: number; unit: string }; receiver: Record<string, unknown>; at: string }[];
  holdHistory: Record<string, unknown>[];
}

/**
 * The `lots` document holds current state only (decision 0021); the history an answer shows lives where
 * it belongs — off-ledger shipments are the lot's off-ledger edges in `lot_edges`, holds' putting-on and
 * lifting are `lot_hold_history` — and is put back here, so GET /api/v1/lots/{code} answers as before.
 */
export async function lotHistory(models: ReadModels, traceCode: string): Promise<LotHistory> {
  const [edges, holds] = await Promise.all([
    models.find('lot_edges', { from: traceCode, kind: 'off-ledger' }, { sort: { at: 1 } }),
    holdHistoryOf(models, traceCode),
  ]);
  return {
    offLedgerShipments: edges.map((e) => ({
      shipmentId: e.transferId as string,
      quantity: { amount: e.quantity as number, unit: e.unit as string },
      receiver: (e.receiver as Record<string, unknown>) ?? {},
      at: e.at as string,
    })),
    holdHistory: holds,
  };
}

/** Every putting-on-hold and lifting of the lot, oldest first (empty for a lot never held). */
export async function holdHistoryOf(models: ReadModels, traceCode: string): Promise<Record<string, unknown>[]> {
  const doc = await models.get('lot_hold_history', traceCode);
  return (doc?.entries as Record<string, unknown>[] | undefined) ?? [];
}

/** The lot document with its history beside it, in the shape the lots API has always answered. */
export async function lotWithHistory(models: ReadModels, lot: ReadDoc): Promise<ReadDoc> {
  return { ...lot, ...(await lotHistory(models, lot._id)) };
}
