import type { ReadModels } from '../ports/read-models';

/** Bound on remembered entities per read-model set (an LRU by insertion; a miss costs one read). */
const MAX_ENTRIES = 100_000;

const known = new WeakMap<ReadModels, Map<string, string | null>>();

/**
 * Entity types of holders, for the public view's masking (households are private persons). An entity's
 * type is set when it applies for registration and can never change (it is not among the changeable
 * fields), so once read it is remembered: a consumer lookup reads the entities only for holders it has
 * not seen. Entities not in the read models yet (projection lag) are not remembered.
 */
export async function entityTypes(models: ReadModels, entityIds: string[]): Promise<Map<string, string | null>> {
  let cache = known.get(models);
  if (!cache) {
    cache = new Map();
    known.set(models, cache);
  }
  const types = new Map<string, string | null>();
  const missing: string[] = [];
  for (const id of entityIds) {
    const type = cache.get(id);
    if (type === undefined) missing.push(id);
    else types.set(id, type);
  }
  if (missing.length > 0) {
    for (const doc of await models.getMany('entities', missing)) {
      const type = (doc.entityType as string | undefined) ?? null;
      types.set(doc._id, type);
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(doc._id, type);
    }
  }
  return types;
}
