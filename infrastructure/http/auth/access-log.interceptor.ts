import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { type Observable, catchError, concatMap, from, throwError } from 'rxjs';
import { recordAccess } from '../../../application/audit/access-log';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { LEDGER } from '../../../application/shared/settings';
import { toHttpError } from '../errors/domain-exception.filter';
import { actorOf, sourceOf } from './auth.guard';
import { PERMISSION_KEY, SENSITIVE_KEY } from './permission.decorator';

/** Puts sensitive reads, and every request refused for scope or ownership, into the access log. */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const sensitive = this.reflector.getAllAndOverride<boolean>(SENSITIVE_KEY, [context.getHandler(), context.getClass()]) === true;
    const permission = String(this.reflector.getAllAndOverride<string>(PERMISSION_KEY, [context.getHandler(), context.getClass()]) ?? 'none');
    const entry = (status: number, denied?: string) => ({ method: req.method, path: req.originalUrl, status, permission, source: sourceOf(req), ...(denied ? { denied } : {}) });
    // The log entry is written before the response goes out, so an answered request is always on record.
    return next.handle().pipe(
      concatMap(async (value) => {
        if (sensitive) await recordAccess(this.ledger, actorOf(req), entry(res.statusCode), this.clock.now());
        return value;
      }),
      catchError((err: unknown) => {
        const { status, body } = toHttpError(err);
        if (status !== 403 && !(sensitive && status < 500)) return throwError(() => err);
        return from(recordAccess(this.ledger, actorOf(req), entry(status, status === 403 ? body.error : undefined), this.clock.now())).pipe(
          concatMap(() => throwError(() => err)),
        );
      }),
    );
  }
}
