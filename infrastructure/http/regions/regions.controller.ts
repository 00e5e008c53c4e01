import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from '../auth/permission.decorator';
import { parseInput } from '../validation/parse-input';
import { childrenOf, lookup } from './region-directory';

const RegionsQuery = z.object({
  parent: z.string().regex(/^(\d{2}|\d{4})?$/, 'must be empty, a 2-digit province or a 4-digit city prefix').default(''),
  codes: z
    .string()
    .regex(/^\d{2,6}(,\d{2,6})*$/, 'must be a comma list of 2–6 digit region prefixes')
    .transform((s) => s.split(','))
    .refine((a) => a.length <= 500, 'at most 500 codes')
    .optional(),
});

/** GB/T 2260 division names (public reference data): the cascading province → city → county filters. */
@ApiTags('regions')
@Controller('api/v1/regions')
export class RegionsController {
  @Get()
  @Public()
  @ApiOperation({ summary: 'Administrative divisions: children of ?parent= (none → provinces), or names of ?codes=46,4602,460204' })
  @ApiQuery({ name: 'parent', required: false, description: "'' (provinces), a province prefix (46) or a city prefix (4602)" })
  @ApiQuery({ name: 'codes', required: false, description: 'comma list of prefixes to name' })
  list(@Query() query: Record<string, string>) {
    const { parent, codes } = parseInput(RegionsQuery, query);
    if (codes) return { items: lookup(codes) };
    return { parent, items: childrenOf(parent) };
  }
}
