import type { Request } from 'express';

/**
 * The grants that opened records for a request (DESIGN.md, Access: every read a grant allows is logged).
 * Controllers note them as the policy answers; the access-log interceptor writes them into the entry with
 * the incident id. Kept beside the request, not on it, so the request type stays the guard's.
 */
export interface GrantRead {
  grantId: string;
  incidentId: string;
}

const byRequest = new WeakMap<Request, GrantRead[]>();

export function noteGrantReads(req: Request, grants: readonly (GrantRead | undefined)[]): void {
  const used = grants.filter((g): g is GrantRead => g !== undefined);
  if (used.length === 0) return;
  const noted = byRequest.get(req) ?? [];
  for (const g of used) if (!noted.some((n) => n.grantId === g.grantId)) noted.push({ grantId: g.grantId, incidentId: g.incidentId });
  byRequest.set(req, noted);
}

export function grantReadsOf(req: Request): GrantRead[] | undefined {
  return byRequest.get(req);
}
