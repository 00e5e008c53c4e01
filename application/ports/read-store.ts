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

export type Change =
  | { op: 'put'; collection: string; doc: ReadDoc }
  | { op: 'delete'; collection: string; id: string };

export interface ReadStore {
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
