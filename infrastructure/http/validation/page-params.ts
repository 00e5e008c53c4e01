import { z } from 'zod';
import { parseInput } from './parse-input';

const Page = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(200).default(20),
});

/** `?page=&size=` with bounds: a bad value is a 400 naming the parameter. */
export function pageParams(query: Record<string, unknown>): { page: number; size: number } {
  return parseInput(Page, { page: query.page, size: query.size });
}
