import * as path from 'node:path';
import type { AppConfig } from '../config/config';
import { openProjectionSide, type ProjectionSideAdapters } from '../composition/projection-side-adapters';

/** The three ports a projection runner needs, opened by the projection worker itself (its own connections). */
export interface ProjectionAdapters extends ProjectionSideAdapters {
  /** The embedded ledger file, when there is one (appends on the API thread wake the worker's tail). */
  eventsFile: string | null;
}

/**
 * The same choices as composition/adapters.ts (both call openProjectionSide), without the job queue and
 * without setting damaged files aside: the API process did that before starting the worker. SQLite files are shared through WAL: the worker's
 * readers never block the API thread's writer, and each file still has one writer at a time.
 */
export async function openProjectionAdapters(config: AppConfig): Promise<ProjectionAdapters> {
  const file = (name: string) => path.join(config.dataDir, name);
  const side = await openProjectionSide(config, {
    events: () => file('events.sqlite'),
    readModels: () => file('read-models.sqlite'),
    search: () => file('search.sqlite'),
  });
  return { ...side, eventsFile: config.EVENT_STORE === 'kurrentdb' ? null : file('events.sqlite') };
}
