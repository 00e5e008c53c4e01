import * as fs from 'node:fs';
import * as path from 'node:path';
import { flatness, goalRows, goalsTable } from '../../../bench/lib/goals-across-sizes';
import type { RunReport } from '../../../bench/lib/report';

/** Issue 17's cross-size table, on two committed runs of one commit (82ab11c, S then M; bench/RESULTS.md). */
const run = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../bench/results', file), 'utf8')) as RunReport;
const S = run('2026-12-03T11-25-13-564Z-S.json');
const M = run('2026-12-03T11-31-50-126Z-M.json');

describe('the goals across sizes (bench/lib/goals-across-sizes)', () => {
  it('given S and M runs, then each goal has its figure, its ratio to the goal and a verdict per size', () => {
    const rows = goalRows([S, M]);
    const batch = rows.find((r) => r.goal === 'batch endpoint')!;
    expect(batch.ratios[0]).toBeCloseTo(S.ingest.chains.eventsPerSecond / 50_000, 6);
    expect(batch.higherIsBetter).toBe(true);
    expect(batch.met).toEqual([false, false]);
    const disk = rows.find((r) => r.goal === 'read models on disk')!;
    // M: 1,929 MB of read models for a 1,470 MB log (1.31×), met; the ratio to the 1.5× goal is 0.87.
    expect(disk.ratios[1]).toBeCloseTo(M.disk!.ratio / 1.5, 6);
    expect(disk.met[1]).toBe(true);
    const pg = rows.find((r) => r.goal.startsWith('1,093-lot'))!;
    // The query p99 against the PostgreSQL peer's, same run: M 24.8 vs 43.3 ms.
    expect(pg.ratios[1]).toBeCloseTo(24.814819999039173 / 43.29400599747896, 6);
    expect(pg.met[1]).toBe(true);
  });

  it('given a run without a peer, then the peer goal has no ratio and no verdict', () => {
    const alone = { ...M, postgres: undefined } as RunReport;
    const pg = goalRows([alone]).find((r) => r.goal.startsWith('1,093-lot'))!;
    expect(pg.ratios).toEqual([null]);
    expect(pg.met).toEqual([null]);
  });

  it('flatness: M against S for ingest (≥ 0.85×) and lookup p99 (≤ 1.15×)', () => {
    const [ingest, lookup] = flatness([S, M]);
    expect(ingest!.bySize[0]!.ofFirst).toBeCloseTo(M.ingest.chains.eventsPerSecond / S.ingest.chains.eventsPerSecond, 6);
    expect(ingest!.bySize[0]!.within).toBe(false); // 3,117 against 4,241: 0.73×
    expect(lookup!.bySize[0]!.within).toBe(false); // 1,191 against 185 ms
    expect(goalsTable([S, M])).toContain('| flat with size');
  });
});
