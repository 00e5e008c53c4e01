import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, type Observable, switchMap } from 'rxjs';
import type { StatisticsRuntime } from '../../composition/statistics';
import { STATISTICS_RUNTIME } from './statistics-runtime.token';

/**
 * Read-your-writes for the statistics routes (decision 0025): the statistics projection is eventually consistent
 * — a command's answer does not wait for it — so a dashboard request waits, before it reads, until the projection
 * includes what the log held when the request came (bounded by READ_YOUR_WRITES_MS; then it answers with what is
 * folded). Caught up, that is one read of the log head and one of a checkpoint.
 */
@Injectable()
export class StatisticsCaughtUp implements NestInterceptor {
  constructor(@Inject(STATISTICS_RUNTIME) private readonly runtime: StatisticsRuntime) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.runtime.progress.caughtUp()).pipe(switchMap(() => next.handle()));
  }
}
