import type { NextFunction, Request, Response } from 'express';
import { RequestRejected } from '../errors/request-rejected';

/**
 * Every query parameter of the API takes one value. Express parses `?status=a&status=b` into an array,
 * which the controllers' filters took for an operator object (500s on every list endpoint). No parameter
 * has list semantics today, so a repeated one is refused here, once for all routes, naming it; a parameter
 * that someday takes several values should take them comma-separated (as `facets` does), not repeated.
 */
export function singleValuedQuery(req: Request, _res: Response, next: NextFunction): void {
  const query = req.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string') continue;
    return next(
      new RequestRejected(400, 'QUERY_PARAMETER_REPEATED', `query parameter ${name} must be given once`, {
        field: name,
        count: Array.isArray(value) ? value.length : null,
      }),
    );
  }
  next();
}
