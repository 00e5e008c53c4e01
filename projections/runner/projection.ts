import type { RecordedEvent } from '../../application/ports/event-store';
import type { ReadDoc } from '../../application/ports/read-store';
import type { SearchDocument } from '../../application/ports/search-index';

/** A document as a projection writes it; the runner stamps `_v` with the event's global position. */
export interface DocInput {
  _id: string;
  _v?: number;
  [key: string]: unknown;
}
export type SearchDocInput = Omit<SearchDocument, 'version'>;

/**
 * What a projection may do while handling one event. Reads see the changes made earlier in the same
 * batch; writes are collected and applied by the runner together with the checkpoint — the projection
 * itself never touches a store, so it stays a function from (event, current docs) to changes.
 */
export interface ProjectionContext {
  get(collection: string, id: string): Promise<ReadDoc | null>;
  put(collection: string, doc: DocInput): void;
  delete(collection: string, id: string): void;
  index(doc: SearchDocInput): void;
  unindex(id: string): void;
}

export interface Projection {
  name: string;
  /** Bump when the read-model shape or logic changes: the runner rebuilds blue/green. */
  version: number;
  /** Event types it folds; empty means every event. */
  handles: readonly string[];
  /** Logical collections it owns (physical names get a generation suffix). */
  collections: readonly string[];
  /** Whether it feeds the search index (alias `search`). */
  search?: boolean;
  apply(event: RecordedEvent, ctx: ProjectionContext): Promise<void>;
}
