/** The answers of /api/v1/statistics/* as the dashboards read them (application/statistics/statistics-queries.ts). */
export type Values = Record<string, number | null>;

export interface Overview {
  region: { code: string; name: string; level: number };
  product: string | null;
  range: { from: string; to: string };
  cards: { key: string; value: number | null; previous: number | null; yearAgo: number | null; mom: number | null; yoy: number | null }[];
  current: {
    entitiesApproved: number;
    entitiesPending: number;
    reviewsOverdue: number;
    reviewsOnTimeRate: number | null;
    warningsOpen: number;
    warningsOpenByLevel: Record<string, number>;
    casesOpen: number;
    coverage: { tradingEntities: number | null; certifiedLots: number | null };
  };
  analytes: { code: string; tested: number; pass: number; fail: number; passRate: number | null }[];
  trend: { grain: 'day' | 'month'; points: { period: string; values: Values; yoy: Values; mom: Values }[] };
}

export interface Breakdown {
  by: 'region' | 'product' | 'month';
  level?: number;
  rows: { key: string; name: string; values: Values }[];
}

export interface Flows {
  kind: 'transfer' | 'market';
  level: 'province' | 'county';
  rows: { from: string; fromName: string; to: string; toName: string; moves: number; kg: number; counts: Record<string, number> }[];
}
