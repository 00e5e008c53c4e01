import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerModuleOptions, type ThrottlerRequest } from '@nestjs/throttler';
import type { Actor } from '../../../domain/shared/actor';
import { PERMISSION_KEY } from '../auth/permission.decorator';
import { ANONYMOUS } from '../auth/request-identity';
import { SlidingWindowStorage } from './sliding-window-storage';

export interface RateLimits {
  publicPerMinute: number;
  loginPerMinute: number;
  /** Requests one signed-in account may make per minute, all authenticated routes together. */
  accountPerMinute: number;
}

const ACCOUNT = 'account';

const isPublicRoute = (ctx: ExecutionContext) => Reflect.getMetadata(PERMISSION_KEY, ctx.getHandler()) === 'public';

/** The account a request was authenticated as; undefined before the AuthGuard ran and for anonymous callers. */
function accountOf(ctx: ExecutionContext): Actor | undefined {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  return actor && actor !== ANONYMOUS && actor.userId !== ANONYMOUS.userId ? actor : undefined;
}

/**
 * Rate limits: public (unauthenticated) routes and login per client address (login much tighter), and every
 * authenticated route per account. The address limits' key is the route and the address as plain text: the
 * library hashes it with SHA-256 on every request, which buys nothing for an in-memory map whose keys are
 * short already. The account limit counts all routes together, keyed by the user id.
 */
export function throttlerOptions(limits: RateLimits): ThrottlerModuleOptions {
  return {
    storage: new SlidingWindowStorage(),
    generateKey: (ctx: ExecutionContext, tracker: string, name: string) => `${ctx.getClass().name}.${ctx.getHandler().name}|${name}|${tracker}`,
    throttlers: [
      {
        name: 'public',
        ttl: 60_000,
        limit: limits.publicPerMinute,
        skipIf: (ctx) => !isPublicRoute(ctx),
      },
      {
        name: 'login',
        ttl: 60_000,
        limit: limits.loginPerMinute,
        skipIf: (ctx) => ctx.getHandler().name !== 'login',
      },
      {
        name: ACCOUNT,
        ttl: 60_000,
        limit: limits.accountPerMinute,
        // Only AccountThrottlerGuard counts it, after the AuthGuard has established the account.
        skipIf: (ctx) => isPublicRoute(ctx) || !accountOf(ctx),
        getTracker: (_req, ctx) => accountOf(ctx)!.userId,
        generateKey: (_ctx, tracker, name) => `${name}|${tracker}`,
      },
    ],
  };
}

/**
 * The ThrottlerGuard runs before the AuthGuard (an address over its limit costs no token check); the
 * account is known only after it. This second guard, registered after the AuthGuard, applies the account
 * limit alone. (In the first guard the account throttler skips itself: no actor is set yet.)
 */
@Injectable()
export class AccountThrottlerGuard extends ThrottlerGuard {
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== ACCOUNT) return true;
    return super.handleRequest(request);
  }
}
