import type { Quantity } from '../shared/quantity';

/** Where the lot was produced, copied from the entity's base so the label needs no lookup. */
export interface LotBase {
  baseId: string;
  name: string;
  regionCode: string;
  lat: number;
  lon: number;
}

/** A lot is either produced at a base, or born from a confirmed transfer of a parent lot. */
export type LotOrigin = { kind: 'produced' } | { kind: 'transfer'; parentTraceCode: string; transferId: string };

/** A party outside the platform (not registered): the chain ends with it (DOMAIN.md). */
export interface OffLedgerReceiver {
  name: string;
  phone?: string;
  address?: string;
}

export const MARKET_KINDS = ['wholesale', 'retail', 'processor'] as const;
export type MarketKind = (typeof MARKET_KINDS)[number];

export interface Market {
  name: string;
  kind: MarketKind;
  regionCode: string;
}

/** A lot's quantity split three ways; always available + reserved + shipped = quantity. */
export interface LotBalance {
  available: Quantity;
  reserved: Quantity;
  shipped: Quantity;
}
