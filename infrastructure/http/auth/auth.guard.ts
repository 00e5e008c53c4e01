import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCOUNT_CREDENTIALS, type AccountCredentials } from '../../../application/accounts/credentials';
import { recordAccess } from '../../../application/audit/access-log';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { LEDGER } from '../../../application/shared/settings';
import { can, type Permission } from '../../../domain/accounts';
import { BusinessRuleError } from '../../../domain/shared/errors';
import { requestActor } from '../identity/request-actor';
import { BEFORE_PASSWORD_CHANGE_KEY, PERMISSION_KEY, SENSITIVE_KEY } from './permission.decorator';
import { ANONYMOUS, type AuthedRequest, sourceOf } from './request-identity';
import { InvalidTokenError, TOKEN_SERVICE, type TokenService, type VerifiedToken } from './token-service';

export { ANONYMOUS, actorOf, sourceOf, type AuthedRequest } from './request-identity';
export const AUTH_MODE = Symbol('AuthMode');

interface RouteRules {
  controller: object;
  permission: Permission | 'public' | undefined;
  sensitive: boolean;
  allowedBeforePasswordChange: boolean;
}

/** 403: the account signs in with a password someone else chose (initial, reset, legacy) and must change it first. */
export class PasswordChangeRequiredError extends BusinessRuleError {
  constructor() {
    super('PASSWORD_CHANGE_REQUIRED', 'change your password first (POST /api/v1/auth/password)');
  }
}

/**
 * Every route needs a permission (deny by default). Identity comes from the Bearer token (or, in the
 * explicit dev-headers mode, from X-* headers); the role tree decides; refusals are logged to the ledger.
 * A request let through carries its route's access rules, for the access log of what happens next.
 * A token counts only while its version is the account's current one (a disable or a new password revokes
 * it at once), and a token of an account that must change its password opens only the routes marked
 * @AllowedBeforePasswordChange (on public routes it counts for nothing: the caller is anonymous there).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Route metadata is fixed at start-up: read it once per handler, not on every request. */
  private readonly rules = new WeakMap<object, RouteRules>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_SERVICE) private readonly tokens: TokenService,
    @Inject(AUTH_MODE) private readonly mode: 'tokens' | 'dev-headers',
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCOUNT_CREDENTIALS) private readonly credentials: AccountCredentials,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const { permission, sensitive, allowedBeforePasswordChange } = this.rulesOf(context);
    const token = this.identify(req);
    req.actor = token?.actor ?? (this.mode === 'dev-headers' ? requestActor(req) : ANONYMOUS);
    if (token) {
      if ((await this.credentials.tokenVersion(token.actor.userId)) !== token.tokenVersion) throw new UnauthorizedException('token revoked');
      if (token.mustChangePassword && !allowedBeforePasswordChange) {
        if (permission !== 'public') throw new PasswordChangeRequiredError();
        req.actor = ANONYMOUS;
      }
    }
    const pass = () => {
      req.routeAccess = { permission: permission ?? 'none', sensitive };
      return true;
    };
    if (permission === 'public') return pass();
    // Deny by default; the dev-headers mode lets routes under construction through (it is not for production).
    if (!permission) return this.mode === 'dev-headers' ? pass() : this.deny(req, 403, 'route has no permission (deny by default)', 'none');
    if (can(req.actor.role, permission)) return pass();
    if (req.actor === ANONYMOUS) throw new UnauthorizedException('sign in first (Authorization: Bearer <token>)');
    return this.deny(req, 403, `role ${req.actor.role} lacks ${permission}`, permission);
  }

  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const controller = context.getClass();
    let rules = this.rules.get(handler);
    if (!rules || rules.controller !== controller) {
      const targets = [handler, controller];
      rules = {
        controller,
        permission: this.reflector.getAllAndOverride<Permission | 'public' | undefined>(PERMISSION_KEY, targets),
        sensitive: this.reflector.getAllAndOverride<boolean>(SENSITIVE_KEY, targets) === true,
        allowedBeforePasswordChange: this.reflector.getAllAndOverride<boolean>(BEFORE_PASSWORD_CHANGE_KEY, targets) === true,
      };
      this.rules.set(handler, rules);
    }
    return rules;
  }

  /** The verified bearer token; null without one (anonymous) and in the dev-headers mode. */
  private identify(req: Request): VerifiedToken | null {
    if (this.mode === 'dev-headers') return null;
    const header = req.header('authorization');
    if (!header) return null;
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('Authorization header must be "Bearer <token>"');
    try {
      return this.tokens.verifyToken(match[1]!);
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
