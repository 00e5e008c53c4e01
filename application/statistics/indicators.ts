/**
 * What the dashboards show, computed from a bucket's counters (projections/statistics/metrics.ts). Counts are
 * summed over a range; rates are ratios of summed counts, never averages of rates, so a region's rate is its
 * sub-regions' rates weighted by their volume.
 */
export type Counters = Record<string, number>;

export function sumInto(into: Counters, c: Counters): Counters {
  for (const [k, v] of Object.entries(c)) into[k] = (into[k] ?? 0) + v;
  return into;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const get = (c: Counters, k: string) => c[k] ?? 0;

/** The figures of the cards and the charts, in the order the dashboard shows them. */
export const INDICATORS = [
  'entitiesApplied',
  'entitiesApproved',
  'lotsCreated',
  'producedKg',
  'transfersConfirmed',
  'confirmationRate',
  'certificates',
  'samples',
  'passRate',
  'failedResults',
  'warningsRaised',
  'casesOpened',
  'inspections',
  'lookups',
] as const;
export type Indicator = (typeof INDICATORS)[number];

export const RATE_INDICATORS: ReadonlySet<Indicator> = new Set(['confirmationRate', 'passRate']);

export function indicatorsOf(c: Counters): Record<Indicator, number | null> {
  return {
    entitiesApplied: get(c, 'entitiesApplied'),
    entitiesApproved: get(c, 'entitiesApproved'),
    lotsCreated: get(c, 'lotsCreated'),
    producedKg: get(c, 'producedQty:g') / 1000,
    transfersConfirmed: get(c, 'transfersConfirmed'),
    // 交接确认率: of the hand-overs the receivers settled, the share they confirmed.
    confirmationRate: ratio(get(c, 'transfersConfirmed'), get(c, 'transfersConfirmed') + get(c, 'transfersRejected')),
    certificates: get(c, 'certificates'),
    samples: get(c, 'samples'),
    // 合格率: passing results among the results with a verdict of pass or fail (inconclusive ones are left out).
    passRate: ratio(get(c, 'results:pass'), get(c, 'results:pass') + get(c, 'results:fail')),
    failedResults: get(c, 'results:fail'),
    warningsRaised: get(c, 'warningsRaised'),
    casesOpened: get(c, 'casesOpened'),
    inspections: get(c, 'inspections'),
    // 查询次数: consumers' lookups of the lots of the region (the lot's side; nothing is known of the asker).
    lookups: get(c, 'lookups'),
  };
}

/** Pass rate per analyte (检测项), most tested first. */
export function analyteRates(c: Counters): { code: string; tested: number; pass: number; fail: number; passRate: number | null }[] {
  const out = [];
  for (const key of Object.keys(c)) {
    if (!key.startsWith('analyteTested:')) continue;
    const code = key.slice('analyteTested:'.length);
    const pass = get(c, `analytePass:${code}`);
    const fail = get(c, `analyteFail:${code}`);
    out.push({ code, tested: get(c, key), pass, fail, passRate: ratio(pass, pass + fail) });
  }
  return out.sort((a, b) => b.tested - a.tested || a.code.localeCompare(b.code));
}

/** Counts split by a qualifier (`warningsOpen:red` …) as {qualifier: n}. */
export function splitOf(c: Counters, metric: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) if (k.startsWith(`${metric}:`) && v !== 0) out[k.slice(metric.length + 1)] = v;
  return out;
}

/** The state of things now (from the all-time bucket): pending reviews, open warnings and cases, coverage. */
export function currentOf(all: Counters, overdueReviews: number) {
  return {
    entitiesApproved: get(all, 'entitiesApproved'),
    entitiesPending: get(all, 'entitiesPending'),
    reviewsOverdue: overdueReviews,
    reviewsOnTimeRate: ratio(get(all, 'reviewsOnTime'), get(all, 'reviewsOnTime') + get(all, 'reviewsLate')),
    warningsOpen: get(all, 'warningsOpen'),
    warningsOpenByLevel: splitOf(all, 'warningsOpen'),
    warningsByState: splitOf(all, 'warningState'),
    casesOpen: get(all, 'casesOpen'),
    coverage: {
      // 企业/环节覆盖率: approved entities that traded by scan-to-trade at least once.
      tradingEntities: ratio(get(all, 'entitiesTrading'), get(all, 'entitiesApproved')),
      // Lots that entered a market with a certificate (入市追溯凭证), of all lots created.
      certifiedLots: ratio(get(all, 'lotsCertified'), get(all, 'lotsCreated')),
    },
  };
}
