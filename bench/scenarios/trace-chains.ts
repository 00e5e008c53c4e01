import type { ReadModels } from '../../application/ports/read-models';
import { traceChain, type ChainDirection } from '../../application/trace/chain-query';
import type { HttpClient } from '../lib/http';
import { now, summarize, type Summary } from '../lib/stats';

export interface ChainTarget {
  traceCode: string;
  direction: ChainDirection;
  /** Bucket label: depth for backward, graph size for forward/both. */
  bucket: string;
}

export interface ChainRow {
  direction: ChainDirection;
  bucket: string;
  targets: number;
  lotsPerChain: number;
  query: Summary;
  http: Summary;
}

export const depthBucket = (d: number) => (d <= 2 ? 'depth 1–2' : d <= 5 ? 'depth 3–5' : d <= 8 ? 'depth 6–8' : 'depth 9–12');
export const sizeBucket = (n: number) => (n <= 10 ? '≤ 10 lots' : n <= 100 ? '11–100 lots' : n < 1000 ? '101–999 lots' : '≥ 1,000 lots');

/**
 * Picks chains to trace from the read model: lots at every depth (backward to the origin), the roots of
 * their trees (forward, for a recall; bucketed by how many lots the tree has) and the big recall trees.
 */
export async function chainTargets(models: ReadModels, bigTreeRoots: string[], perBucket = 25): Promise<ChainTarget[]> {
  const targets: ChainTarget[] = [];
  const roots = new Map<string, number>();
  for (const depth of [1, 2, 3, 4, 5, 6, 8, 10, 12]) {
    const lots = await models.find('lots', { depth }, { limit: perBucket });
    for (const l of lots) {
      targets.push({ traceCode: l._id, direction: 'backward', bucket: depthBucket(depth) });
      roots.set(l.rootTraceCode as string, 0);
    }
  }
  for (const r of bigTreeRoots) roots.set(r, 0);
  for (const root of roots.keys()) roots.set(root, await models.count('lots', { rootTraceCode: root }));
  for (const [root, size] of roots) {
    targets.push({ traceCode: root, direction: 'forward', bucket: sizeBucket(size) });
    targets.push({ traceCode: root, direction: 'both', bucket: sizeBucket(size) });
  }
  return targets;
}

/**
 * Each bucket is traced `samples` times round-robin over its targets: in-process over the read models
 * (the query's own cost) and through GET /api/v1/trace/{code}/chain (what a supervisor waits for: HTTP,
 * JSON of every lot, region redaction and the access-log append of a sensitive read).
 */
export async function traceChainLatencies(models: ReadModels, client: HttpClient, targets: ChainTarget[], samples = 100): Promise<ChainRow[]> {
  const groups = new Map<string, ChainTarget[]>();
  for (const t of targets) {
    const key = `${t.direction}|${t.bucket}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const rows: ChainRow[] = [];
  for (const [key, group] of [...groups].sort()) {
    const [direction, bucket] = key.split('|') as [ChainDirection, string];
    const n = Math.max(samples, group.length);
    const query: number[] = [];
    const http: number[] = [];
    let lots = 0;
    for (let i = 0; i < n; i++) {
      const t = group[i % group.length]!;
      const start = now();
      const chain = await traceChain(models, t.traceCode, t.direction, 64);
      query.push(now() - start);
      lots += chain?.lots.length ?? 0;
    }
    for (let i = 0; i < n; i++) {
      const t = group[i % group.length]!;
      const start = now();
      const res = await client.get(`/api/v1/trace/${t.traceCode}/chain?direction=${t.direction}&depth=64`);
      http.push(now() - start);
      if (res.status !== 200) throw new Error(`chain ${t.traceCode} answered ${res.status}`);
    }
    rows.push({ direction, bucket, targets: group.length, lotsPerChain: lots / n, query: summarize(query), http: summarize(http) });
  }
  return rows;
}
