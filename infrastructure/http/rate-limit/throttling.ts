import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { PERMISSION_KEY } from '../auth/permission.decorator';
import { SlidingWindowStorage } from './sliding-window-storage';

export interface RateLimits {
  publicPerMinute: number;
  loginPerMinute: number;
}

/**
 * Rate limits per client address: public (unauthenticated) routes, and login much tighter. The key is the
 * route and the address as plain text: the library hashes it with SHA-256 on every request, which buys
 * nothing for an in-memory map whose keys are short already.
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
        skipIf: (ctx) => Reflect.getMetadata(PERMISSION_KEY, ctx.getHandler()) !== 'public',
      },
      {
        name: 'login',
        ttl: 60_000,
        limit: limits.loginPerMinute,
        skipIf: (ctx) => ctx.getHandler().name !== 'login',
      },
    ],
  };
}
