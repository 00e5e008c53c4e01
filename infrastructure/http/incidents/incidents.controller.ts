import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AccessPolicy } from '../../../application/access';
import {
  CloseIncidentCommand,
  GradeIncidentCommand,
  LogHandlingCommand,
  PublishPublicNoticeCommand,
  RecordIncidentCommand,
  ReviewIncidentCommand,
} from '../../../application/incidents/incident-commands';
import { chainViewFor, mayReadHolder, mayReadIncident } from '../../../application/incidents/incident-access';
import { OpenIncidentFromSourceCommand } from '../../../application/incidents/open-from-source';
import type { Ledger } from '../../../application/ledger/ledger';
import { PROJECTION_PROGRESS, READ_MODELS, type ProjectionProgress, type ReadModels } from '../../../application/ports/read-models';
import type { Filter, ReadDoc } from '../../../application/ports/read-store';
import { synthesisCacheFor } from '../../../application/reports/synthesis-cache';
import { LEDGER } from '../../../application/shared/settings';
import { INCIDENT_CATEGORY_LABELS_ZH, INCIDENT_LEVEL_LABELS_ZH } from '../../../domain/incidents';
import { BusinessRuleError, NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires, SensitiveRead } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { parseInput } from '../validation/parse-input';
import {
  CloseIncidentBody,
  GradeIncidentBody,
  IncidentListQuery,
  LogHandlingBody,
  OpenFromSampleBody,
  OpenFromWarningBody,
  PublishNoticeBody,
  RecordIncidentBody,
  ReviewIncidentBody,
} from './incidents.schemas';

const strip = <T extends { commandId?: string }>(body: T): Omit<T, 'commandId'> => {
  const { commandId: _c, ...rest } = body;
  return rest;
};

/** 应急事件 (seed 004 §六(四)): record, grade, review and start the response, log the handling, publish, close. */
@ApiTags('incidents')
@Controller('api/v1')
export class IncidentsController {
  constructor(
    private readonly commands: CommandGateway,
    private readonly access: AccessPolicy,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER) private readonly ledger: Ledger,
  ) {}

  @Post('incidents')
  @Requires('incident.record')
  @ApiOperation({ summary: '录入: record an incident (time, place, category, level, trace codes, entities, source, responsible person); the chain is synthesised, the lead agency derived from it' })
  async record(@Req() req: Request, @Body() body: unknown) {
    const input = strip(parseInput(RecordIncidentBody, body));
    return this.commands.execute(new RecordIncidentCommand(input, this.commands.meta(req)));
  }

  @Post('samples/:id/incident')
  @Requires('incident.record')
  @ApiOperation({ summary: 'Open an incident from a failed result in one step (its lot, product, place and time from the sample)' })
  async fromSample(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = strip(parseInput(OpenFromSampleBody, body));
    return this.commands.execute(new OpenIncidentFromSourceCommand({ ...input, source: { kind: 'failed-result', sampleId: id } }, this.commands.meta(req)));
  }

  @Post('risk-warnings/:id/incident')
  @Requires('incident.record')
  @ApiOperation({ summary: '启动应急 from a risk warning: open an incident in one step (its lot, place and level from the warning)' })
  async fromWarning(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = strip(parseInput(OpenFromWarningBody, body));
    return this.commands.execute(new OpenIncidentFromSourceCommand({ ...input, source: { kind: 'risk-warning', warningId: id } }, this.commands.meta(req)));
  }

  @Get('incidents')
  @Requires('incident.read')
  @ApiOperation({ summary: 'Incidents the caller’s region is concerned by (where it happened, where its chain runs, its lead agency), most recent first' })
  @ApiQuery({ name: 'status', required: false, enum: ['recorded', 'responding', 'declined', 'closed', 'open'] })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const q = parseInput(IncidentListQuery, query);
    const filter: Filter = {};
    if (q.status) filter.status = q.status === 'open' ? { $in: ['recorded', 'responding', 'declined'] } : q.status;
    const actor = actorOf(req);
    const docs = await this.models.find('incidents', filter, { sort: { recordedAt: -1 }, limit: 2000 });
    const items = docs.filter((d) => mayReadIncident(actor, d)).map(summaryOf);
    return { items, total: items.length };
  }

  @Get('incidents/:id')
  @Requires('incident.read')
  @ApiOperation({ summary: 'One incident: its record, level, lead agency, review, handling log, recall progress and (once closed) the handling record' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.readable(req, id);
    const [log, progress] = await Promise.all([
      this.models.find('incident_log', { incidentId: id }, { sort: { seq: 1 }, limit: 10_000 }),
      this.models.get('recall_progress', id),
    ]);
    return { ...summaryOf(doc), ...doc, handlingLog: log, recallProgress: progress };
  }

  @Get('incidents/:id/chain')
  @Requires('incident.read')
  @SensitiveRead()
  @ApiOperation({ summary: '追溯链条数据表: the incident’s chain, every holder with contact where the caller may see it — in its region, or through the response’s grant while it runs (logged)' })
  async chain(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.readable(req, id);
    const actor = actorOf(req);
    // The synthesis the report downloads reuse (application/reports/synthesis-cache.ts), as of the log head.
    const synthesis = await synthesisCacheFor({ models: this.models, progress: this.progress, store: this.ledger.store }).synthesise(doc.traceCodes as string[]);
    return { incidentId: id, status: doc.status, leadRegionCode: doc.leadRegionCode, ...chainViewFor(actor, synthesis, await this.access.grantsFor(actor)) };
  }

  @Get('incidents/:id/recall')
  @Requires('incident.read')
  @SensitiveRead()
  @ApiOperation({ summary: 'Recall progress, live: accounted for / affected, overall, by region and by holder' })
  async recall(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.readable(req, id);
    const actor = actorOf(req);
    const grants = await this.access.grantsFor(actor);
    const notices = await this.models.find('recall_notices', { incidentId: id }, { sort: { regionCode: 1 }, limit: 100_000 });
    const progress = await this.models.get('recall_progress', id);
    return {
      incidentId: id,
      status: doc.status,
      percent: (progress?.percent as number | undefined) ?? null,
      totals: progress?.totals ?? {},
      byRegion: progress?.byRegion ?? {},
      holders: notices.map((n) => {
        const holder = n.holder as { entityId: string; regionCode: string; name: string };
        const visible = mayReadHolder(actor, holder, grants);
        return visible
          ? n
          : { regionCode: n.regionCode, status: n.status, percent: n.percent, totals: n.totals, escalatedAt: n.escalatedAt, holder: { regionCode: holder.regionCode, redacted: true } };
      }),
    };
  }

  @Post('incidents/:id/grade')
  @Requires('incident.review')
  @HttpCode(200)
  @ApiOperation({ summary: '分级: change the level (一般 / 较大 / 重大 / 特别重大)' })
  async grade(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = strip(parseInput(GradeIncidentBody, body));
    return this.commands.execute(new GradeIncidentCommand({ incidentId: id, ...input }, this.commands.meta(req)));
  }

  @Post('incidents/:id/review')
  @Requires('incident.review')
  @HttpCode(200)
  @ApiOperation({ summary: '审核: the responsible person decides whether to start the response; starting it holds every lot of the chain and sends every holder a recall notice' })
  async review(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = strip(parseInput(ReviewIncidentBody, body));
    return this.commands.execute(new ReviewIncidentCommand({ incidentId: id, ...input }, this.commands.meta(req)));
  }

  @Post('incidents/:id/log')
  @Requires('incident.record')
  @ApiOperation({ summary: '处置记录: log an action, a document or people deployed' })
  async log(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = strip(parseInput(LogHandlingBody, body));
    return this.commands.execute(new LogHandlingCommand({ incidentId: id, ...input }, this.commands.meta(req)));
  }

  @Post('incidents/:id/notices')
  @Requires('incident.review')
  @ApiOperation({ summary: '应急信息发布: publish a public notice to the consumer pages of the affected codes (all of the chain when none are named)' })
  async notice(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = strip(parseInput(PublishNoticeBody, body));
    return this.commands.execute(new PublishPublicNoticeCommand({ incidentId: id, ...input }, this.commands.meta(req)));
  }

  @Post('incidents/:id/close')
  @Requires('incident.review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close with the handling record (应急事件记录): the holds are lifted and the response’s grant ends' })
  async close(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = strip(parseInput(CloseIncidentBody, body));
    return this.commands.execute(new CloseIncidentCommand({ incidentId: id, ...input }, this.commands.meta(req)));
  }

  private async readable(req: Request, id: string): Promise<ReadDoc> {
    const doc = await this.models.get('incidents', id);
    if (!doc) throw new NotFoundError('incident', id);
    if (!mayReadIncident(actorOf(req), doc)) {
      throw new BusinessRuleError('OUT_OF_SCOPE', 'this incident concerns no region of yours', { incidentId: id });
    }
    return doc;
  }
}

function summaryOf(doc: ReadDoc) {
  return {
    incidentId: doc._id,
    title: doc.title,
    category: doc.category,
    categoryLabel: INCIDENT_CATEGORY_LABELS_ZH[doc.category as keyof typeof INCIDENT_CATEGORY_LABELS_ZH],
    level: doc.level,
    levelLabel: INCIDENT_LEVEL_LABELS_ZH[doc.level as keyof typeof INCIDENT_LEVEL_LABELS_ZH],
    status: doc.status,
    occurredAt: doc.occurredAt,
    place: doc.place,
    leadRegionCode: doc.leadRegionCode,
    leadLevel: doc.leadLevel,
    recordedAt: doc.recordedAt,
  };
}
