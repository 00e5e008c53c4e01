import * as path from 'node:path';
import type { ReadModels } from '../../application/ports/read-models';
import { SqliteReadStore } from '../../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../../infrastructure/sqlite/sqlite-search-index';
import { projectionsFor } from '../../projections';
import { ProjectionRunner, SEARCH_ALIAS } from '../../projections/runner/projection-runner';

/**
 * The read models of a (running) server's data directory, opened beside it (WAL lets readers in): the
 * queries' own cost — trace chains, search — without HTTP, JSON and the access log. Logical collections
 * map to the generation the server serves, as the platform's composition does.
 */
export async function openReadModels(dataDir: string): Promise<{ models: ReadModels; close(): Promise<void> }> {
  const reads = new SqliteReadStore(path.join(dataDir, 'read-models.sqlite'), { synchronous: 'NORMAL' });
  const search = new SqliteSearchIndex(path.join(dataDir, 'search.sqlite'), { synchronous: 'NORMAL' });
  const physical = new Map<string, string>();
  for (const p of projectionsFor('sqlite')) {
    const meta = await reads.get('_projections', p.name);
    if (!meta) throw new Error(`projection ${p.name} was never built in ${dataDir}`);
    for (const c of p.collections) physical.set(c, ProjectionRunner.physicalName(c, meta.generation as number));
  }
  const name = (c: string) => {
    const n = physical.get(c);
    if (!n) throw new Error(`no projection owns ${c}`);
    return n;
  };
  const models: ReadModels = {
    get: (c, id) => reads.get(name(c), id),
    getMany: (c, ids) => reads.getMany(name(c), ids),
    find: (c, filter, options) => reads.find(name(c), filter, options),
    count: (c, filter) => reads.count(name(c), filter),
    walk: (c, w) => reads.walk(name(c), w),
    search: (query) => search.search(SEARCH_ALIAS, query),
  };
  return {
    models,
    async close() {
      await search.close();
      await reads.close();
    },
  };
}
