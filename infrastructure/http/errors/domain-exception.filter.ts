import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConcurrencyError } from '../../../application/ports/event-store';
import { BusinessRuleError, DomainError, InvalidStateError, NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { RequestRejected } from './request-rejected';
import { isStorageFull } from '../../system/storage-full';

/** Business refusals that are about who is asking, not what is asked: 403. */
const FORBIDDEN_CODES = new Set(['OUT_OF_SCOPE', 'NOT_HOLDER', 'NOT_RECEIVER', 'NOT_ALLOWED', 'ACCOUNT_DISABLED', 'PASSWORD_CHANGE_REQUIRED']);

export interface ErrorBody {
  error: string;
  message: string;
  details: Record<string, unknown>;
}

/** Maps every failure to the JSON error of DESIGN.md: {error, message, details}. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof RequestRejected) return { status: err.status, body: { error: err.code, message: err.message, details: err.details } };
  if (err instanceof ValidationError) return { status: 400, body: { error: err.code, message: err.message, details: err.details } };
  if (err instanceof NotFoundError) return { status: 404, body: { error: err.code, message: err.message, details: err.details } };
  if (err instanceof BusinessRuleError && FORBIDDEN_CODES.has(err.code))
    return { status: 403, body: { error: err.code, message: err.message, details: err.details } };
  if (err instanceof BusinessRuleError && err.code === 'BAD_CREDENTIALS')
    return { status: 401, body: { error: err.code, message: err.message, details: {} } };
  if (err instanceof BusinessRuleError && err.code === 'ACCOUNT_LOCKED')
    return { status: 423, body: { error: err.code, message: err.message, details: err.details } };
  if (err instanceof InvalidStateError || err instanceof BusinessRuleError)
    return { status: 409, body: { error: err.code, message: err.message, details: err.details } };
  if (err instanceof DomainError) return { status: 422, body: { error: err.code, message: err.message, details: err.details } };
  if (isStorageFull(err)) return { status: 503, body: { error: 'STORAGE_FULL', message: 'Storage is full: nothing was written; retry once space is freed', details: {} } };
  if (err instanceof ConcurrencyError)
    return {
      status: 409,
      body: { error: 'CONCURRENCY_CONFLICT', message: err.message, details: { streamId: err.streamId } },
    };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const res = err.getResponse();
    const message = typeof res === 'string' ? res : ((res as { message?: string }).message ?? err.message);
    const code = status === 404 ? 'NOT_FOUND' : status === 429 ? 'TOO_MANY_REQUESTS' : status === 403 ? 'FORBIDDEN' : status === 401 ? 'UNAUTHORIZED' : 'HTTP_ERROR';
    return { status, body: { error: code, message: String(message), details: {} } };
  }
  return { status: 500, body: { error: 'INTERNAL', message: 'Internal error', details: {} } };
}

/** A failed request as the exception filter answers it. */
export interface Failure {
  error: unknown;
  status: number;
  body: ErrorBody;
  req: Request;
}

/**
 * Something that must see a failure before its answer goes out (the access log, the over-shipment watch).
 * Returns undefined when the failure is none of its business, so most failures are answered at once.
 */
export type FailureObserver = (failure: Failure) => Promise<void> | undefined;

/**
 * Maps every failure to the JSON error of DESIGN.md. Observers run in order, each finished before the next
 * and before the answer; if one fails, the request fails with that error instead.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly onInternal: (err: unknown) => void,
    private readonly observers: readonly FailureObserver[] = [],
  ) {}

  /**
   * Answers the failure; returns undefined when it was answered at once, else the promise of the answer
   * (observers first), which never rejects. Nest ignores the value; tests await it instead of a clock.
   */
  catch(exception: unknown, host: ArgumentsHost): Promise<void> | undefined {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const failure: Failure = { error: exception, ...toHttpError(exception), req: http.getRequest<Request>() };
    const observed = this.observe(failure, 0);
    if (!observed) {
      this.answer(res, failure.error, failure);
      return undefined;
    }
    return observed.then(
      () => this.answer(res, failure.error, failure),
      (observerError: unknown) => this.answer(res, observerError, toHttpError(observerError)),
    );
  }

  private observe(failure: Failure, from: number): Promise<void> | undefined {
    for (let i = from; i < this.observers.length; i++) {
      const pending = this.observers[i]!(failure);
      if (pending) return pending.then(() => this.observe(failure, i + 1));
    }
    return undefined;
  }

  private answer(res: Response, error: unknown, { status, body }: { status: number; body: ErrorBody }): void {
    if (status >= 500) this.onInternal(error);
    // Explicitly JSON: a route that set its own media type (@Header, e.g. EPCIS's application/ld+json)
    // would otherwise send its error body under that type.
    res.status(status).type('application/json').json(body);
  }
}
