import { createHash } from 'node:crypto';
import type { AppendedEvents, EventStore, RecordedEvent } from '../ports/event-store';
import type { LedgerSigner } from '../ports/signer';
import type { Change, ReadDoc, ReadStore } from '../ports/read-store';
import { commitmentLeaf, eventCommitmentDigest } from './commitments';
import { consistencyPath, EMPTY_ROOT, Frontier, hashChildren, hashHexLeaf, hashLeaf, inclusionPath, splitPoint, type SubtreeHasher } from './rfc9162';
import { flatPage, isPageRoot, pageOfFlat, proveFromStore, SPARSE_MAP_FORMAT, SparseMap, refOf, type FlatPage, type CreatedNode, type SparseHeadProof, type StoredNode, type StoredRef } from './sparse-map';
import { StreamMap, StreamMapBuilder, type StreamHead, type StreamHeadProof } from './stream-map';

/**
 * The one append-only Merkle tree over the whole log (decision 0018), kept incrementally in the read
 * store's database (SQLite beside the ledger when embedded, MongoDB when distributed): leaves in chunks
 * of 256 (event hash + commitment digest per leaf), every complete node of 256 leaves or more, each
 * stream's head and its history. Below 256 leaves nodes are recomputed from the chunk (≤ 255 hashes), so
 * the store holds ~1/256 of a node per event. The tree is derived data: an empty store is rebuilt from
 * the log by the next catch-up, to the same roots.
 */
export const CHUNK_LEVEL = 8;
export const CHUNK_SIZE = 1 << CHUNK_LEVEL;
/**
 * In-chunk nodes of this level and above (up to 128 leaves) are kept in the chunk document as they complete:
 * a tree opened cold (a restart) then hashes at most the 8-leaf group of each leaf a proof needs (≤ 15 hashes)
 * instead of the chunk's 511 (issue 18: most of a cold bundle's CPU). 62 nodes per tree and chunk, ≈ +22 % of
 * a chunk document; chunks written before they existed are recomputed from their leaves as before.
 */
export const STORED_CHUNK_LEVEL = 3;
export const TREE_CHECKPOINT = 'merkle-log';
const CHUNKS = 'merkle_chunks';
const NODES = 'merkle_nodes';
const STREAMS = 'merkle_streams';
const STREAM_HISTORY = 'merkle_stream_history';
/** The stream-head map of format 2 (sparse-map.ts): content-addressed inner nodes, and each sealed root's reference. */
const MAP_NODES = 'merkle_map_nodes';
const MAP_ROOTS = 'merkle_map_roots';
export const MAP_CHECKPOINT = 'merkle-map';
const MAP_NODE_CACHE = 200_000;
/** Streams moved since the map's last update from which a written staged batch updates it in the background (advanceSparse). */
const BACKGROUND_MAP_STREAMS = 8_192;
const READ_BATCH = 2_000;
/** Appends kept for staging before the tree is first loaded (see observed). */
const UNLOADED_QUEUE_EVENTS = 4 * READ_BATCH;

export type TreeName = 'events' | 'commitments';
const TREE_KEY: Record<TreeName, string> = { events: 'e', commitments: 'c' };

interface ChunkDoc extends ReadDoc {
  chunk: number;
  firstPosition: number;
  positions: number[];
  hashes: string[];
  digests: string[];
  /**
   * Per tree ('e', 'c'): for each level from STORED_CHUNK_LEVEL to CHUNK_LEVEL − 1, the hex of its complete
   * nodes in order, concatenated (node k = characters [64k, 64k + 64)). Absent in chunks of older trees; a
   * level holds only a prefix of the nodes where a chunk written before grew after.
   */
  upper?: Record<string, string[]>;
}

export interface LeafRef {
  index: number;
  position: number;
  eventHash: string;
  digest: string;
}

/** The right edge of the tree: what appending the next leaves needs. */
interface Edge {
  size: number;
  lastPosition: number;
  events: Frontier;
  commitments: Frontier;
  lastChunk: ChunkDoc | null;
}

interface Loaded extends Edge {
  /** Every stream's head at `size`; read on first need (a restarted process proving heads never needs them). */
  heads: Map<string, StreamHead> | null;
  map: StreamMap | null;
}

/**
 * Leaves, nodes and stream heads computed from appends the store reported (observeAppends) but not persisted
 * yet: the next catch-up writes them instead of reading those events back and hashing them (issue 18: reading
 * alone was 10–20 µs of sealing's cost per event, the commitment digest most of the rest).
 */
interface Staged {
  /** The persisted state it continues; stale (dropped) if that state moved meanwhile. */
  baseSize: number;
  baseLastPosition: number;
  next: Edge;
  /** Chunk and node puts, the latest per document. */
  changes: Map<string, Change>;
  /** Heads of the streams the staged events moved. */
  heads: Map<string, StreamHead>;
  events: number;
}

/** What the tree computed from observed appends rather than at catch-up: events, CPU (for the benchmark). */
export interface AppendTimeWork {
  events: number;
  cpuMs: number;
}

export class LogTree {
  private state: Loaded | null = null;
  /** Per chunk: its document and, per tree once used, its complete nodes below 256 leaves as level arrays (levelsOf). */
  private readonly chunkCache = new Map<number, CachedChunk>();
  /** Stored nodes (≥ 256 leaves) per tree, by nodeKey(level, index): numbers, not the documents' string ids (issue 18 profile). */
  private readonly nodeCache: Record<TreeName, Map<number, Buffer>> = { events: new Map(), commitments: new Map() };
  private readonly historicalMaps = new Map<number, StreamMap>();
  private readonly mapBuilder = new StreamMapBuilder();
  private catchingUp: Promise<{ size: number; lastPosition: number }> | null = null;
  /** Appends reported by the store, waiting for the next staging turn. */
  private observedQueue: AppendedEvents[] = [];
  /** Events in observedQueue. */
  private queuedEvents = 0;
  private stageScheduled = false;
  private staged: Staged | null = null;
  /** A staged batch being written in the background; a catch-up waits for it. */
  private persisting: Promise<void> | null = null;
  /** Set when an observed append does not continue the staged edge (another writer): staging waits for a catch-up. */
  private stagingStopped = false;
  readonly appendTimeWork: AppendTimeWork = { events: 0, cpuMs: 0 };
  /** Heads persisted while the heads are being read (headsOf): applied over what the read saw. */
  private headsLoading: Map<string, StreamHead> | null = null;
  private headsPromise: Promise<Map<string, StreamHead>> | null = null;
  /** The format-2 map as of the last sealing point (sealPoint) and the heads persisted since. */
  private sparse: SparseMap | null = null;
  private sparseCollecting = false;
  private readonly sparsePending = new Map<string, StreamHead>();
  /** Format-2 maps by tree size (sealed here or rebuilt), 4 deep; and stored nodes read, by hash (immutable). */
  private readonly sparseVersions = new Map<number, SparseMap>();
  private readonly mapNodeCache = new Map<string, StoredNode>();
  private sparseStoredRoot: string | null = null;

  /**
   * `observeAppends`: take the events the store reports as they are appended (where the store offers it) and
   * compute their leaves, commitment digests and frontier then, in batches off the append's own turn, so a
   * catch-up has nothing left to read or hash (decision 0018 §Performance). The ledger's sealing tree does;
   * a tree opened only to answer proofs does not.
   */
  private readonly backgroundMapStreams: number;

  constructor(
    private readonly store: EventStore,
    private readonly reads: ReadStore,
    readonly commitmentSeed: Buffer,
    options: { observeAppends?: boolean; backgroundMapStreams?: number } = {},
  ) {
    this.backgroundMapStreams = Math.max(1, options.backgroundMapStreams ?? BACKGROUND_MAP_STREAMS);
    if (options.observeAppends) store.observeAppends?.((appended) => this.observed(appended));
  }

  async size(): Promise<number> {
    return (await this.load()).size;
  }

  /** Appends every event recorded since the last catch-up; one at a time (concurrent callers share it). */
  catchUp(): Promise<{ size: number; lastPosition: number }> {
    if (!this.catchingUp) this.catchingUp = this.doCatchUp().finally(() => (this.catchingUp = null));
    return this.catchingUp;
  }

  /** The stream-head map as of the current size (after catchUp). */
  async currentMap(): Promise<StreamMap> {
    const s = await this.load();
    const heads = await this.headsOf(s);
    if (!s.map) s.map = this.mapBuilder.build(heads);
    return s.map;
  }

  /** The stream-head map as of an earlier size at which a catch-up ended (tree heads are only signed there). */
  async mapAt(size: number): Promise<StreamMap> {
    const s = await this.load();
    if (size === s.size) return this.currentMap();
    const cached = this.historicalMaps.get(size);
    if (cached) return cached;
    const map = StreamMap.of((await this.historicalHeads(size)).values());
    this.keepHistoricalMap(size, map);
    return map;
  }

  private async historicalHeads(size: number): Promise<Map<string, StreamHead>> {
    const rows = await this.reads.find(STREAM_HISTORY, { treeSize: { $lte: size } }, { sort: { treeSize: 1 } });
    const heads = new Map<string, StreamHead>();
    for (const r of rows) heads.set(r.streamId as string, { streamId: r.streamId as string, revision: r.revision as number, lastHash: r.lastHash as string });
    return heads;
  }

  /**
   * What a tree head signs, at the tree's size after a catch-up: the roots, and the stream-head map of format 2
   * brought up to date with the heads moved since the last sealing point (O(moved · log S) hashes) and its new
   * nodes stored before this returns, so that any process can prove heads at that tree head from the store.
   * Everything is taken from one state, synchronously, after the awaits (a background write may move the tree
   * between them: the values then describe the later size, consistently).
   */
  async sealPoint(): Promise<{ size: number; lastPosition: number; rootHash: string; commitmentRoot: string; streamMapRoot: string; streamCount: number; streamMapFormat: typeof SPARSE_MAP_FORMAT }> {
    await this.catchUp();
    const s = await this.load();
    let base = this.sparse;
    if (!base) {
      // First sealing point of this process: the map over every head (O(S), once), from then on by increments.
      this.sparseCollecting = true;
      await this.headsOf(s);
    }
    const moved = base ? [...this.sparsePending.values()] : [...s.heads!.values()];
    this.sparsePending.clear();
    base ??= SparseMap.empty();
    const { map, created } = base.with(moved);
    const size = s.size;
    const lastPosition = s.lastPosition;
    const rootHash = s.events.root().toString('hex');
    const commitmentRoot = s.commitments.root().toString('hex');
    const firstBuild = !this.sparse;
    this.sparse = map;
    this.keepSparseVersion(size, map);
    try {
      await this.storeSparse(map, created, size, firstBuild);
    } catch (err) {
      // Not stored: the next sealing point rebuilds the map from the heads and writes all of its nodes.
      this.sparse = null;
      this.sparseStoredRoot = null;
      throw err;
    }
    return { size, lastPosition, rootHash, commitmentRoot, streamMapRoot: map.root().toString('hex'), streamCount: map.size, streamMapFormat: SPARSE_MAP_FORMAT };
  }

  /**
   * Brings the format-2 map up to the persisted size in the background (after a staged batch is written) and
   * stores its new pages, so that the next sealing point has only the heads moved since left to hash and store
   * (issue 18: writing the pages of thousands of moved streams was most of an increment's seal). No root is
   * stored for such a version: it is no tree head's map, its pages only become reachable from a later sealed
   * root (pages are content-addressed; an unsealed version's pages that a later seal replaced stay unreachable,
   * as a crash's would). Only once a sealing point has built the map in this process, and only when at least
   * `backgroundMapStreams` streams moved since: each update rewrites the pages above the moved streams (the top
   * 273 for any large update) and the pages of a stream moved again, so small updates in the background cost
   * more in all than one at the seal (S bench, 2,900 streams moved in batches of 2,000 events: the seal 222 →
   * 84 ms, the work at append time +330 ms). On a failed write the map is dropped: the next sealing point
   * rebuilds it from the heads and writes all of its pages.
   */
  private async advanceSparse(size: number): Promise<void> {
    const base = this.sparse;
    if (!base || this.sparsePending.size < this.backgroundMapStreams) return;
    const moved = [...this.sparsePending.values()];
    this.sparsePending.clear();
    const { map, created } = base.with(moved);
    this.sparse = map;
    try {
      await this.storePages(created, size);
    } catch {
      this.sparse = null;
      this.sparseStoredRoot = null;
    }
  }

  private async storePages(created: CreatedNode[], size: number): Promise<void> {
    const changes = pageChanges(created, size);
    for (let k = 0; k < changes.length; k += 5_000) await this.reads.applyChanges(MAP_CHECKPOINT, changes.slice(k, k + 5_000), size);
  }

  private keepSparseVersion(size: number, map: SparseMap): void {
    this.sparseVersions.delete(size);
    if (this.sparseVersions.size >= 4) this.sparseVersions.delete(this.sparseVersions.keys().next().value!);
    this.sparseVersions.set(size, map);
  }

  /** The map's new pages and its root's reference, under their own checkpoint (the tree's is not moved). */
  private async storeSparse(map: SparseMap, created: CreatedNode[], size: number, firstBuild: boolean): Promise<void> {
    const rootHex = map.root().toString('hex');
    if (rootHex === this.sparseStoredRoot) return;
    // A restarted process rebuilds the map from the heads: when that root is stored, so are its nodes.
    if (firstBuild && (await this.reads.get(MAP_ROOTS, rootHex))) {
      this.sparseStoredRoot = rootHex;
      return;
    }
    const changes = pageChanges(created, size);
    // The root last: on a store without transactions a root is only ever found with its nodes written.
    changes.push({ op: 'put', collection: MAP_ROOTS, doc: { _id: rootHex, _v: size, ref: refOf(map.rootNode), count: map.size, treeSize: size } });
    for (let k = 0; k < changes.length; k += 5_000) await this.reads.applyChanges(MAP_CHECKPOINT, changes.slice(k, k + 5_000), size);
    this.sparseStoredRoot = rootHex;
  }

  /**
   * Head proofs of streams as of a tree head, in the map format the tree head names: format 2 from the map
   * sealed here or from the stored nodes (a restarted process reads ~log S nodes per stream), or rebuilt from
   * the stream history when the store does not hold that map (a read store rebuilt after a restore); format 1
   * (tree heads sealed before format 2) from mapAt. Null for a stream the map does not hold.
   */
  async proveHeads(
    treeHead: { treeSize: number; streamMapRoot: string; streamMapFormat?: string },
    streamIds: readonly string[],
    hex: (b: Buffer) => string = (b) => b.toString('hex'),
  ): Promise<(SparseHeadProof | StreamHeadProof | null)[]> {
    if (treeHead.streamMapFormat !== SPARSE_MAP_FORMAT) {
      const map = await this.mapAt(treeHead.treeSize);
      return streamIds.map((id) => map.prove(id, hex));
    }
    let version = this.sparseVersions.get(treeHead.treeSize);
    if (version && version.root().toString('hex') !== treeHead.streamMapRoot) version = undefined;
    if (!version) {
      const root = await this.reads.get(MAP_ROOTS, treeHead.streamMapRoot);
      if (root) {
        try {
          return await proveFromStore(root.ref as StoredRef, streamIds, (ids) => this.mapNodes(ids), hex);
        } catch {
          // A page missing (collections dropped under a running sealer): the history below still answers.
        }
      }
      version = SparseMap.of((await this.historicalHeads(treeHead.treeSize)).values());
      if (version.root().toString('hex') !== treeHead.streamMapRoot) throw new Error(`the stream history does not rebuild the map of tree head ${treeHead.treeSize}`);
      this.keepSparseVersion(treeHead.treeSize, version);
    }
    const map = version;
    return streamIds.map((id) => map.prove(id, hex));
  }

  private async mapNodes(ids: string[]): Promise<Map<string, StoredNode>> {
    const out = new Map<string, StoredNode>();
    const missing: string[] = [];
    for (const id of ids) {
      const known = this.mapNodeCache.get(id);
      if (known) out.set(id, known);
      else missing.push(id);
    }
    for (let k = 0; k < missing.length; k += 500)
      for (const d of await this.reads.getMany(MAP_NODES, missing.slice(k, k + 500))) {
        const node = pageOfFlat(d.t as FlatPage);
        if (this.mapNodeCache.size >= MAP_NODE_CACHE) this.mapNodeCache.delete(this.mapNodeCache.keys().next().value!);
        this.mapNodeCache.set(d._id, node);
        out.set(d._id, node);
      }
    return out;
  }

  /**
   * Every stream's head at the tree's size, read once (O(S)) when first needed. Heads persisted meanwhile are
   * collected and applied over the read, which takes each document as of the size when it started (a document
   * written later is taken from the history as of that size), so the result is the heads at the size reached.
   */
  private headsOf(s: Loaded): Promise<Map<string, StreamHead>> {
    if (s.heads) return Promise.resolve(s.heads);
    this.headsPromise ??= (async () => {
      const size = s.size;
      const lastPosition = s.lastPosition;
      const since = (this.headsLoading = new Map<string, StreamHead>());
      try {
        const heads = new Map<string, StreamHead>();
        for (const d of await this.reads.find(STREAMS, {})) {
          if ((d._v as number) <= lastPosition) {
            heads.set(d._id, { streamId: d._id, revision: d.revision as number, lastHash: d.lastHash as string });
            continue;
          }
          // Written ahead of that size (a later batch, or a kill -9 on a store without transactions): the
          // head as of the size is the stream's last history entry up to it.
          const [before] = await this.reads.find(STREAM_HISTORY, { streamId: d._id, treeSize: { $lte: size } }, { sort: { treeSize: -1 }, limit: 1 });
          if (before) heads.set(d._id, { streamId: d._id, revision: before.revision as number, lastHash: before.lastHash as string });
        }
        for (const h of since.values()) heads.set(h.streamId, h);
        s.heads = heads;
        return heads;
      } finally {
        this.headsLoading = null;
        this.headsPromise = null;
      }
    })();
    return this.headsPromise;
  }

  private keepHistoricalMap(size: number, map: StreamMap): void {
    this.historicalMaps.delete(size);
    if (this.historicalMaps.size >= 4) this.historicalMaps.delete(this.historicalMaps.keys().next().value!);
    this.historicalMaps.set(size, map);
  }

  async root(tree: TreeName, size: number): Promise<Buffer> {
    const s = await this.load();
    if (size === s.size) return (tree === 'events' ? s.events : s.commitments).root();
    if (size === 0) return EMPTY_ROOT;
    const hasher = await this.hasherFor(tree, [[0, size]], size);
    return hasher(0, size);
  }

  /** Leaves by global position (null for a position not in the tree yet). */
  async leavesAt(positions: number[]): Promise<Map<number, LeafRef>> {
    const out = new Map<number, LeafRef>();
    if (positions.length === 0) return out;
    const s = await this.load();
    const all = [...new Set(positions)].filter((p) => p <= s.lastPosition).sort((a, b) => a - b);
    // Where positions are the leaf numbers from 1 (the embedded store: contiguous positions), each position's
    // chunk is known: all of them in one read. Any position not where the guess put it is looked up below.
    const wanted: number[] = [];
    const guess = (p: number) => Math.floor((p - 1) / CHUNK_SIZE);
    const guessed = new Map<number, ChunkDoc>();
    const chunkIds = [...new Set(all.map(guess))].filter((c) => c >= 0 && c * CHUNK_SIZE < s.size);
    for (const c of chunkIds) {
      const cached = this.chunkCache.get(c);
      if (cached) guessed.set(c, cached.doc);
    }
    const unread = chunkIds.filter((c) => !guessed.has(c));
    for (let k = 0; k < unread.length; k += 500)
      for (const d of (await this.reads.getMany(CHUNKS, unread.slice(k, k + 500).map(chunkDocId))) as ChunkDoc[]) {
        guessed.set(d.chunk, d);
        this.remember(d);
      }
    for (const p of all) {
      const doc = guessed.get(guess(p));
      const k = doc ? binarySearch(doc.positions, p) : -1;
      if (doc && k >= 0) out.set(p, { index: doc.chunk * CHUNK_SIZE + k, position: p, eventHash: doc.hashes[k]!, digest: doc.digests[k]! });
      else wanted.push(p);
    }
    // Otherwise chunks are found by their first position; consecutive positions mostly share a chunk.
    let i = 0;
    while (i < wanted.length) {
      const p = wanted[i]!;
      const [doc] = (await this.reads.find(CHUNKS, { firstPosition: { $lte: p } }, { sort: { firstPosition: -1 }, limit: 1 })) as ChunkDoc[];
      if (!doc) {
        i++;
        continue;
      }
      this.remember(doc);
      const last = doc.positions[doc.positions.length - 1]!;
      // Past the last leaf of the chunk that starts at or before it: the position is no leaf (not in the tree).
      // Without this step the loop asked for the same chunk forever (an export that never answered).
      if (p > last) {
        i++;
        continue;
      }
      while (i < wanted.length && wanted[i]! <= last) {
        const q = wanted[i]!;
        const k = binarySearch(doc.positions, q);
        if (k >= 0) out.set(q, { index: doc.chunk * CHUNK_SIZE + k, position: q, eventHash: doc.hashes[k]!, digest: doc.digests[k]! });
        i++;
      }
    }
    return out;
  }

  /** Inclusion paths of several leaves in the trees of the given sizes (one fetch of the nodes for all). */
  async inclusionPaths(tree: TreeName, requests: { index: number; size: number }[]): Promise<Buffer[][]> {
    const ranges: [number, number][] = [];
    for (const r of requests) inclusionPath(r.index, r.size, record(ranges));
    const hasher = await this.hasherFor(tree, ranges, Math.max(0, ...requests.map((r) => r.size)));
    return requests.map((r) => inclusionPath(r.index, r.size, hasher));
  }

  async consistencyPath(tree: TreeName, m: number, n: number): Promise<Buffer[]> {
    const ranges: [number, number][] = [];
    consistencyPath(m, n, record(ranges));
    return consistencyPath(m, n, await this.hasherFor(tree, ranges, n));
  }

  private async load(): Promise<Loaded> {
    if (this.state) return this.state;
    const lastPosition = (await this.reads.getCheckpoint(TREE_CHECKPOINT)) ?? 0;
    await this.reads.ensureIndex(CHUNKS, ['firstPosition']);
    await this.reads.ensureIndex(STREAM_HISTORY, ['treeSize']);
    // Only what the tree's checkpoint covers is the tree. On a store without transactions (MongoDB) a kill -9
    // inside persist() can leave chunk and stream documents of the next batch written ahead of the checkpoint
    // (documents go first, the checkpoint last): a chunk then holds leaves, and a head revisions, that the
    // stored nodes do not. They are cut back to the checkpoint; the catch-up appends those events again, to the
    // same leaves and nodes (the log does not change), overwriting what was written ahead.
    // Sorted by firstPosition (indexed; chunks' first positions grow with their numbers, so it is the same
    // chunk): sorting by `chunk` read every chunk document's body, 30–45 ms of a restarted process's first
    // bundle at S (issue 18 profile).
    const [storedChunk] = (await this.reads.find(CHUNKS, { firstPosition: { $lte: lastPosition } }, { sort: { firstPosition: -1 }, limit: 1 })) as ChunkDoc[];
    const lastChunk = storedChunk ? trimChunk(storedChunk, lastPosition) : undefined;
    const size = lastChunk ? lastChunk.chunk * CHUNK_SIZE + lastChunk.positions.length : 0;
    const frontierOf = async (tree: TreeName) => {
      const edge: [number, number][] = [];
      let start = 0;
      for (let level = 52; level >= 0; level--) {
        if (Math.floor(size / 2 ** level) % 2 === 1) {
          edge.push([start, start + 2 ** level]);
          start += 2 ** level;
        }
      }
      const hasher = await this.hasherFor(tree, edge, size);
      return Frontier.of(size, edge.map(([a, b]) => hasher(a, b)));
    };
    this.state = {
      size,
      lastPosition: lastChunk ? lastChunk.positions[lastChunk.positions.length - 1]! : lastPosition,
      events: await frontierOf('events'),
      commitments: await frontierOf('commitments'),
      lastChunk: lastChunk ?? null,
      heads: null,
      map: null,
    };
    return this.state;
  }

  private async doCatchUp(): Promise<{ size: number; lastPosition: number }> {
    const s = await this.load();
    if (this.persisting) await this.persisting;
    // What the store reported is staged first (from memory); the log is then read from wherever that ends.
    this.stage(s);
    const staged = this.staged;
    this.staged = null;
    if (staged && staged.baseSize === s.size && staged.baseLastPosition === s.lastPosition) await this.persist(s, staged.next, staged.changes, staged.heads);
    for (;;) {
      const batch = await this.store.readAll({ afterPosition: s.lastPosition, maxCount: READ_BATCH });
      if (batch.length === 0) break;
      await this.appendBatch(s, batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.stagingStopped = false;
    if (this.observedQueue.length > 0) this.scheduleStaging();
    return { size: s.size, lastPosition: s.lastPosition };
  }

  private observed(appended: AppendedEvents): void {
    if (this.stagingStopped) return;
    // Before the tree is first loaded (a catch-up: the first seal, a proof) nothing stages the queue, and each
    // report holds its events' rows. A server that never seals (sealing off, as in the benchmarks) kept every
    // appended event in memory: ~1.1 KB per event, 12 GB at 10M (the L run of session 13). Past a bound the
    // queue is dropped and staging stops; the first catch-up then reads those events from the log, as it does
    // after any gap, and staging resumes after it.
    if (!this.state && this.queuedEvents + appended.positions.length > UNLOADED_QUEUE_EVENTS) {
      this.observedQueue = [];
      this.queuedEvents = 0;
      this.stagingStopped = true;
      return;
    }
    this.observedQueue.push(appended);
    this.queuedEvents += appended.positions.length;
    this.scheduleStaging();
  }

  /** Staging runs on a turn of its own, after the append's callers have had their answer. */
  private scheduleStaging(): void {
    if (this.stageScheduled) return;
    this.stageScheduled = true;
    setImmediate(() => {
      this.stageScheduled = false;
      const s = this.state;
      // Not loaded yet, or a catch-up or a background write running: the catch-up takes the queue.
      if (!s || this.catchingUp || this.persisting) return;
      this.stage(s);
      const staged = this.staged;
      if (!staged || staged.events < READ_BATCH) return;
      this.persisting = this.persistStaged(s, staged).finally(() => {
        this.persisting = null;
        if (this.observedQueue.length > 0) this.scheduleStaging();
      });
    }).unref();
  }

  /** Stages the queued appends that continue the edge exactly (positions one after the other). */
  private stage(s: Loaded): void {
    const queue = this.observedQueue;
    this.observedQueue = [];
    this.queuedEvents = 0;
    if (queue.length === 0 || this.stagingStopped) return;
    const start = process.cpuUsage();
    let staged = this.staged;
    if (staged && (staged.baseSize !== s.size || staged.baseLastPosition !== s.lastPosition)) staged = this.staged = null;
    for (const appended of queue) {
      const edge: Edge = staged?.next ?? s;
      const positions = appended.positions;
      if (positions.length === 0 || positions[positions.length - 1]! <= edge.lastPosition) continue; // already folded
      // Positions are unique and increasing: exactly the next ones mean no event in between was missed.
      if (!positions.every((p, i) => p === edge.lastPosition + 1 + i)) {
        this.stagingStopped = true; // another writer, or a store with gaps: the catch-up reads the log
        break;
      }
      staged ??= this.staged = { baseSize: s.size, baseLastPosition: s.lastPosition, next: s, changes: new Map(), heads: new Map(), events: 0 };
      staged.next = this.advance(edge, appended.read(), staged.changes, staged.heads);
      staged.events += positions.length;
      this.appendTimeWork.events += positions.length;
    }
    const used = process.cpuUsage(start);
    this.appendTimeWork.cpuMs += (used.user + used.system) / 1000;
  }

  /** Writes a staged batch in the background (a long increment is not held in memory until the next seal). */
  private async persistStaged(s: Loaded, staged: Staged): Promise<void> {
    this.staged = null;
    const start = process.cpuUsage();
    let written = false;
    try {
      if (staged.baseSize === s.size && staged.baseLastPosition === s.lastPosition) {
        await this.persist(s, staged.next, staged.changes, staged.heads);
        written = true;
      }
    } catch {
      this.stagingStopped = true; // not written: the next catch-up reads those events from the log
    }
    if (written) await this.advanceSparse(s.size);
    const used = process.cpuUsage(start);
    this.appendTimeWork.cpuMs += (used.user + used.system) / 1000;
  }

  private async appendBatch(s: Loaded, batch: RecordedEvent[]): Promise<void> {
    const changes = new Map<string, Change>();
    const heads = new Map<string, StreamHead>();
    await this.persist(s, this.advance(s, batch, changes, heads), changes, heads);
  }

  /**
   * The edge after appending `batch` to `from` (which is not changed): chunk and node documents go into
   * `changes` (the latest version per document), the streams' new heads into `heads`.
   */
  private advance(from: Edge, batch: RecordedEvent[], changes: Map<string, Change>, heads: Map<string, StreamHead>): Edge {
    const lastPosition = batch[batch.length - 1]!.position;
    const put = (collection: string, doc: ReadDoc) => changes.set(`${collection}/${doc._id}`, { op: 'put', collection, doc });
    const touchedChunks = new Map<number, ChunkDoc>();
    const nodeDoc = (tree: TreeName) => (level: number, index: number, hash: Buffer) => {
      if (level < CHUNK_LEVEL) {
        if (level >= STORED_CHUNK_LEVEL) keepUpperNode(touchedChunks.get(index >> (CHUNK_LEVEL - level)), TREE_KEY[tree], level, index & ((1 << (CHUNK_LEVEL - level)) - 1), hash);
        return;
      }
      const _id = `${TREE_KEY[tree]}:${level}:${index}`;
      this.nodeCache[tree].set(nodeKey(level, index), hash); // a complete node never changes: safe to know before it is written
      put(NODES, { _id, _v: lastPosition, hash: hash.toString('hex') });
    };
    // The edge's partial chunk is copied, never grown in place: `from` may be the persisted state.
    let chunk = from.lastChunk && from.lastChunk.positions.length < CHUNK_SIZE ? copyChunk(from.lastChunk) : from.lastChunk;
    const eventLeaves: Buffer[] = [];
    const commitmentLeaves: Buffer[] = [];
    for (const e of batch) {
      if (!chunk || chunk.positions.length === CHUNK_SIZE) {
        const n: number = chunk ? chunk.chunk + 1 : 0;
        chunk = { _id: chunkDocId(n), _v: e.position, chunk: n, firstPosition: e.position, positions: [], hashes: [], digests: [], upper: emptyUpper() };
      }
      const digest = eventCommitmentDigest(this.commitmentSeed, e);
      chunk.positions.push(e.position);
      chunk.hashes.push(e.hash);
      chunk.digests.push(digest.toString('hex'));
      chunk._v = e.position;
      touchedChunks.set(chunk.chunk, chunk);
      eventLeaves.push(hashHexLeaf(e.hash));
      commitmentLeaves.push(hashLeaf(commitmentLeaf(e.hash, digest)));
      heads.set(e.streamId, { streamId: e.streamId, revision: e.revision, lastHash: e.hash });
    }
    const events = from.events.appendAll(eventLeaves, nodeDoc('events'));
    const commitments = from.commitments.appendAll(commitmentLeaves, nodeDoc('commitments'));
    for (const c of touchedChunks.values()) put(CHUNKS, c);
    return { size: events.size, lastPosition, events, commitments, lastChunk: chunk };
  }

  /** Writes an advanced edge with its documents and stream heads atomically, then makes it the tree's state. */
  private async persist(s: Loaded, edge: Edge, changes: Map<string, Change>, heads: Map<string, StreamHead>): Promise<void> {
    const { size, lastPosition } = edge;
    const all = [...changes.values()];
    for (const h of heads.values()) {
      all.push({ op: 'put', collection: STREAMS, doc: { _id: h.streamId, _v: lastPosition, revision: h.revision, lastHash: h.lastHash } });
      all.push({ op: 'put', collection: STREAM_HISTORY, doc: { _id: `${h.streamId}@${size}`, _v: lastPosition, streamId: h.streamId, treeSize: size, revision: h.revision, lastHash: h.lastHash } });
    }
    const touchedChunks = all.flatMap((c) => (c.op === 'put' && c.collection === CHUNKS ? [(c.doc as ChunkDoc).chunk] : []));
    for (const c of touchedChunks) this.chunkCache.delete(c);
    await this.reads.applyChanges(TREE_CHECKPOINT, all, lastPosition);
    // Dropped again: a proof may have cached the shorter, persisted version of a chunk during the write.
    for (const c of touchedChunks) this.chunkCache.delete(c);
    for (const h of heads.values()) {
      if (s.heads) s.heads.set(h.streamId, h);
      else this.headsLoading?.set(h.streamId, h);
      if (this.sparseCollecting) this.sparsePending.set(h.streamId, h);
    }
    // The map built at this size (a tree head was sealed here) stays valid for proofs at it: kept rather than
    // rebuilt from the history (O(history)) by the first bundle asked for after the next batch is written.
    if (s.map && size !== s.size) this.keepHistoricalMap(s.size, s.map);
    Object.assign(s, { size, lastPosition, events: edge.events, commitments: edge.commitments, lastChunk: edge.lastChunk, map: null });
  }

  private remember(doc: ChunkDoc): CachedChunk {
    if (this.chunkCache.size >= 1024) this.chunkCache.delete(this.chunkCache.keys().next().value!);
    const entry: CachedChunk = { doc };
    this.chunkCache.set(doc.chunk, entry);
    return entry;
  }

  /**
   * A subtree hasher for the given ranges: each range is cut into complete aligned nodes; those of 256
   * leaves or more are read from the node collection, smaller ones recomputed from their chunk.
   */
  private async hasherFor(tree: TreeName, ranges: [number, number][], maxSize: number): Promise<SubtreeHasher> {
    const s = this.state;
    if (s && maxSize > s.size) throw new RangeError(`the tree has ${s.size} leaves, not ${maxSize}`);
    const nodes = this.nodeCache[tree];
    const missing = new Map<string, number>();
    const chunkIds = new Set<number>();
    const visit = (start: number, end: number) => {
      const n = end - start;
      if (n <= 0) return;
      if ((n & (n - 1)) === 0 && start % n === 0) {
        const level = Math.log2(n);
        if (level < CHUNK_LEVEL) chunkIds.add(Math.floor(start / CHUNK_SIZE));
        else if (!nodes.has(nodeKey(level, start / n))) missing.set(`${TREE_KEY[tree]}:${level}:${start / n}`, nodeKey(level, start / n));
        return;
      }
      const k = splitPoint(n);
      visit(start, start + k);
      visit(start + k, end);
    };
    for (const [a, b] of ranges) visit(a, b);
    if (missing.size) for (const d of await this.reads.getMany(NODES, [...missing.keys()])) nodes.set(missing.get(d._id)!, Buffer.from(d.hash as string, 'hex'));
    // Held for this hasher whatever the cache evicts meanwhile (a proof over more chunks than the cache keeps).
    const chunks = new Map<number, CachedChunk>();
    for (const c of chunkIds) {
      const cached = this.chunkCache.get(c);
      if (cached) chunks.set(c, cached);
    }
    const missingChunks = [...chunkIds].filter((c) => !chunks.has(c));
    for (let k = 0; k < missingChunks.length; k += 500)
      for (const d of (await this.reads.getMany(CHUNKS, missingChunks.slice(k, k + 500).map(chunkDocId))) as ChunkDoc[]) chunks.set(d.chunk, this.remember(d));
    // Subtrees that are not complete nodes lie on the right edge of some tree; every inclusion path of a leaf
    // left of one asks for it again (4,000 paths of a bundle, ~10 hashes each): each is hashed once per hasher.
    const partial = new Map<string, Buffer>();
    const hash = (start: number, end: number): Buffer => {
      const n = end - start;
      if ((n & (n - 1)) === 0 && start % n === 0) {
        const level = Math.log2(n);
        if (level >= CHUNK_LEVEL) {
          const node = nodes.get(nodeKey(level, start / n));
          if (!node) throw new Error(`merkle node ${level}:${start / n} missing from the tree store`);
          return node;
        }
        const c = chunks.get(Math.floor(start / CHUNK_SIZE)) ?? this.chunkCache.get(Math.floor(start / CHUNK_SIZE));
        if (!c) throw new Error(`merkle chunk ${Math.floor(start / CHUNK_SIZE)} missing from the tree store`);
        const node = chunkNode(c, tree, level, (start % CHUNK_SIZE) >> level);
        if (!node) throw new Error(`merkle chunk ${Math.floor(start / CHUNK_SIZE)} has no complete node ${level}:${(start % CHUNK_SIZE) >> level}`);
        return node;
      }
      const key = `${start}:${end}`;
      let known = partial.get(key);
      if (!known) {
        const k = splitPoint(n);
        partial.set(key, (known = hashChildren(hash(start, start + k), hash(start + k, end))));
      }
      return known;
    };
    return hash;
  }
}

/** The page documents of a map update: one per created inner node at a page depth (sparse-map.ts). */
const pageChanges = (created: CreatedNode[], size: number): Change[] =>
  created.filter(isPageRoot).map(({ node }) => ({ op: 'put', collection: MAP_NODES, doc: { _id: node.hash.toString('hex'), _v: size, t: flatPage(node) } }));

const chunkDocId = (chunk: number) => String(chunk).padStart(10, '0');
/** A node's number in the per-tree node cache: exact below 2^47 nodes per level. */
const nodeKey = (level: number, index: number) => index * 64 + level;
/** The chunk as of a checkpoint: its leaves up to that position (all of them when nothing was written ahead). */
function trimChunk(doc: ChunkDoc, lastPosition: number): ChunkDoc {
  const keep = doc.positions.findIndex((p) => p > lastPosition);
  if (keep < 0) return doc;
  // Stored in-chunk nodes over leaves beyond the checkpoint go too: at level l, the first ⌊keep / 2^l⌋ remain.
  const upper = doc.upper
    ? Object.fromEntries(Object.entries(doc.upper).map(([t, levels]) => [t, levels.map((hex, i) => hex.slice(0, 64 * (keep >> (STORED_CHUNK_LEVEL + i))))]))
    : undefined;
  return { ...doc, positions: doc.positions.slice(0, keep), hashes: doc.hashes.slice(0, keep), digests: doc.digests.slice(0, keep), ...(upper ? { upper } : {}) };
}

const copyChunk = (c: ChunkDoc): ChunkDoc => ({
  ...c,
  positions: [...c.positions],
  hashes: [...c.hashes],
  digests: [...c.digests],
  // A chunk of an older tree grows without stored nodes: its missing first nodes would misplace the next ones.
  upper: c.upper ? { e: [...(c.upper.e ?? [])], c: [...(c.upper.c ?? [])] } : undefined,
});

const emptyUpper = (): Record<string, string[]> => {
  const levels = () => Array.from({ length: CHUNK_LEVEL - STORED_CHUNK_LEVEL }, () => '');
  return { e: levels(), c: levels() };
};

/** Appends a completed in-chunk node to its chunk's stored level when it is exactly the next one there. */
function keepUpperNode(chunk: ChunkDoc | undefined, treeKey: string, level: number, k: number, hash: Buffer): void {
  const levels = chunk?.upper?.[treeKey];
  if (!levels) return;
  const i = level - STORED_CHUNK_LEVEL;
  if (levels[i]!.length === 64 * k) levels[i] += hash.toString('hex');
}

/**
 * A chunk's complete nodes below 256 leaves, computed on first use per tree and kept (a full bundle never needs
 * the commitment log's): nodes[l][i] = the node over its leaves [i·2^l, (i+1)·2^l). A complete node never changes
 * (the entry is dropped when its chunk grows), so each is hashed at most once per cached chunk; arrays rather than
 * a map keyed by strings, which was a fifth of a bundle's proof time (issue 18 profile).
 */
interface CachedChunk {
  doc: ChunkDoc;
  events?: (Buffer | undefined)[][];
  commitments?: (Buffer | undefined)[][];
}

/**
 * The complete in-chunk node (level, k), undefined if the chunk does not hold all its leaves yet. From the
 * chunk document's stored nodes where it has them (STORED_CHUNK_LEVEL and above), else hashed from the level
 * below, down to the leaves: only what a proof asks for is computed.
 */
function chunkNode(c: CachedChunk, tree: TreeName, level: number, k: number): Buffer | undefined {
  const nodes = (c[tree] ??= Array.from({ length: CHUNK_LEVEL }, () => []));
  const known = nodes[level]![k];
  if (known) return known;
  if ((k + 1) << level > c.doc.positions.length) return undefined;
  let node: Buffer;
  if (level === 0) {
    const h = c.doc.hashes[k]!;
    node = tree === 'events' ? hashHexLeaf(h) : hashLeaf(commitmentLeaf(h, Buffer.from(c.doc.digests[k]!, 'hex')));
  } else {
    const stored = level >= STORED_CHUNK_LEVEL ? c.doc.upper?.[TREE_KEY[tree]]?.[level - STORED_CHUNK_LEVEL] : undefined;
    node =
      stored && stored.length >= 64 * (k + 1)
        ? Buffer.from(stored.slice(64 * k, 64 * (k + 1)), 'hex')
        : hashChildren(chunkNode(c, tree, level - 1, 2 * k)!, chunkNode(c, tree, level - 1, 2 * k + 1)!);
  }
  nodes[level]![k] = node;
  return node;
}

/** A hasher that only records which subtrees a proof needs (first pass of a two-pass proof). */
function record(ranges: [number, number][]): SubtreeHasher {
  return (a, b) => {
    ranges.push([a, b]);
    return EMPTY_ROOT;
  };
}

function binarySearch(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The tree of each ledger, so the sealing entry points used by others (backup, the job) find it. */
const trees = new WeakMap<object, LogTree>();
export function attachLogTree(ledgerStore: EventStore, tree: LogTree): void {
  trees.set(ledgerStore, tree);
}
export function attachedLogTree(ledgerStore: EventStore): LogTree | null {
  return trees.get(ledgerStore) ?? null;
}

/**
 * The ledger's tree, attached to its event store. The commitment salts' seed is derived from the ledger's
 * signing key (Ed25519 signatures are deterministic), so it needs no secret of its own and no storage.
 */
export function createLogTree(store: EventStore, reads: ReadStore, signer: LedgerSigner): LogTree {
  const seed = createHash('sha256').update(signer.sign('suyuan-commitment-seed/1'), 'utf8').digest();
  const tree = new LogTree(store, reads, seed, { observeAppends: true });
  attachLogTree(store, tree);
  return tree;
}
