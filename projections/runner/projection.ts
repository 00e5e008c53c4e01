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
  /**
   * Adds to a document's counters without reading it (decision 0025): increments are gathered per document for
   * the batch and written once; the store adds them in place, exactly once per log position (the port's
   * Increment). A document is either put or incremented within a batch. Optional so that hand-made contexts of
   * other projections' tests need not have it; the runner's BatchContext always does.
   */
  inc?(collection: string, id: string, add: Record<string, number>, fields?: IncFields): void;
}

/** How an increment names its document's other fields (see ProjectionContext.inc). */
export interface IncFields {
  /** The counters' field (default `c`). */
  field?: string;
  /** Written with every increment (the newest event's value wins within a batch). */
  set?: Record<string, unknown>;
  /** Written when the increment creates the document. */
  init?: Record<string, unknown>;
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
  /**
   * 'eventual' (decision 0025): commands do not wait for it (read-your-writes waits only for the others), and
   * the runner folds it in a lane of its own, from its own tail, in batches of up to the rebuild batch size —
   * for a read model that is eventually consistent by nature (dashboards), whose fold costs much more than the
   * others' and far less per event in large batches. Its lag is the projection's `lag` (status, metrics); its
   * stored checkpoint follows the log head also over events it does not handle, so a reader can wait for it.
   * Default: 'read-your-writes'.
   */
  consistency?: 'read-your-writes' | 'eventual';
  apply(event: RecordedEvent, ctx: ProjectionContext): Promise<void>;
  /**
   * Optional batch-level fold, for a projection whose per-event cost is mostly the same documents read and
   * rewritten event after event (statistics: 20–50 counter buckets per event). The runner hands it the events of
   * one batch that it handles, upcast, in log order, with `ctx` stamping every write with the LAST of them.
   * Contract:
   * - the documents it leaves must equal what `apply` on each event in turn would leave;
   * - replays: a document read with `_v >= event.position` already folds that event (a batch replayed after a
   *   crash between documents and checkpoint) and must not count it again;
   * - if it throws (anything but ReadStoreUnavailable), the runner drops the batch's changes and folds the same
   *   events one by one with `apply`, so a poison event is dead-lettered exactly as without applyBatch.
   */
  applyBatch?(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void>;
}
