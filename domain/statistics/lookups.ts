/**
 * 查询行为分析 (seed 004 §六(九)): consumers' lookups of the public trace page, counted in memory by the
 * serving instance and recorded as one aggregated event per interval. The event holds counts by day, product
 * and the lot's region only — no address, no device, no asker: nothing personal is ever written.
 */
export const PUBLIC_LOOKUP_EVENT_TYPES = ['PublicLookupsCounted'] as const;

export interface PublicLookupCount {
  /** Business day of the lookups (China Standard Time, YYYY-MM-DD). */
  day: string;
  product: string;
  /** GB/T 2260 code of the lot's holder (the county the lot is in), not of the asker. */
  regionCode: string;
  lookups: number;
}

export interface PublicLookupsCounted {
  type: 'PublicLookupsCounted';
  data: {
    /** The interval the counts cover (the instance's clock). */
    from: string;
    to: string;
    counts: PublicLookupCount[];
  };
}

/** One stream per counted interval: no stream to load, no contention between instances. */
export const lookupStreamId = (intervalId: string) => `lookups-${intervalId}`;
