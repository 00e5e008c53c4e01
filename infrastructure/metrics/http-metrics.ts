import type { NextFunction, Request, Response } from 'express';
import type { PlatformMetrics } from './platform-metrics';

/**
 * Counts every response by method, route pattern (`/api/v1/trace/:traceCode`, never the raw path: the label
 * set stays bounded) and status. Requests no route matched (web assets, 404s) count as `other`.
 */
export function countHttpResponses(metrics: PlatformMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      metrics.httpResponses.inc({ method: req.method, route: route ? `${req.baseUrl}${route}` : 'other', status: String(res.statusCode) });
    });
    next();
  };
}
