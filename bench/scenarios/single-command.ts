import autocannon from 'autocannon';
import { pacedLoad, type PacedRequest } from '../lib/paced-load';
import type { Summary } from '../lib/stats';

export interface LoadResult {
  offeredRate: number | null;
  achievedRate: number;
  latencyMs: Pick<Summary, 'p50' | 'p90' | 'p99' | 'max' | 'mean'>;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

export function summarizeAutocannon(r: autocannon.Result, offeredRate: number | null): LoadResult {
  return {
    offeredRate,
    achievedRate: r.requests.average,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
  };
}

/** The i-th lot creation of a run: its own commandId, round-robin over the producers. */
function createLotRequest(producers: { entityId: string; baseId: string; product: string }[], tag: string, i: number): PacedRequest & { method: 'POST' } {
  const p = producers[i % producers.length]!;
  return {
    method: 'POST',
    path: '/api/v1/lots',
    headers: { 'content-type': 'application/json', 'x-role': 'producer', 'x-org-id': p.entityId, 'x-user-id': `u-${p.entityId}` },
    body: JSON.stringify({
      commandId: `${tag}-${i}`,
      entityId: p.entityId,
      baseId: p.baseId,
      product: p.product,
      quantity: { amount: 100 + (i % 900), unit: 'kg' },
      productionDate: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    }),
  };
}

/**
 * Single commands over HTTP, as a producer's app sends them: POST /api/v1/lots, each with its own
 * commandId, round-robin over many producers. With `rate`, an evenly paced open-loop load (pacedLoad: latency
 * from each request's due time); without, autocannon's closed loop, as fast as the server goes.
 */
export async function singleCommandLoad(
  url: string,
  producers: { entityId: string; baseId: string; product: string }[],
  options: { rate?: number; connections: number; seconds: number; tag: string },
): Promise<LoadResult> {
  if (options.rate) return pacedLoad(url, (i) => createLotRequest(producers, options.tag, i), { rate: options.rate, seconds: options.seconds, connections: options.connections });
  let n = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    requests: [{ method: 'POST', path: '/api/v1/lots', setupRequest: (req: any) => ({ ...req, ...createLotRequest(producers, options.tag, n++) }) }],
  });
  return summarizeAutocannon(result, null);
}

/** The consumer's scan: GET /api/v1/trace/{code} over many codes, evenly paced at a fixed offered rate. */
export async function consumerLookupLoad(url: string, codes: string[], options: { rate: number; connections: number; seconds: number }): Promise<LoadResult> {
  return pacedLoad(url, (i) => ({ method: 'GET', path: `/api/v1/trace/${codes[i % codes.length]}` }), options);
}
