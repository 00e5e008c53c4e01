import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { ReadDoc } from '../../../application/ports/read-store';
import type { Actor, Role } from '../../../domain/shared/actor';
import { actorOf } from '../auth/auth.guard';
import { notificationRegions } from '../../../application/access';
import { Requires } from '../auth/permission.decorator';
import { pageParams } from '../validation/page-params';

/** Which audiences of projections/notifications a role belongs to. */
function audiencesOf(role: Role): string[] {
  switch (role) {
    case 'ministry-admin':
    case 'system':
      return ['platform', 'supervision'];
    case 'province-admin':
    case 'city-admin':
    case 'county-admin':
    case 'township-admin':
    case 'supervisor':
    case 'inspector':
      return ['supervision'];
    case 'enforcement':
      return ['enforcement', 'supervision'];
    case 'lab':
      return ['lab'];
    default:
      return [];
  }
}

/** The in-app inbox: what was addressed to the caller's organisation or user, and its audiences in its region. */
@ApiTags('notifications')
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(@Inject(READ_MODELS) private readonly models: ReadModels) {}

  @Get()
  @Requires('notification.read')
  @ApiOperation({ summary: 'Notifications for the caller (holders learn of holds on their lots), newest first' })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const actor: Actor = actorOf(req);
    const { page, size } = pageParams(query);
    const want = page * size;
    const audiences = audiencesOf(actor.role);
    const queries = [this.models.find('notifications', { to: { $in: [`org:${actor.orgId}`, `user:${actor.userId}`] } }, { sort: { at: -1 }, limit: want })];
    if (audiences.length) {
      for (const region of notificationRegions(actor)) queries.push(this.models.find('notifications', { audience: { $in: audiences }, ...region }, { sort: { at: -1 }, limit: want }));
    }
    const merged = new Map<string, ReadDoc>();
    for (const list of await Promise.all(queries)) for (const n of list) merged.set(n._id, n);
    const all = [...merged.values()].sort((a, b) => String(b.at).localeCompare(String(a.at)) || (b.position as number) - (a.position as number));
    return { page, size, items: all.slice((page - 1) * size, page * size) };
  }
}
