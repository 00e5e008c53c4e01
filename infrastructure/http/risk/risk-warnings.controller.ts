import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Ledger } from '../../../application/ledger/ledger';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { DefineRiskRuleCommand, loadRiskRules, UpdateRiskRuleCommand } from '../../../application/risk/risk-rules';
import { AcknowledgeWarningCommand, CloseWarningCommand } from '../../../application/risk/warnings';
import { LEDGER } from '../../../application/shared/settings';
import { AccessPolicy, listScope, warningResource } from '../../../application/access';
import { WARNING_LEVEL_LABELS_ZH, WARNING_LEVELS } from '../../../domain/risk/levels';
import { INDICATOR_LABELS_ZH, INDICATOR_PARAMS, INDICATORS } from '../../../domain/risk/rules';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { pagedFind } from '../validation/page-params';
import { parseInput } from '../validation/parse-input';
import { AcknowledgeWarningBody, CloseWarningBody, DefineRiskRuleBody, UpdateRiskRuleBody, WarningQuery } from './risk.schemas';

/** 风险预警 (seed 000 大数据应用, seed 002 第三十三条): warnings raised by the ministry's rules, and the rules. */
@ApiTags('risk warnings')
@Controller('api/v1')
export class RiskWarningsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER) private readonly ledger: Ledger,
    private readonly access: AccessPolicy,
  ) {}

  @Get('risk-warnings')
  @Requires('warning.read')
  @ApiOperation({ summary: 'Risk warnings in the caller’s region, most recent first; filter by region, level, product, state (open = raised or acknowledged)' })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'level', required: false, enum: WARNING_LEVELS })
  @ApiQuery({ name: 'product', required: false })
  @ApiQuery({ name: 'state', required: false, enum: ['raised', 'acknowledged', 'closed', 'open'] })
  @ApiQuery({ name: 'indicator', required: false, enum: INDICATORS })
  @ApiQuery({ name: 'traceCode', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  async list(@Req() req: Request, @Query() query: Record<string, string>) {
    const q = parseInput(WarningQuery, { ...query, page: undefined, size: undefined });
    const filter: Filter = listScope(actorOf(req), 'risk_warnings', q.region);
    if (q.level) filter.level = q.level;
    if (q.product) filter.product = q.product;
    if (q.state) filter.state = q.state === 'open' ? { $in: ['raised', 'acknowledged'] } : q.state;
    if (q.indicator) filter.indicator = q.indicator;
    if (q.traceCode) filter.traceCode = q.traceCode;
    if (q.entityId) filter.entityId = q.entityId;
    return pagedFind(this.models, 'risk_warnings', filter, { raisedAt: -1 }, query);
  }

  @Get('risk-warnings/:id')
  @Requires('warning.read')
  @ApiOperation({ summary: 'One warning with its rule, evidence and lifecycle' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('risk_warnings', id);
    if (!doc) throw new NotFoundError('warning', id);
    await this.access.read(actorOf(req), warningResource(doc));
    return doc;
  }

  @Post('risk-warnings/:id/acknowledge')
  @Requires('warning.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge a warning (being handled)' })
  async acknowledge(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { note } = parseInput(AcknowledgeWarningBody, body);
    return this.commands.execute(new AcknowledgeWarningCommand({ warningId: id, ...(note !== undefined ? { note } : {}) }, this.commands.meta(req)));
  }

  @Post('risk-warnings/:id/close')
  @Requires('warning.manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a warning (handled, false alarm…); a held lot is released' })
  async close(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { reason, resolution } = parseInput(CloseWarningBody, body);
    return this.commands.execute(new CloseWarningCommand({ warningId: id, reason, resolution }, this.commands.meta(req)));
  }

  @Get('risk-rules')
  @Requires('warning.read')
  @ApiOperation({ summary: 'The risk indicators and levels in force (defaults until the ministry changes them), and the indicator catalogue' })
  async rules() {
    return {
      rules: await loadRiskRules(this.ledger),
      indicators: INDICATORS.map((i) => ({ indicator: i, label: INDICATOR_LABELS_ZH[i], params: INDICATOR_PARAMS[i] })),
      levels: WARNING_LEVELS.map((l) => ({ level: l, label: WARNING_LEVEL_LABELS_ZH[l] })),
    };
  }

  @Post('risk-rules')
  @Requires('risk-rule.manage')
  @ApiOperation({ summary: 'The ministry defines a risk rule (indicator, parameters, level)' })
  async define(@Req() req: Request, @Body() body: unknown) {
    const { rule } = parseInput(DefineRiskRuleBody, body);
    return this.commands.execute(new DefineRiskRuleCommand({ rule }, this.commands.meta(req)));
  }

  @Patch('risk-rules/:id')
  @Requires('risk-rule.manage')
  @ApiOperation({ summary: 'The ministry changes a rule: level, parameters, name, enabled' })
  async update(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { commandId: _c, ...changes } = parseInput(UpdateRiskRuleBody, body);
    return this.commands.execute(new UpdateRiskRuleCommand({ ruleId: id, changes }, this.commands.meta(req)));
  }
}
