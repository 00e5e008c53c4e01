import autocannon from 'autocannon';
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

/**
 * Single commands over HTTP, as a producer's app sends them: POST /api/v1/lots, each with its own
 * commandId, round-robin over many producers. With `rate` the load is capped at that many requests/s
 * (enough connections that slow answers do not lower it); without, it is as fast as the server goes.
 */
export async function singleCommandLoad(
  url: string,
  producers: { entityId: string; baseId: string; product: string }[],
  options: { rate?: number; connections: number; seconds: number; tag: string },
): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/api/v1/lots',
        setupRequest: (req: any) => {
          const i = n++;
          const p = producers[i % producers.length]!;
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'x-role': 'producer', 'x-org-id': p.entityId, 'x-user-id': `u-${p.entityId}` },
            body: JSON.stringify({
              commandId: `${options.tag}-${i}`,
              entityId: p.entityId,
              baseId: p.baseId,
              product: p.product,
              quantity: { amount: 100 + (i % 900), unit: 'kg' },
              productionDate: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
            }),
          };
        },
      },
    ],
  });
  return summarizeAutocannon(result, options.rate ?? null);
}

/** The consumer's scan: GET /api/v1/trace/{code} over many codes, at a fixed offered rate. */
export async function consumerLookupLoad(url: string, codes: string[], options: { rate: number; connections: number; seconds: number }): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.rate,
    requests: [{ method: 'GET', path: '/api/v1/trace/x', setupRequest: (req: any) => ({ ...req, path: `/api/v1/trace/${codes[n++ % codes.length]}` }) }],
  });
  return summarizeAutocannon(result, options.rate);
}
