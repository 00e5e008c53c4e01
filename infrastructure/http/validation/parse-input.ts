import type { z } from 'zod';
import { ValidationError } from '../../../domain/shared/errors';

/**
 * Boundary validation: parses a request part with a zod schema. The first issue's path becomes the
 * `field` of the 400 error (e.g. "bases.0.lat"); all issues are listed in details.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
  const first = issues[0]!;
  throw new ValidationError(first.field, `${first.field}: ${first.message}`, { issues });
}
