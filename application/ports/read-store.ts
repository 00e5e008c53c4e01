/**
 * The ReadStore port: JSON documents by collection. Embedded default: SQLite; distributed: MongoDB.
 *
 * Every document carries `_id` and `_v`: the global event position of the last event folded into it.
 * A `put` replaces the stored document only if the stored `_v` is lower (or absent); so replaying
 * a batch that was already applied changes nothing (idempotent by position).
 */
export type Scalar = string | number | boolean | null;

export interface ReadDoc {
  _id: string;
  _v: number;
  [key: string]: unknown;
}

/** A small Mongo-like filter language, portable across adapters. Paths may be dotted ('base.regionCode'). */
export type FieldCondition =
  | Scalar
  | {
      $eq?: Scalar;
      $ne?: Scalar;
      $in?: Scalar[];
      $gt?: string | number;
      $gte?: string | number;
      $lt?: string | number;
      $lte?: string | number;
      /** String starts with (e.g. GB/T 2260 region prefix). */
      $prefix?: string;
      $exists?: boolean;
    };

/** All conditions must hold. For an array-valued field, equality / $in match if any element matches. */
export type Filter = Record<string, FieldCondition>;

export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  limit?: number;
  skip?: number;
}

/**
 * A walk over a graph kept as edge documents (decision 0021): from the `start` values, follow every edge
 * whose `fromPath` equals a reached value to its `toPath` value (null or missing: the walk ends there),
 * up to `maxDepth` edges deep. Edges out of `start` are depth 1.
 */
export interface GraphWalk {
  start: string[];
  fromPath: string;
  toPath: string;
  maxDepth: number;
  /** Edges of one depth come in this path's ascending order (then by `_id`). */
  sortPath?: string;
  /** At most this many edges (nearest first); the caller sees a full answer as truncated. */
  maxEdges?: number;
}

/** An edge the walk reached, at its (least) depth; answers come ordered by depth, then `sortPath`, then `_id`. */
export interface WalkedEdge {
  doc: ReadDoc;
  depth: number;
}

/**
 * Adds to a document's counters instead of replacing it (decision 0025): a counter document (a statistics
 * bucket) is never read, parsed and rewritten by its projection, the store adds in place (SQLite `json_set`,
 * MongoDB `$inc`). Only stores that say `increments: true` take it; the runner turns it into a read and a put
 * for the others.
 *
 * Replays stay exact per document by `_v` (the last log position folded into it). The increment folds the log
 * positions `from`..`v`:
 * - stored `_v` below `from` (or no document): applied — `add` into `doc[field]` (a counter absent counts as 0;
 *   a counter added as 0 is stored as 0), `set` written, `init` written when the document is created, `_v = v`;
 * - stored `_v` at or past `v`: skipped (the document already folds all of it);
 * - stored `_v` in between: the document folds part of it — a replayed batch that reaches past a crashed
 *   one's end. Nothing is applied to it and the store throws IncrementsStraddle with those stored `_v`s after
 *   the other changes (SQLite rolls the whole transaction back; MongoDB keeps what it wrote, which is safe to
 *   write again, and does not move the checkpoint). The caller folds the events again cut at those positions.
 */
export interface Increment {
  op: 'inc';
  collection: string;
  id: string;
  /** The object field holding the counters (`c`). Counter names carry no dots and do not start with `$`. */
  field: string;
  /** Counter → amount to add. */
  add: Record<string, number>;
  /** Top-level fields written with every applied increment (a header that may change: an enterprise's name). */
  set: Record<string, unknown>;
  /** Top-level fields written only when the increment creates the document (none of `set`'s). */
  init: Record<string, unknown>;
  /** The first log position this increment folds. */
  from: number;
  /** The last log position it folds: the document's `_v` once applied. */
  v: number;
}

export type Change =
  | { op: 'put'; collection: string; doc: ReadDoc }
  | { op: 'delete'; collection: string; id: string }
  | Increment;

/** Some increments met documents that fold only part of their range (see Increment); `positions` are their `_v`s. */
export class IncrementsStraddle extends Error {
  constructor(readonly positions: readonly number[]) {
    super(`increments straddle stored versions ${positions.slice(0, 5).join(', ')}${positions.length > 5 ? ', …' : ''}: fold again cut at them`);
    this.name = 'IncrementsStraddle';
  }
}

export interface ReadStore {
  /** Whether `applyChanges` takes `inc` changes (Increment); without it, callers write increments as puts. */
  readonly increments?: boolean;
  get(collection: string, id: string): Promise<ReadDoc | null>;
  getMany(collection: string, ids: string[]): Promise<ReadDoc[]>;
  find(collection: string, filter: Filter, options?: FindOptions): Promise<ReadDoc[]>;
  count(collection: string, filter: Filter): Promise<number>;
  /** Declares an index on dotted paths; idempotent. */
  ensureIndex(collection: string, paths: string[]): Promise<void>;
  /**
   * Applies changes and moves the checkpoint of `checkpointName` to `position`, atomically where the
   * engine can (SQLite), else idempotently by `_v` (MongoDB) with the checkpoint written last.
   */
  applyChanges(checkpointName: string, changes: Change[], position: number): Promise<void>;
  /**
   * Optional: several `applyChanges` in ONE transaction (the projections of one log batch together —
   * one commit instead of one per projection). Without it, callers apply the groups one by one.
   */
  applyChangesMany?(groups: readonly CheckpointedChanges[]): Promise<void>;
  /**
   * Optional: the whole walk in one query (SQLite: a recursive CTE over the indexed paths). Without it,
   * callers walk level by level with one `$in` per depth.
   */
  walk?(collection: string, walk: GraphWalk): Promise<WalkedEdge[]>;
  getCheckpoint(checkpointName: string): Promise<number | null>;
  deleteCheckpoint(checkpointName: string): Promise<void>;
  dropCollection(collection: string): Promise<void>;
  listCollections(): Promise<string[]>;
  close(): Promise<void>;
}

/** The changes of one checkpointed reader (a projection) and the position they bring it to. */
export interface CheckpointedChanges {
  checkpointName: string;
  changes: Change[];
  position: number;
}

export const READ_STORE = Symbol('ReadStore');
