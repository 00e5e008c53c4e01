import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AccessPolicy, complaintResource, listScope } from '../../../application/access';
import { AnswerComplaintCommand, receiptMatches, SubmitComplaintCommand } from '../../../application/complaints/complaints';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter, ReadDoc } from '../../../application/ports/read-store';
import { maskPhone } from '../../../domain/complaints';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Public, Requires, SensitiveRead } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { AnswerComplaintBody, SubmitComplaintBody } from './complaints.schemas';

/**
 * 12316 公众留言 / 投诉: submitted by anyone (the consumer page's link), answered by the supervision of the
 * county where the product is sold. The public reads its answer with the receipt it was given; supervisors
 * list their region's complaints with phone numbers masked and see a number in clear only on the one
 * complaint that asked to be called back (a logged read).
 */
@ApiTags('complaints')
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    private readonly access: AccessPolicy,
  ) {}

  @Post()
  @Public()
  @ApiOperation({ summary: 'Submit a complaint or message (12316); answers {complaintId, receipt} — the receipt reads the answer later' })
  async submit(@Req() req: Request, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(SubmitComplaintBody, body);
    return this.commands.execute(new SubmitComplaintCommand(input, this.commands.meta(req)));
  }

  @Get(':id/answer')
  @Public()
  @ApiOperation({ summary: 'The answer, to whoever holds the receipt (404 otherwise, so a complaint id alone reveals nothing)' })
  @ApiQuery({ name: 'receipt', required: true })
  async answer(@Param('id') id: string, @Query('receipt') receipt?: string) {
    const doc = await this.models.get('complaints', id);
    if (!doc || typeof receipt !== 'string' || !receiptMatches(receipt, doc.receiptSha256 as string)) throw new NotFoundError('complaint', id);
    return { complaintId: id, status: doc.status, submittedAt: doc.submittedAt, answer: doc.answer, answeredAt: doc.answeredAt };
  }

  @Get()
  @Requires('complaint.manage')
  @ApiOperation({ summary: 'Complaints in the caller’s region, newest first; phone numbers masked' })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'answered'] })
  @ApiQuery({ name: 'region', required: false })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const filter: Filter = listScope(actorOf(req), 'complaints', query.region);
    if (query.status) filter.status = query.status;
    const found = await pagedFind(this.models, 'complaints', filter, { submittedAt: -1 }, query);
    return { ...found, items: found.items.map((d) => shown(d, false)) };
  }

  @Get(':id')
  @Requires('complaint.manage')
  @SensitiveRead()
  @ApiOperation({ summary: 'One complaint; the phone number in clear only when a call-back was asked for' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('complaints', id);
    if (!doc) throw new NotFoundError('complaint', id);
    await this.access.read(actorOf(req), complaintResource(doc));
    return shown(doc, true);
  }

  @Post(':id/answer')
  @Requires('complaint.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the complaint (once); name the incident opened from it, if any' })
  async reply(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...input } = parseInput(AnswerComplaintBody, body);
    return this.commands.execute(new AnswerComplaintCommand({ complaintId: id, ...input }, this.commands.meta(req)));
  }
}

/** The complaint as a supervisor sees it: never the receipt's hash; the phone masked unless `inClear` and a call-back was asked for. */
function shown(doc: ReadDoc, inClear: boolean) {
  const { receiptSha256: _r, contact, ...rest } = doc;
  const c = contact as { name: string | null; phone: string | null; callBack: boolean };
  return { ...rest, contact: { name: c.name, callBack: c.callBack, phone: inClear && c.callBack ? c.phone : maskPhone(c.phone) } };
}
