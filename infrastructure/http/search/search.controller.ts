import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { searchRegion } from '../../../application/access';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { FacetName } from '../../../application/ports/search-index';
import { parseInput } from '../validation/parse-input';

const csv = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
const SearchParams = z.object({
  q: z.string().max(200).optional(),
  kind: z.string().optional(),
  region: z.string().regex(/^\d{2,6}$/, 'must be a 2–6 digit region code prefix').optional(),
  product: z.string().max(50).optional(),
  type: z.string().max(50).optional(),
  from: z.iso.date().or(z.iso.datetime({ offset: true })).optional(),
  to: z.iso.date().or(z.iso.datetime({ offset: true })).optional(),
  bbox: z
    .string()
    .transform((s) => s.split(',').map(Number))
    .refine((a) => a.length === 4 && a.every(Number.isFinite) && a[0]! <= a[2]! && a[1]! <= a[3]!, 'must be minLon,minLat,maxLon,maxLat')
    .optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(200).default(20),
  facets: z.string().optional(),
});
const FACETS: FacetName[] = ['kind', 'province', 'city', 'county', 'product', 'type'];

@ApiTags('search')
@Controller('api/v1/search')
export class SearchController {
  constructor(@Inject(READ_MODELS) private readonly models: ReadModels) {}

  @Get()
  @Requires('search.read')
  @ApiOperation({ summary: 'Search entities, bases and lots across provinces (Chinese-aware) with facets and paging' })
  @ApiQuery({ name: 'q', required: false, description: 'free text, e.g. 豇豆 or 海南' })
  @ApiQuery({ name: 'kind', required: false, description: 'entity,base,lot' })
  @ApiQuery({ name: 'region', required: false, description: 'GB/T 2260 prefix: 46 (海南), 4601, 460105' })
  @ApiQuery({ name: 'product', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'bbox', required: false, description: 'minLon,minLat,maxLon,maxLat' })
  @ApiQuery({ name: 'facets', required: false, description: `comma list of ${FACETS.join(', ')}` })
  async search(@Req() req: Request, @Query() query: Record<string, string>) {
    const p = parseInput(SearchParams, query);
    const region = searchRegion(actorOf(req), p.region);
    const facets = (csv(p.facets) ?? ['kind', 'province', 'product', 'type']) as FacetName[];
    const bad = facets.find((f) => !FACETS.includes(f));
    if (bad) parseInput(z.enum(FACETS as [FacetName, ...FacetName[]]), bad, 'facets');
    return this.models.search({
      ...(p.q ? { q: p.q } : {}),
      ...(p.kind ? { kind: csv(p.kind)! } : {}),
      ...(region ? { region } : {}),
      ...(p.product ? { product: p.product } : {}),
      ...(p.type ? { type: p.type } : {}),
      ...(p.from ? { from: p.from } : {}),
      ...(p.to ? { to: p.to.length === 10 ? `${p.to}T23:59:59.999+08:00` : p.to } : {}),
      ...(p.bbox ? { bbox: p.bbox as [number, number, number, number] } : {}),
      page: p.page,
      size: p.size,
      facets,
    });
  }
}
