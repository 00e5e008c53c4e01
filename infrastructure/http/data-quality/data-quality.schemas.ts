import { z } from 'zod';
import { CATEGORIES, SEVERITIES, SUBJECT_KINDS } from '../../../domain/data-quality';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, NonEmpty } from '../shared-schemas';

/** Query parameters of the data-quality routes (问题数据查询与统计), validated at the boundary. */
export const DataQualityQuery = z
  .object({
    region: z.string().regex(/^\d{2}(\d{2}(\d{2}(\d{3})?)?)?$/, 'must be a GB/T 2260 prefix: 2, 4, 6 or 9 digits').optional(),
    period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
    category: z.enum(CATEGORIES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    rule: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a rule id').optional(),
    kind: z.enum(SUBJECT_KINDS).optional(),
    resolved: z.enum(['true', 'false']).optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
    pageSize: z.coerce.number().int().min(1).max(500).optional(),
    by: z.enum(['region', 'period', 'category', 'severity', 'rule']).optional(),
    granularity: z.enum(['year', 'month', 'day']).optional(),
    view: z.enum(['findings', 'statistics']).optional(),
    format: z.enum(['xlsx', 'pdf']).optional(),
  })
  .strict();
export type DataQualityQuery = z.infer<typeof DataQualityQuery>;

const Bound = z.object({ kgPerMu: z.number().positive().optional(), headPerMu: z.number().positive().optional(), kgPerHead: z.number().positive().optional(), headPerHead: z.number().positive().optional() }).strict();

export const UpdateQualityRuleBody = documentBody(
  'patch',
  '/api/v1/data-quality/rules/{id}',
  z
    .object({
      commandId: CommandId,
      name: NonEmpty(200).optional(),
      category: z.enum(CATEGORIES).optional(),
      severity: z.enum(SEVERITIES).optional(),
      params: z.record(z.string(), z.number().int()).optional(),
      fields: z.array(NonEmpty(100)).min(1).max(50).optional(),
      bounds: z.record(z.string(), Bound).optional(),
      enabled: z.boolean().optional(),
    })
    .strict(),
);
