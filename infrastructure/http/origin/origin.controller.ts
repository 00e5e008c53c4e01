import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AccessPolicy } from '../../../application/access/access-policy';
import { narrowRegion, scopeOf } from '../../../application/access/region-scope';
import { originRecordResource, regionResource } from '../../../application/access/resources';
import { ChangeOriginRecordCommand, CollectOriginRecordCommand, ReviewOriginRecordCommand, SetOriginContactsCommand, SetOriginScopeRulesCommand, SetOriginTargetsCommand } from '../../../application/origin/origin-commands';
import { ID_GENERATOR, type IdGenerator } from '../../../application/ports/clock';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { Filter } from '../../../application/ports/read-store';
import { expectedCounts, KEY_PRODUCTS, NATIONAL_THRESHOLDS, type OriginRecordInput, type OriginTargets } from '../../../domain/origin';
import { NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { CommandGateway } from '../command-gateway';
import { parseInput } from '../validation/parse-input';
import { cellsOfBbox } from '../../../projections/origin/origin-points.projection';

/** The most points one map answer holds (the client clusters them). */
export const POINTS_LIMIT = 20_000;

const RecordBody = z.object({ fields: z.record(z.string(), z.unknown()), channel: z.enum(['form', 'map']).default('form') });
const ChangeBody = z.object({ fields: z.record(z.string(), z.unknown()) });
const ReturnBody = z.object({ reason: z.string().max(1000), deadline: z.string().max(40) });
const ContactsBody = z.object({ contacts: z.array(z.record(z.string(), z.unknown())).max(50) });
const TargetsBody = z.object({ targets: z.record(z.string(), z.unknown()) });
const ThresholdsBody = z.object({ thresholds: z.record(z.string(), z.unknown()) });
const CollectorsQuery = z.object({ region: z.string().regex(/^\d{2,9}$/).optional() });
const REGION_PARAM = /^(\d{2}|\d{4}|\d{6}|\d{9})?$/;
export const ListQuery = z.object({
  product: z.string().max(40).optional(),
  region: z.string().regex(/^\d{2,12}$/).optional(),
  reviewState: z.enum(['pending', 'approved', 'returned']).optional(),
  certification: z.enum(['green', 'organic', 'geo-indication', 'other']).optional(),
  traceMethod: z.string().max(40).optional(),
  inScope: z.enum(['true', 'false']).optional(),
  minScale: z.coerce.number().optional(),
  maxScale: z.coerce.number().optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  bbox: z.string().regex(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * The list filter of origin records: the caller's scope first (the policy's narrowRegion: a region outside it is a
 * 403), by the village-code prefix every level shares (province 2, county 6, township 9 digits); a producer its own.
 */
export function originFilter(req: Request, q: z.infer<typeof ListQuery>): Filter {
  const actor = actorOf(req);
  const filter: Filter = { retired: false };
  if (actor.role === 'producer') filter.entityId = actor.orgId;
  const region = actor.role === 'producer' ? q.region : narrowRegion(scopeOf(actor), q.region);
  if (region) filter.villageCode = { $prefix: region };
  if (q.product) filter.product = q.product;
  if (q.reviewState) filter.reviewState = q.reviewState;
  if (q.certification) filter.certification = q.certification;
  if (q.traceMethod) filter.traceMethods = q.traceMethod;
  if (q.inScope) filter.inScope = q.inScope === 'true';
  if (q.minScale !== undefined || q.maxScale !== undefined) filter.scaleAmount = { ...(q.minScale !== undefined ? { $gte: q.minScale } : {}), ...(q.maxScale !== undefined ? { $lte: q.maxScale } : {}) };
  if (q.from || q.to) filter.updatedAt = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
  if (q.bbox) {
    const [minLon, minLat, maxLon, maxLat] = q.bbox.split(',').map(Number) as [number, number, number, number];
    filter.lon = { $gte: minLon, $lte: maxLon };
    filter.lat = { $gte: minLat, $lte: maxLat };
  }
  return filter;
}

/** 产地溯源信息采集 (seed 003): the records (一张表 / 一张图), their collection and county review, and the 附件2 contacts. */
@ApiTags('origin')
@Controller('api/v1/origin')
export class OriginController {
  constructor(
    private readonly commands: CommandGateway,
    private readonly policy: AccessPolicy,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Get('products')
  @Requires('origin.read')
  @ApiOperation({ summary: 'The 12 key products (seed 003 §二) with unit, threshold rule and NY/T 3177-2018 class' })
  products() {
    return { items: KEY_PRODUCTS };
  }

  @Post('records')
  @Requires('origin.collect')
  @ApiOperation({ summary: '采集: a new record (form, or 直接标注 from a map point: channel "map")' })
  async collect(@Req() req: Request, @Body() body: unknown) {
    const { fields, channel } = parseInput(RecordBody, body);
    return this.commands.execute(new CollectOriginRecordCommand({ recordId: this.ids.uuid(), fields: fields as unknown as OriginRecordInput, channel }, this.commands.meta(req)));
  }

  @Get('records')
  @Requires('origin.read')
  @ApiOperation({ summary: '一张表: records by product, scale, region (to the township), time, certification, trace method, review state; paged' })
  async list(@Req() req: Request, @Query() query: unknown) {
    const q = parseInput(ListQuery, query);
    const filter = originFilter(req, q);
    const [items, total] = await Promise.all([
      this.models.find('origin_records', filter, { sort: { updatedAt: -1 }, skip: (q.page - 1) * q.pageSize, limit: q.pageSize }),
      this.models.count('origin_records', filter),
    ]);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  @Get('points')
  @Requires('origin.read')
  @ApiOperation({ summary: '一张图: the points (id, product, lat/lon as kept, review state) of the same filters, within a bbox; clustered on the client' })
  async points(@Req() req: Request, @Query() query: unknown) {
    const q = parseInput(ListQuery, query);
    // The slim points read model (origin-points.projection.ts); a map view reads the grid cells it covers.
    const filter = originFilter(req, q);
    if (q.bbox) {
      const [minLon, minLat, maxLon, maxLat] = q.bbox.split(',').map(Number) as [number, number, number, number];
      const cells = cellsOfBbox(minLon, minLat, maxLon, maxLat);
      if (cells) filter.cell = { $in: cells };
    }
    const docs = await this.models.find('origin_points', filter, { limit: POINTS_LIMIT });
    return { items: docs.map((d) => ({ id: d._id, product: d.product, lat: d.latText, lon: d.lonText, reviewState: d.reviewState, inScope: d.inScope })), truncated: docs.length === POINTS_LIMIT };
  }

  @Get('completeness')
  @Requires('origin.read')
  @ApiOperation({
    summary: 'Completeness for the caller’s region: collected, approved, returned, pending, in scope, by product — against the region’s 目标任务 (expected count), with rates',
  })
  async completeness(@Req() req: Request, @Query() query: unknown) {
    const q = parseInput(ListQuery, query);
    const base = originFilter(req, q);
    const region = (base.villageCode as { $prefix?: string } | undefined)?.$prefix ?? '';
    const count = (extra: Filter) => this.models.count('origin_records', { ...base, ...extra });
    // What the region expects (目标任务): its own table, else the top-most ones set below it (domain/origin/targets.ts).
    const tables = (await this.models.find('origin_targets', region ? { regionCode: { $prefix: region } } : {}, { limit: 5000 })).map((d) => ({ regionCode: String(d.regionCode), targets: d.targets as OriginTargets }));
    const expected = expectedCounts(region, tables);
    const rate = (n: number, of: number | null) => (of === null || of === 0 ? null : Math.round((n / of) * 1000) / 1000);
    const byProduct = await Promise.all(
      KEY_PRODUCTS.map(async (p) => {
        const inScope = await count({ product: p.code, inScope: true });
        const approvedInScope = await count({ product: p.code, inScope: true, reviewState: 'approved' });
        const e = expected[p.code] ?? null;
        return { product: p.code, name: p.name, collected: await count({ product: p.code }), approved: await count({ product: p.code, reviewState: 'approved' }), inScope, approvedInScope, expected: e, collectedRate: rate(inScope, e), approvedRate: rate(approvedInScope, e) };
      }),
    );
    const named = byProduct.filter((p) => p.expected !== null);
    const expectedTotal = named.length === 0 ? null : named.reduce((sum, p) => sum + p.expected!, 0);
    // Against the expected count, only the products a target names are counted (the others have nothing to meet).
    const inScopeNamed = named.reduce((sum, p) => sum + p.inScope, 0);
    const approvedNamed = named.reduce((sum, p) => sum + p.approvedInScope, 0);
    return {
      region,
      collected: await count({}),
      approved: await count({ reviewState: 'approved' }),
      returned: await count({ reviewState: 'returned' }),
      pending: await count({ reviewState: 'pending' }),
      inScope: await count({ inScope: true }),
      expected: expectedTotal,
      collectedRate: rate(inScopeNamed, expectedTotal),
      approvedRate: rate(approvedNamed, expectedTotal),
      byProduct,
    };
  }

  @Get('targets/:region')
  @Requires('origin.read')
  @ApiOperation({ summary: '目标任务: the expected count per key product a region set (use "national" for the ministry); what completeness is measured against' })
  async targets(@Req() req: Request, @Param('region') region: string) {
    const code = region === 'national' ? '' : region;
    if (!REGION_PARAM.test(code)) throw new ValidationError('region', 'region must be a region code (2, 4, 6 or 9 digits) or "national"', { value: region });
    await this.policy.read(actorOf(req), { ...regionResource(code), overlap: true });
    const doc = await this.models.get('origin_targets', region === 'national' ? 'national' : code);
    return doc ?? { _id: region, regionCode: code, targets: {} };
  }

  @Put('targets/:region')
  @Requires('origin.review')
  @ApiOperation({ summary: '目标任务: set a region’s expected counts per key product ({ targets: { cowpea: 120, … } }); county reviewers and above, for regions in their scope' })
  setTargets(@Req() req: Request, @Param('region') region: string, @Body() body: unknown) {
    const { targets } = parseInput(TargetsBody, body);
    const regionCode = region === 'national' ? '' : region;
    if (!REGION_PARAM.test(regionCode)) throw new ValidationError('region', 'region must be a region code (2, 4, 6 or 9 digits) or "national"', { value: region });
    return this.commands.execute(new SetOriginTargetsCommand({ regionCode, targets }, this.commands.meta(req)));
  }

  @Get('scope-rules/:province')
  @Requires('origin.read')
  @ApiOperation({ summary: '采集范围: the 规模以上 thresholds in force in a province — the national table and the province’s own overrides' })
  async scopeRules(@Param('province') province: string) {
    if (!/^\d{2}$/.test(province)) throw new ValidationError('province', 'province must be a 2-digit province code', { value: province });
    const doc = await this.models.get('origin_scope_rules', province);
    const overrides = (doc?.thresholds as Record<string, unknown> | undefined) ?? {};
    return { provinceCode: province, national: NATIONAL_THRESHOLDS, overrides, inForce: { ...NATIONAL_THRESHOLDS, ...overrides } };
  }

  @Put('scope-rules/:province')
  @Requires('origin.review')
  @ApiOperation({ summary: '采集范围: set a province’s own thresholds ({ thresholds: { planting: "1", "live-pig": "50" } }, amounts in the national unit); the province’s administration or the ministry' })
  setScopeRules(@Req() req: Request, @Param('province') province: string, @Body() body: unknown) {
    const { thresholds } = parseInput(ThresholdsBody, body);
    if (!/^\d{2}$/.test(province)) throw new ValidationError('province', 'province must be a 2-digit province code', { value: province });
    return this.commands.execute(new SetOriginScopeRulesCommand({ provinceCode: province, thresholds }, this.commands.meta(req)));
  }

  @Get('collectors')
  @Requires('origin.review')
  @ApiOperation({ summary: '绩效考核: per collector in the caller’s region, returns left unfixed past their deadline (overdueReturns) and fixes made late (lateFixes)' })
  async collectors(@Req() req: Request, @Query() query: unknown) {
    const q = parseInput(CollectorsQuery, query);
    const region = narrowRegion(scopeOf(actorOf(req)), q.region);
    const items = await this.models.find('origin_collectors', region ? { townshipCode: { $prefix: region } } : {}, { sort: { overdueReturns: -1 }, limit: 500 });
    return { items: items.map((d) => ({ userId: d.userId ?? d._id, collectorName: d.collectorName ?? null, countyCode: d.countyCode ?? null, townshipCode: d.townshipCode ?? null, overdueReturns: d.overdueReturns ?? 0, lateFixes: d.lateFixes ?? 0 })) };
  }

  @Get('records/:id')
  @Requires('origin.read')
  @ApiOperation({ summary: 'One record' })
  async get(@Req() req: Request, @Param('id') id: string) {
    const doc = await this.models.get('origin_records', id);
    if (!doc) throw new NotFoundError('origin record', id);
    await this.policy.read(actorOf(req), originRecordResource(doc));
    return doc;
  }

  @Put('records/:id')
  @Requires('origin.collect')
  @ApiOperation({ summary: '信息变更: the whole form again (history kept; nothing appended when unchanged)' })
  async change(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { fields } = parseInput(ChangeBody, body);
    return this.commands.execute(new ChangeOriginRecordCommand({ recordId: id, fields: fields as unknown as OriginRecordInput }, this.commands.meta(req)));
  }

  @Post('records/:id/refresh')
  @Requires('origin.collect')
  @HttpCode(200)
  @ApiOperation({ summary: '按期更新: still current for this crop cycle / month' })
  refresh(@Req() req: Request, @Param('id') id: string) {
    return this.commands.execute(new ReviewOriginRecordCommand({ recordId: id, decision: 'refresh' }, this.commands.meta(req)));
  }

  @Post('records/:id/approve')
  @Requires('origin.review')
  @HttpCode(200)
  @ApiOperation({ summary: '审核通过 (county)' })
  approve(@Req() req: Request, @Param('id') id: string) {
    return this.commands.execute(new ReviewOriginRecordCommand({ recordId: id, decision: 'approve' }, this.commands.meta(req)));
  }

  @Post('records/:id/return')
  @Requires('origin.review')
  @HttpCode(200)
  @ApiOperation({ summary: '退回修改 with a reason and a deadline (county)' })
  return(@Req() req: Request, @Param('id') id: string, @Body() body: unknown) {
    const { reason, deadline } = parseInput(ReturnBody, body);
    return this.commands.execute(new ReviewOriginRecordCommand({ recordId: id, decision: 'return', reason, deadline }, this.commands.meta(req)));
  }

  @Get('contacts/:region')
  @Requires('origin.read')
  @ApiOperation({ summary: '附件2: the contact list of a region (use "national" for the ministry)' })
  async contacts(@Req() req: Request, @Param('region') region: string) {
    // 附件2 names whom to call along one's own line: a region's list is read by those whose scope overlaps it (the
    // region itself, the levels above and below it; the national list by every scope), not by a neighbour county.
    const code = region === 'national' ? '' : region;
    if (!/^(\d{2}|\d{4}|\d{6}|\d{9})?$/.test(code)) throw new ValidationError('region', 'region must be a region code (2, 4, 6 or 9 digits) or "national"', { value: region });
    await this.policy.read(actorOf(req), { ...regionResource(code), overlap: true });
    const doc = await this.models.get('origin_contacts', region);
    return doc ?? { _id: region, contacts: [] };
  }

  @Put('contacts/:region')
  @Requires('origin.contacts')
  @ApiOperation({ summary: '附件2: set the contact list of a region (that region’s admins or above)' })
  setContacts(@Req() req: Request, @Param('region') region: string, @Body() body: unknown) {
    const { contacts } = parseInput(ContactsBody, body);
    const regionCode = region === 'national' ? '' : region;
    return this.commands.execute(new SetOriginContactsCommand({ regionCode, contacts: contacts as never }, this.commands.meta(req)));
  }
}
