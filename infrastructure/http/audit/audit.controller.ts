import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AccessPolicy, auditLogScope, streamResource } from '../../../application/access';
import { actorOf } from '../auth/auth.guard';
import { Requires, SensitiveRead } from '../auth/permission.decorator';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { streamHistory } from '../../../application/audit/stream-history';
import { verifyLedger } from '../../../application/audit/verify-ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import { EVENT_STORE, type EventStore } from '../../../application/ports/event-store';
import { AUDIT_LOG_QUERY, type AuditLogCriteria, type AuditLogQuery } from '../../../application/ports/audit-log-query';
import { searchAuditLog } from '../../../application/audit-log/search-audit-log';
import { NotFoundError } from '../../../domain/shared/errors';
import { pageParams } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';

const StreamId = z.string().regex(/^[a-z]+-[A-Za-z0-9._-]+$/, 'must be a stream id like lot-{traceCode}');
const LogQuery = z.object({
  actor: z.string().optional(),
  stream: z.string().optional(),
  type: z.string().optional(),
  source: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  q: z.string().max(100).optional(),
});

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_LOG_QUERY) private readonly auditLog: AuditLogQuery,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: AccessPolicy,
  ) {}

  @Get('streams/:streamId')
  @Requires('audit.read')
  @SensitiveRead()
  @ApiOperation({ summary: "A stream's full history; ?asOf= gives the state as the ledger knew it then (replay)" })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 date-time' })
  async stream(@Req() req: Request, @Param('streamId') streamId: string, @Query('asOf') asOf?: string) {
    parseInput(StreamId, streamId, 'streamId');
    const history = await streamHistory(this.store, streamId, asOf);
    if (!history) throw new NotFoundError('stream', streamId);
    // Auditors below the national level replay streams of their own region only (streamResource says where a stream is).
    await this.access.read(actorOf(req), streamResource(streamId, history.state));
    return history;
  }

  @Get('verify')
  @Requires('audit.read')
  @ApiOperation({ summary: 'Integrity check: re-hash every event and check each stream hash chain (whole ledger, or ?stream=)' })
  @ApiQuery({ name: 'stream', required: false })
  async verify(@Query('stream') stream?: string) {
    if (stream !== undefined) {
      parseInput(StreamId, stream, 'stream');
      const report = await verifyLedger(this.store, this.clock.now(), stream);
      if (report.eventsChecked === 0) throw new NotFoundError('stream', stream);
      return report;
    }
    return verifyLedger(this.store, this.clock.now());
  }

  @Get('log')
  @Requires('audit.read')
  @SensitiveRead()
  @ApiOperation({ summary: 'Audit log: logins, failed logins, every command, sensitive reads and refusals — by time, actor, source, stream, type and keyword' })
  async log(@Req() req: Request, @Query() query: Record<string, string>) {
    const q = parseInput(LogQuery, query);
    const { page, size } = pageParams(query);
    const criteria: AuditLogCriteria = {
      ...auditLogScope(actorOf(req)),
      ...(q.actor ? { actorUserId: q.actor } : {}),
      ...(q.stream ? { streamId: q.stream } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.source ? { source: q.source } : {}),
      ...(q.from ? { recordedFrom: q.from } : {}),
      ...(q.to ? { recordedTo: q.to } : {}),
    };
    return searchAuditLog(this.auditLog, criteria, { ...(q.q ? { q: q.q } : {}), page, size });
  }
}
