import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Observable, concatMap } from 'rxjs';
import { type AccessEntry, recordAccess } from '../../../application/audit/access-log';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { LEDGER } from '../../../application/shared/settings';
import type { ErrorBody, FailureObserver } from '../errors/domain-exception.filter';
import { actorOf, routeAccessOf, sourceOf } from './request-identity';
import { grantReadsOf } from '../access/grant-reads';

function accessEntry(req: Request, status: number, denied?: string): AccessEntry {
  const permission = routeAccessOf(req)?.permission ?? 'none';
  const grants = grantReadsOf(req);
  return { method: req.method, path: req.originalUrl, status, permission, source: sourceOf(req), ...(denied ? { denied } : {}), ...(grants ? { grants } : {}) };
}

/**
 * Puts an answered sensitive read into the access log. Bound to the sensitive routes only (by
 * @SensitiveRead): a route without interceptors skips Nest's interceptor machinery (RxJS pipeline, async
 * resources) altogether, which was a good part of the cost of every other request.
 * The entry is written before the response goes out, so an answered request is always on record.
 */
@Injectable()
export class SensitiveReadLogInterceptor implements NestInterceptor {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      concatMap(async (value) => {
        await recordAccess(this.ledger, actorOf(req), accessEntry(req, res.statusCode), this.clock.now());
        return value;
      }),
    );
  }
}

/**
 * The failures that go into the access log, seen by the exception filter before it answers: every request
 * refused for scope or ownership (403) once past the guards — a guard logs its own refusals — and every
 * sensitive read that failed below 500 (not found, bad input). A failure to write the entry fails the
 * request (500), as a missing entry must never go unnoticed.
 */
export function accessLogOfFailures(ledger: Ledger, clock: Clock): FailureObserver {
  return ({ status, body, req }: { status: number; body: ErrorBody; req: Request }) => {
    const access = routeAccessOf(req);
    if (!access) return undefined;
    // A rate-limited request is refused before it reads anything; logging it would let a flood reach the ledger.
    if (status === 429) return undefined;
    if (status !== 403 && !(access.sensitive && status < 500)) return undefined;
    return recordAccess(ledger, actorOf(req), accessEntry(req, status, status === 403 ? body.error : undefined), clock.now());
  };
}
