import { UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../../domain/shared/actor';

export const ANONYMOUS: Actor = { userId: 'anonymous', orgId: 'public', role: 'consumer', regionCode: '' };

/** What the guard let through: the route's permission and whether it is a sensitive read. */
export interface RouteAccess {
  permission: string;
  sensitive: boolean;
}

/**
 * A request as the AuthGuard leaves it: the caller's identity, and — only once the guards have let it
 * through to its route — the route's access rules (so failures after that point can be put on record).
 */
export type AuthedRequest = Request & { actor?: Actor; routeAccess?: RouteAccess };

/** The caller's identity, as established by the guard. */
export function actorOf(req: Request): Actor {
  return (req as AuthedRequest).actor ?? ANONYMOUS;
}

export function sourceOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The route's access rules when the request got past the guards; undefined when a guard refused it. */
export function routeAccessOf(req: Request): RouteAccess | undefined {
  return (req as AuthedRequest).routeAccess;
}

/**
 * The caller of a route that acts on one's own account (password change): it needs a signed-in caller, so an
 * anonymous request is a 401 (sign in first), not a 404 for an account called "anonymous".
 */
export function signedInActorOf(req: Request): Actor {
  const actor = actorOf(req);
  if (actor.userId === ANONYMOUS.userId) throw new UnauthorizedException('sign in first (Authorization: Bearer <token>)');
  return actor;
}
