import { z } from 'zod';

/** Query parameters of the statistics routes (validated at the boundary; dates are CST days). */
const day = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');

export const StatisticsQuery = z
  .object({
    region: z.string().regex(/^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$/, 'must be a GB/T 2260 prefix: 2, 4, 6 or 9 digits').optional(),
    from: day.or(month).optional(),
    to: day.or(month).optional(),
    product: z.string().min(1).max(50).optional(),
    by: z.enum(['region', 'product', 'month']).optional(),
    level: z.enum(['province', 'city', 'county', 'township']).optional(),
    kind: z.enum(['transfer', 'market']).optional(),
    flowLevel: z.enum(['province', 'county']).optional(),
    view: z.enum(['overview', 'breakdown', 'flows']).optional(),
  })
  .strict();
export type StatisticsQuery = z.infer<typeof StatisticsQuery>;

export const LEVELS = { province: 1, city: 2, county: 3, township: 4 } as const;
