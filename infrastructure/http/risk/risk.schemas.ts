import { z } from 'zod';
import { WARNING_LEVELS } from '../../../domain/risk/levels';
import { INDICATORS } from '../../../domain/risk/rules';
import { CLOSE_RESOLUTIONS } from '../../../domain/risk/warning';
import { documentBody } from '../openapi/request-schemas';
import { CommandId, NonEmpty } from '../shared-schemas';

export const AcknowledgeWarningBody = documentBody('post', '/api/v1/risk-warnings/{id}/acknowledge', z.object({ commandId: CommandId, note: NonEmpty(2000).optional() }));
export const CloseWarningBody = documentBody(
  'post',
  '/api/v1/risk-warnings/{id}/close',
  z.object({ commandId: CommandId, reason: NonEmpty(2000), resolution: z.enum(CLOSE_RESOLUTIONS).default('handled') }),
);

const Params = z.record(z.string(), z.number().int());

export const DefineRiskRuleBody = documentBody(
  'post',
  '/api/v1/risk-rules',
  z.object({
    commandId: CommandId,
    rule: z.object({
      ruleId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes'),
      indicator: z.enum(INDICATORS),
      name: NonEmpty(200),
      level: z.enum(WARNING_LEVELS),
      params: Params.default({}),
      enabled: z.boolean().default(true),
    }),
  }),
);

export const UpdateRiskRuleBody = documentBody(
  'patch',
  '/api/v1/risk-rules/{id}',
  z.object({ commandId: CommandId, name: NonEmpty(200).optional(), level: z.enum(WARNING_LEVELS).optional(), params: Params.optional(), enabled: z.boolean().optional() }),
);

export const WarningQuery = z.object({
  region: z.string().regex(/^\d{2,6}$/, 'must be a GB/T 2260 region code or prefix').optional(),
  level: z.enum(WARNING_LEVELS).optional(),
  product: NonEmpty(100).optional(),
  state: z.enum(['raised', 'acknowledged', 'closed', 'open']).optional(),
  indicator: z.enum(INDICATORS).optional(),
  traceCode: NonEmpty(64).optional(),
  entityId: NonEmpty(100).optional(),
});
