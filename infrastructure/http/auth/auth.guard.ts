import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { recordAccess } from '../../../application/audit/access-log';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { LEDGER } from '../../../application/shared/settings';
import { can, type Permission } from '../../../domain/accounts';
import type { Actor } from '../../../domain/shared/actor';
import { requestActor } from '../identity/request-actor';
import { PERMISSION_KEY } from './permission.decorator';
import { InvalidTokenError, TOKEN_SERVICE, type TokenService } from './token-service';

export const AUTH_MODE = Symbol('AuthMode');
export const ANONYMOUS: Actor = { userId: 'anonymous', orgId: 'public', role: 'consumer', regionCode: '' };

export type AuthedRequest = Request & { actor?: Actor };

/** The caller's identity, as established by the guard. */
export function actorOf(req: Request): Actor {
  return (req as AuthedRequest).actor ?? ANONYMOUS;
}

export function sourceOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Every route needs a permission (deny by default). Identity comes from the Bearer token (or, in the
 * explicit dev-headers mode, from X-* headers); the role tree decides; refusals are logged to the ledger.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_SERVICE) private readonly tokens: TokenService,
    @Inject(AUTH_MODE) private readonly mode: 'tokens' | 'dev-headers',
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const permission = this.reflector.getAllAndOverride<Permission | 'public' | undefined>(PERMISSION_KEY, [context.getHandler(), context.getClass()]);
    req.actor = this.identify(req);
    if (permission === 'public') return true;
    // Deny by default; the dev-headers mode lets routes under construction through (it is not for production).
    if (!permission) return this.mode === 'dev-headers' ? true : this.deny(req, 403, 'route has no permission (deny by default)', 'none');
    if (can(req.actor.role, permission)) return true;
    if (req.actor === ANONYMOUS) throw new UnauthorizedException('sign in first (Authorization: Bearer <token>)');
    return this.deny(req, 403, `role ${req.actor.role} lacks ${permission}`, permission);
  }

  private identify(req: Request): Actor {
    if (this.mode === 'dev-headers') return requestActor(req);
    const header = req.header('authorization');
    if (!header) return ANONYMOUS;
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('Authorization header must be "Bearer <token>"');
    try {
      return this.tokens.verify(match[1]!);
    } catch (err) {
      throw new UnauthorizedException(err instanceof InvalidTokenError && err.reason === 'expired' ? 'token expired' : 'invalid token');
    }
  }

  private async deny(req: AuthedRequest, status: number, why: string, permission: string): Promise<never> {
    await recordAccess(
      this.ledger,
      req.actor ?? ANONYMOUS,
      { method: req.method, path: req.originalUrl, status, permission, source: sourceOf(req), denied: why },
      this.clock.now(),
    );
    throw new ForbiddenException(why);
  }
}
