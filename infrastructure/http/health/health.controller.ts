import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store';
import { JOB_QUEUE, type JobQueue } from '../../../application/ports/job-queue';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { SEARCH_INDEX, type SearchIndex } from '../../../application/ports/search-index';
import { ProjectionRunner, SEARCH_ALIAS, type ProjectionStatus } from '../../../projections/runner/projection-runner';
import { probe } from './dependency-probe';
import { Readiness } from '../../system/readiness';
import { Public } from '../auth/permission.decorator';

/**
 * Liveness and readiness for orchestrators, load balancers and tests. Public: they carry no business data,
 * only positions and projection names.
 */
@ApiTags('health')
@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(SEARCH_INDEX) private readonly search: SearchIndex,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  /** The process serves HTTP (kept at /healthz for older probes). */
  @Get(['health/live', 'healthz'])
  live() {
    return { status: 'ok' };
  }

  /**
   * 200 once start-up is done and the projections have reached the log head seen then; 503 before, or while
   * the event store is down. Each dependency's state is probed cheaply (head position, checkpoints, an alias
   * lookup, a count); a read-side dependency down makes the answer `degraded` (commands are still accepted:
   * the ledger is the source of truth), not 503.
   */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const state = this.readiness.state();
    const eventStore = await probe(async () => ({ head: await this.events.headPosition() }));
    let projections: ProjectionStatus[] = [];
    const readStore = await probe(async () => {
      projections = await this.runner.status();
      // The runner's status is kept in memory: a primary-key read makes the probe touch the read store
      // itself (without it a stopped MongoDB still answered "ready"; found by read-side-outage.spec.ts).
      await this.models.get('lots', '__health__');
      return {};
    });
    const search = await probe(async () => ({ index: await this.search.resolveAlias(SEARCH_ALIAS) }));
    const queue = await probe(async () => ({ pending: await this.queue.pendingCount() }));
    const ok = state.ready && eventStore.status === 'up';
    const degraded = [readStore, search, queue].some((d) => d.status === 'down');
    res.status(ok ? 200 : 503);
    return {
      status: !ok ? 'starting' : degraded ? 'degraded' : 'ready',
      ...state,
      dependencies: { eventStore, readStore, search, queue },
      projections: projections.map((p) => ({ name: p.name, lag: p.lag, deadLetters: p.deadLetters, rebuilding: p.rebuilding })),
      maxLag: Math.max(0, ...projections.map((p) => p.lag)),
    };
  }
}
