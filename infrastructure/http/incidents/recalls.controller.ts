import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { AcknowledgeRecallCommand, ReportRecallQuantitiesCommand } from '../../../application/recall/recall-commands';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { parseInput } from '../validation/parse-input';
import { AcknowledgeRecallBody, ReportRecallBody } from './incidents.schemas';

/** 召回: a holder's recall inbox, acknowledgement and quantity reports (its own notices only). */
@ApiTags('recall')
@Controller('api/v1/recalls')
export class RecallsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  @Get()
  @Requires('recall.respond')
  @ApiOperation({ summary: 'The caller’s recall inbox: every notice to its entity, newest first, with the lots and what is still to account for' })
  async inbox(@Req() req: Request) {
    const actor = actorOf(req);
    const notices = await this.models.find('recall_notices', { holderEntityId: actor.orgId }, { sort: { issuedAt: -1 }, limit: 1000 });
    const incidents = await this.models.getMany('incidents', [...new Set(notices.map((n) => n.incidentId as string))]);
    const byId = new Map(incidents.map((i) => [i._id, i]));
    const items = notices.map((n) => {
      const incident = byId.get(n.incidentId as string);
      return { ...n, incident: incident ? { title: incident.title, status: incident.status, level: incident.level, category: incident.category } : null };
    });
    return { items, total: items.length, unanswered: notices.filter((n) => n.status === 'notified').length };
  }

  @Get(':incidentId/:holderEntityId')
  @Requires('recall.respond')
  @ApiOperation({ summary: 'One recall notice of the caller’s entity' })
  async get(@Req() req: Request, @Param('incidentId') incidentId: string, @Param('holderEntityId') holderEntityId: string) {
    const doc = await this.models.get('recall_notices', `${incidentId}:${holderEntityId}`);
    // ACCESS: "the caller's own notice" is the party rule of the policy; notices are keyed by the holder.
    if (!doc || doc.holderEntityId !== actorOf(req).orgId) throw new NotFoundError('recall notice', `${incidentId}/${holderEntityId}`);
    return doc;
  }

  @Post(':incidentId/:holderEntityId/acknowledge')
  @Requires('recall.respond')
  @HttpCode(200)
  @ApiOperation({ summary: '签收: the holder acknowledges the notice' })
  async acknowledge(@Req() req: Request, @Param('incidentId') incidentId: string, @Param('holderEntityId') holderEntityId: string, @Body() body: unknown) {
    const { note } = parseInput(AcknowledgeRecallBody, body);
    return this.commands.execute(new AcknowledgeRecallCommand({ incidentId, holderEntityId, note }, this.commands.meta(req)));
  }

  @Post(':incidentId/:holderEntityId/report')
  @Requires('recall.respond')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report, per lot, the quantity recovered, destroyed or already sold to consumers (reports add up; never more than the holder must account for)' })
  async report(@Req() req: Request, @Param('incidentId') incidentId: string, @Param('holderEntityId') holderEntityId: string, @Body() body: unknown) {
    const { lots, note } = parseInput(ReportRecallBody, body);
    return this.commands.execute(new ReportRecallQuantitiesCommand({ incidentId, holderEntityId, lots, note }, this.commands.meta(req)));
  }
}
