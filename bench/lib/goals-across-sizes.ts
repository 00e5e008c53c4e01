import type { RunReport } from './report';

/**
 * Issue 17's table of goals across sizes: each goal's figure at S, M and L (one run each, the JSON that
 * `npm run bench` writes to bench/results/), its ratio to the goal, and whether it is met; and, for ingest and
 * lookup, how far M and L are from S (the goal: within 15 %). Pure, so that it is tested on fixed reports.
 */
export interface GoalRow {
  goal: string;
  target: string;
  /** The figure per size, as printed. */
  figures: (string | null)[];
  /** figure ÷ target, per size: met at ≥ 1 for a rate (higherIsBetter), at ≤ 1 for a latency or a size. */
  ratios: (number | null)[];
  higherIsBetter: boolean;
  met: (boolean | null)[];
}

interface Goal {
  goal: string;
  target: string;
  /** The figure of one run, or null when the run did not measure it. */
  value: (r: RunReport) => number | null;
  format: (v: number, r: RunReport) => string;
  /** The figure ÷ the target (null when there is no target in this run: no peer). */
  ratio: (v: number, r: RunReport) => number | null;
  higherIsBetter?: boolean;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const msText = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const bigForward = (r: RunReport) => r.chains?.find((c) => c.direction === 'forward' && c.bucket === '≥ 1,000 lots') ?? null;
const pgBigForward = (r: RunReport) => r.postgres?.chainLatencies.find((c) => c.direction === 'forward' && c.bucket === '≥ 1,000 lots') ?? null;

export const GOALS: Goal[] = [
  {
    goal: 'batch endpoint',
    target: '≥ 50,000 events/s',
    value: (r) => r.ingest?.chains.eventsPerSecond ?? null,
    format: (v) => `${int(v)} events/s`,
    ratio: (v) => v / 50_000,
    higherIsBetter: true,
  },
  {
    goal: 'single command p99 at 500/s',
    target: '≤ 15 ms',
    value: (r) => r.single500?.latencyMs.p99 ?? null,
    format: (v, r) => `${msText(v)} ms (${int(r.single500!.achievedRate)}/s achieved)`,
    ratio: (v) => v / 15,
  },
  {
    goal: 'projection lag p99 under sustained ingest',
    target: '≤ 1 s',
    value: (r) => r.lag?.lagMs.p99 ?? null,
    format: (v, r) => `${(v / 1000).toFixed(2)} s at ${int(r.lag!.achievedEventsPerSecond)} events/s`,
    ratio: (v) => v / 1000,
  },
  {
    goal: 'full rebuild, all read models in one pass',
    target: '≥ 100,000 events/s',
    value: (r) => r.rebuild?.all.eventsPerSecond ?? null,
    format: (v) => `${int(v)} events/s`,
    ratio: (v) => v / 100_000,
    higherIsBetter: true,
  },
  {
    goal: 'consumer lookup p99 at 1,000/s',
    target: '≤ 5 ms',
    value: (r) => r.consumer?.http.latencyMs.p99 ?? null,
    format: (v, r) => `${msText(v)} ms (p50 ${msText(r.consumer!.http.latencyMs.p50)})`,
    ratio: (v) => v / 5,
  },
  {
    goal: '1,093-lot forward chain query p99 vs the PostgreSQL recursive CTE',
    target: 'at or below PostgreSQL',
    value: (r) => bigForward(r)?.query.p99 ?? null,
    format: (v, r) => `${msText(v)} ms${pgBigForward(r) ? ` vs PG ${msText(pgBigForward(r)!.query.p99)}` : ''}`,
    ratio: (v, r) => (pgBigForward(r) ? v / pgBigForward(r)!.query.p99 : null),
  },
  {
    goal: '1,000-lot chain HTTP p99 (the goal is on a 10M-event ledger)',
    target: '≤ 50 ms',
    value: (r) => bigForward(r)?.http.p99 ?? null,
    format: (v, r) => `${msText(v)} ms on ${int(r.head)} events`,
    ratio: (v) => v / 50,
  },
  {
    goal: 'search p99 with facets (the goal is over 1M documents)',
    target: '≤ 50 ms',
    value: (r) => r.search?.http.p99 ?? null,
    format: (v, r) => `${msText(v)} ms over ${int(r.search!.documents)} documents`,
    ratio: (v) => v / 50,
  },
  {
    goal: 'read models on disk',
    target: '≤ 1.5× the log',
    value: (r) => r.disk?.ratio ?? null,
    format: (v, r) => `${v.toFixed(2)}× (${int(r.disk!.readModelsMb)} MB for ${int(r.disk!.logMb)} MB)`,
    ratio: (v) => v / 1.5,
  },
];

export function goalRows(runs: readonly RunReport[]): GoalRow[] {
  return GOALS.map((g) => {
    const values = runs.map((r) => g.value(r));
    const ratios = values.map((v, i) => (v === null ? null : g.ratio(v, runs[i]!)));
    return {
      goal: g.goal,
      target: g.target,
      figures: values.map((v, i) => (v === null ? null : g.format(v, runs[i]!))),
      ratios,
      higherIsBetter: g.higherIsBetter === true,
      met: ratios.map((x) => (x === null ? null : g.higherIsBetter ? x >= 1 : x <= 1)),
    };
  });
}

/**
 * "Flat with size": each larger run against the first (S), for ingest (events/s: ≥ 0.85× S) and lookup
 * (p99: ≤ 1.15× S), as issue 17 puts it.
 */
export function flatness(runs: readonly RunReport[]): { measure: string; bySize: { size: string; ofFirst: number | null; within: boolean | null }[] }[] {
  const [first, ...rest] = runs;
  if (!first) return [];
  const measures: { measure: string; value: (r: RunReport) => number | null; within: (x: number) => boolean }[] = [
    { measure: 'batch endpoint events/s', value: (r) => r.ingest?.chains.eventsPerSecond ?? null, within: (x) => x >= 0.85 },
    { measure: 'consumer lookup p99', value: (r) => r.consumer?.http.latencyMs.p99 ?? null, within: (x) => x <= 1.15 },
  ];
  return measures.map((m) => {
    const base = m.value(first);
    return {
      measure: m.measure,
      bySize: rest.map((r) => {
        const v = m.value(r);
        const ofFirst = base === null || v === null ? null : v / base;
        return { size: r.size, ofFirst, within: ofFirst === null ? null : m.within(ofFirst) };
      }),
    };
  });
}

export function goalsTable(runs: readonly RunReport[]): string {
  const sizes = runs.map((r) => `${r.size} (${r.machine.commit}, ${r.started.slice(0, 16).replace('T', ' ')} UTC)`);
  const cell = (row: GoalRow, i: number) => {
    const f = row.figures[i];
    const x = row.ratios[i];
    if (f === null) return '–';
    return `${f}; ${x === null ? 'no peer' : `${x.toFixed(2)}× the goal`} ${row.met[i] === null ? '' : row.met[i] ? '✅' : '❌'}`.trim();
  };
  const lines = [
    `| goal | target | ${sizes.join(' | ')} |`,
    `|---|---|${sizes.map(() => '---|').join('')}`,
    ...goalRows(runs).map((row) => `| ${row.goal} | ${row.target} | ${runs.map((_, i) => cell(row, i)).join(' | ')} |`),
  ];
  const flat = flatness(runs);
  if (flat.length && runs.length > 1) {
    lines.push('', `| flat with size (issue 17: M and L within 15 % of S) | ${runs.slice(1).map((r) => `${r.size} ÷ S`).join(' | ')} |`, `|---|${runs.slice(1).map(() => '---|').join('')}`);
    for (const f of flat)
      lines.push(`| ${f.measure} | ${f.bySize.map((b) => (b.ofFirst === null ? '–' : `${b.ofFirst.toFixed(2)}× ${b.within ? '✅' : '❌'}`)).join(' | ')} |`);
  }
  return lines.join('\n');
}
