import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { type Observable, catchError, from, concatMap, throwError } from 'rxjs';
import type { OverShipmentWatch } from '../../../application/risk/over-shipment';
import { BusinessRuleError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';

export const OVER_SHIPMENT_WATCH = Symbol('OverShipmentWatch');

/**
 * Shipping or certifying more than a lot holds is refused by the lot decider (INSUFFICIENT_QUANTITY, 409)
 * and appends nothing. This interceptor shows each such refusal to the over-shipment watch (suspected lot
 * mixing, 混批), which raises a warning when the ministry's rule is met. Watching never changes the answer.
 */
@Injectable()
export class OverShipmentInterceptor implements NestInterceptor {
  constructor(@Inject(OVER_SHIPMENT_WATCH) private readonly watch: OverShipmentWatch) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (!(err instanceof BusinessRuleError) || err.code !== 'INSUFFICIENT_QUANTITY') return throwError(() => err);
        return from(this.watch.observe(err.details, actorOf(req), req.originalUrl).catch(() => null)).pipe(concatMap(() => throwError(() => err)));
      }),
    );
  }
}
