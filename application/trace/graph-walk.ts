import type { Filter, FindOptions, GraphWalk, ReadDoc, WalkedEdge } from '../ports/read-store';

/** What a walk needs of a store: `find`, and the store's own `walk` where it has one. */
export interface Walkable {
  find(collection: string, filter: Filter, options?: FindOptions): Promise<ReadDoc[]>;
  walk?(collection: string, walk: GraphWalk): Promise<WalkedEdge[]>;
}

/**
 * The edges reachable from `walk.start` (see GraphWalk): the store's one-query walk where it has one
 * (SQLite: a recursive CTE), else level by level with one `$in` per depth (MongoDB on FerretDB v1, which
 * has no `$graphLookup`: decision 0021). Both answer the same edges in the same order — depth, then
 * `sortPath`, then `_id` — each edge once, at the least depth it was reached.
 */
export async function walkGraph(store: Walkable, collection: string, walk: GraphWalk): Promise<WalkedEdge[]> {
  if (store.walk) return store.walk(collection, walk);
  return walkByLevels(store, collection, walk);
}

export async function walkByLevels(store: Walkable, collection: string, walk: GraphWalk): Promise<WalkedEdge[]> {
  const out: WalkedEdge[] = [];
  const seenEdges = new Set<string>();
  const reached = new Set<string>(walk.start);
  const limit = walk.maxEdges && walk.maxEdges > 0 ? walk.maxEdges : Infinity;
  const sort: Record<string, 1> = walk.sortPath ? { [walk.sortPath]: 1, _id: 1 } : { _id: 1 };
  let frontier = [...new Set(walk.start)];
  for (let depth = 1; frontier.length > 0 && depth <= walk.maxDepth && out.length < limit; depth++) {
    const edges = await store.find(collection, { [walk.fromPath]: { $in: frontier } }, { sort });
    const next: string[] = [];
    for (const doc of edges) {
      if (seenEdges.has(doc._id)) continue;
      seenEdges.add(doc._id);
      out.push({ doc, depth });
      const target = valueAt(doc, walk.toPath);
      if (typeof target === 'string' && !reached.has(target)) {
        reached.add(target);
        next.push(target);
      }
    }
    frontier = next;
  }
  return out.slice(0, limit);
}

function valueAt(doc: Record<string, unknown>, dotted: string): unknown {
  let value: unknown = doc;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
