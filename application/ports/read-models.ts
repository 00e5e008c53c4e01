import type { Filter, FindOptions, GraphWalk, ReadDoc, WalkedEdge } from './read-store';
import type { SearchQuery, SearchResult } from './search-index';

/**
 * Query-side view of the projected read models by *logical* collection name ('lots', 'lot_edges',
 * 'entities', 'audit_log', …). The composition maps logical names to the generation currently live,
 * so queries never see a half-built rebuild.
 */
export interface ReadModels {
  get(collection: string, id: string): Promise<ReadDoc | null>;
  getMany(collection: string, ids: string[]): Promise<ReadDoc[]>;
  find(collection: string, filter: Filter, options?: FindOptions): Promise<ReadDoc[]>;
  count(collection: string, filter: Filter): Promise<number>;
  /** Optional: the ReadStore's `walk` over a logical collection; absent, callers walk level by level. */
  walk?(collection: string, walk: GraphWalk): Promise<WalkedEdge[]>;
  search(query: SearchQuery): Promise<SearchResult>;
}

/** Lets a command wait until the read models include its events (read-your-writes), bounded in time. */
export interface ProjectionProgress {
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
}

export const READ_MODELS = Symbol('ReadModels');
export const PROJECTION_PROGRESS = Symbol('ProjectionProgress');
