import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store';
import { ProjectionRunner } from '../../../projections/runner/projection-runner';
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
  ) {}

  /** The process serves HTTP (kept at /healthz for older probes). */
  @Get(['health/live', 'healthz'])
  live() {
    return { status: 'ok' };
  }

  /** 200 once start-up is done and the projections have reached the log head seen then; 503 before. */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const state = this.readiness.state();
    let eventStore: { status: 'up' | 'down'; head?: number; error?: string };
    try {
      eventStore = { status: 'up', head: await this.events.headPosition() };
    } catch (err) {
      eventStore = { status: 'down', error: err instanceof Error ? err.message : String(err) };
    }
    const projections = eventStore.status === 'up' ? await this.runner.status() : [];
    const ok = state.ready && eventStore.status === 'up';
    res.status(ok ? 200 : 503);
    return {
      status: ok ? 'ready' : 'starting',
      ...state,
      dependencies: { eventStore },
      projections: projections.map((p) => ({ name: p.name, lag: p.lag, deadLetters: p.deadLetters, rebuilding: p.rebuilding })),
      maxLag: Math.max(0, ...projections.map((p) => p.lag)),
    };
  }
}
