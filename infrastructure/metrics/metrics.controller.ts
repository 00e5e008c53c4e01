import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { Public } from '../http/auth/permission.decorator';
import { PlatformMetrics } from './platform-metrics';

export const METRICS_TOKEN = Symbol('MetricsToken');

/**
 * GET /metrics for Prometheus. Guarded by its own bearer token (METRICS_TOKEN), not by a user session: a
 * scraper holds a static credential, and an account's token expires. Without METRICS_TOKEN the route answers
 * 404, as if it did not exist; a wrong or missing token is 401.
 */
@ApiExcludeController()
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    private readonly metrics: PlatformMetrics,
    @Inject(METRICS_TOKEN) private readonly token: string | undefined,
  ) {}

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.token) {
      res.status(404).json({ error: 'NOT_FOUND', message: 'Cannot GET /metrics', details: {} });
      return;
    }
    if (!bearerMatches(req.headers.authorization, this.token)) {
      res.status(401).setHeader('www-authenticate', 'Bearer realm="metrics"');
      res.json({ error: 'UNAUTHORIZED', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>', details: {} });
      return;
    }
    res.setHeader('content-type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
