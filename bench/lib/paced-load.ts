import * as http from 'node:http';
import type { LoadResult } from '../scenarios/single-command';
import { now, summarize } from './stats';

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Open-loop load at an evenly spaced rate: request i is due at start + i/rate, whatever the answers do, and
 * its latency is measured from that due time (a slow server cannot hide its queue: no coordinated
 * omission). Why not autocannon's `overallRate`: it lets each connection send its share of a second back to
 * back at the start of the second, so its "p99 at 1,000 req/s" is the latency inside a burst of 1,000 —
 * it answered p99 46–144 ms against an empty Node server here. Keep-alive pool of `connections` sockets.
 */
export async function pacedLoad(
  baseUrl: string,
  next: (i: number) => PacedRequest,
  options: { rate: number; seconds: number; connections: number },
): Promise<LoadResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  const start = now();
  await new Promise<void>((resolve) => {
    let settled = 0;
    const settle = () => {
      if (++settled === total) resolve();
    };
    const send = (due: number, r: PacedRequest) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: r.path,
          agent,
          headers: { ...(r.headers ?? {}), ...(r.body !== undefined ? { 'content-length': Buffer.byteLength(r.body) } : {}) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            latencies.push(now() - due);
            if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) non2xx++;
            settle();
          });
        },
      );
      req.on('error', () => {
        errors++;
        settle();
      });
      req.end(r.body);
    };
    // Sends what is due, then sleeps until the next one (a timer, not a spin: the driver shares the machine).
    const tick = () => {
      const t = now();
      while (sent < total && start + sent * intervalMs <= t) {
        send(start + sent * intervalMs, next(sent));
        sent++;
      }
      if (sent < total) {
        const wait = start + sent * intervalMs - now();
        if (wait >= 1) setTimeout(tick, Math.floor(wait));
        else setImmediate(tick);
      }
    };
    tick();
  });
  const seconds = (now() - start) / 1000;
  agent.destroy();
  const s = summarize(latencies);
  return {
    offeredRate: options.rate,
    achievedRate: (total - errors) / seconds,
    latencyMs: { p50: s.p50, p90: s.p90, p99: s.p99, max: s.max, mean: s.mean },
    requests: total,
    non2xx,
    errors,
    timeouts: 0,
    seconds,
  };
}
