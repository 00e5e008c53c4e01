import { z } from 'zod';
import type { ReadModels } from '../../../application/ports/read-models';
import type { Filter, ReadDoc } from '../../../application/ports/read-store';
import { parseInput } from './parse-input';

const Page = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(200).default(20),
});

/** `?page=&size=` with bounds: a bad value is a 400 naming the parameter. */
export function pageParams(query: Record<string, unknown>): { page: number; size: number } {
  return parseInput(Page, { page: query.page, size: query.size });
}

/** One page of a read-model collection plus the total, for every list endpoint (`?page=&size=`). */
export async function pagedFind(
  models: ReadModels,
  collection: string,
  filter: Filter,
  sort: Record<string, 1 | -1>,
  query: Record<string, unknown>,
): Promise<{ total: number; page: number; size: number; items: ReadDoc[] }> {
  const { page, size } = pageParams(query);
  const [items, total] = await Promise.all([
    models.find(collection, filter, { sort, skip: (page - 1) * size, limit: size }),
    models.count(collection, filter),
  ]);
  return { total, page, size, items };
}
