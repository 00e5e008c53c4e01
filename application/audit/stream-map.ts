import { EMPTY_ROOT, hashLeaf, inclusionPath, rootFromInclusion, splitPoint, hashChildren } from './rfc9162';
import { sha256 } from './sha256';

/**
 * The stream-head map (decision 0018): every stream's last revision and last event hash as of a tree head,
 * as an RFC 9162 tree over leaves sorted by stream id (UTF-8 byte order). The tree head signs its root, so
 * a checkpoint no longer lists stream heads. A head proof is the stream's leaf with its inclusion path plus
 * its two neighbours' leaves and paths: strictly increasing ids either side show the stream has exactly one
 * leaf, so the revision it states is *the* last one.
 */

export interface StreamHead {
  streamId: string;
  revision: number;
  lastHash: string;
}

/** Leaf bytes: UTF-8 stream id ‖ 0x00 ‖ revision as unsigned 64-bit big-endian ‖ the 32 bytes of the last event hash. */
export function streamHeadLeaf(head: StreamHead): Buffer {
  const id = Buffer.from(head.streamId, 'utf8');
  const out = Buffer.alloc(id.length + 1 + 8 + 32);
  id.copy(out, 0);
  out[id.length] = 0;
  out.writeBigUInt64BE(BigInt(head.revision), id.length + 1);
  Buffer.from(head.lastHash, 'hex').copy(out, id.length + 9);
  return out;
}

/*
 * hashLeaf(streamHeadLeaf(head)) written into one reused buffer and hashed once: a map of 50k streams built
 * by a restarted process (or a verifier, per tree head) made three Buffers per leaf (issue 18 profile).
 * Single-threaded JavaScript: the scratch is never shared between two calls in flight.
 */
let leafScratch = Buffer.alloc(256);

/** SHA-256(0x00 ‖ streamHeadLeaf(head)): the map leaf's hash. */
export function hashStreamHeadLeaf(head: StreamHead): Buffer {
  const idBytes = Buffer.byteLength(head.streamId, 'utf8');
  const length = 1 + idBytes + 1 + 8 + 32;
  // Anything but 64 hex digits (a tampered export) takes the plain construction, exactly as it decodes them.
  if (head.lastHash.length !== 64 || !Number.isSafeInteger(head.revision) || head.revision < 0) return hashLeaf(streamHeadLeaf(head));
  if (length > leafScratch.length) leafScratch = Buffer.alloc(2 * length);
  leafScratch[0] = 0;
  leafScratch.write(head.streamId, 1, 'utf8');
  leafScratch[1 + idBytes] = 0;
  // The revision as 8 bytes big-endian, in two 32-bit halves (a BigInt per leaf otherwise; safe integers fit).
  leafScratch.writeUInt32BE(Math.floor(head.revision / 0x1_0000_0000), 2 + idBytes);
  leafScratch.writeUInt32BE(head.revision >>> 0, 6 + idBytes);
  if (leafScratch.write(head.lastHash, 10 + idBytes, 32, 'hex') !== 32) return hashLeaf(streamHeadLeaf(head));
  return sha256(leafScratch.subarray(0, length));
}

export interface MapEntryProof {
  index: number;
  streamId: string;
  revision: number;
  lastHash: string;
  path: string[];
}

export interface StreamHeadProof {
  mapSize: number;
  entry: MapEntryProof;
  /** The entries just before and after (null at the ends of the map). */
  left: MapEntryProof | null;
  right: MapEntryProof | null;
}

/**
 * UTF-8 byte order of two stream ids without encoding them (a sort of 100k ids made ~3.4M Buffers): up to the
 * first differing UTF-16 unit the bytes agree, and below U+D800 code unit order is code point order is UTF-8
 * byte order. Surrogates (or a prefix ending in one) take the exact, encoding comparison.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  if (n > 0 && a.charCodeAt(n - 1) >= 0xd800) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a.length - b.length;
}

/** An immutable snapshot of the map, with its levels kept so proofs cost no hashing. */
export class StreamMap {
  /** Position of each stream id, built on the first lookup: a verifier only asks for the root. */
  private indexById: Map<string, number> | null = null;
  /** levels[0] = leaf hashes in key order; levels[l][i] = the complete node over leaves [i·2^l, (i+1)·2^l). */
  private readonly levels: Buffer[][] = [];
  /** Hashes of subtrees that are not complete nodes (the right edge), by "start:end". */
  private readonly partial = new Map<string, Buffer>();

  /**
   * `previous`: an earlier map whose leaf and node Buffers these leaves may share (StreamMapBuilder keeps each
   * unchanged stream's leaf object). A node whose two children are the very objects the previous map had at the
   * same place is that map's node (it was hashed from them): only nodes above a changed or shifted leaf are
   * hashed again — the nodes left of the first insertion and away from the moved heads are kept.
   */
  private constructor(
    private readonly heads: StreamHead[],
    leafHashes?: Buffer[],
    previous?: StreamMap | null,
  ) {
    let level = leafHashes ?? heads.map(hashStreamHeadLeaf);
    this.levels.push(level);
    const before = previous?.levels;
    for (let l = 0; level.length > 1; l++) {
      const old = before?.[l];
      const oldParents = before?.[l + 1];
      const next: Buffer[] = new Array<Buffer>(level.length >> 1);
      for (let i = 0; i + 1 < level.length; i += 2) {
        const left = level[i]!;
        const right = level[i + 1]!;
        const kept = old && oldParents && old[i] === left && old[i + 1] === right ? oldParents[i >> 1] : undefined;
        next[i >> 1] = kept ?? hashChildren(left, right);
      }
      this.levels.push(next);
      level = next;
    }
  }

  static of(heads: Iterable<StreamHead>): StreamMap {
    return new StreamMap([...heads].sort((a, b) => compareIds(a.streamId, b.streamId)));
  }

  /** From heads already sorted by id with their leaf hashes (StreamMapBuilder), sharing `previous`'s unchanged nodes. */
  static ofSorted(heads: StreamHead[], leafHashes: Buffer[], previous: StreamMap | null = null): StreamMap {
    return new StreamMap(heads, leafHashes, previous);
  }

  get size(): number {
    return this.heads.length;
  }

  private get index(): Map<string, number> {
    if (!this.indexById) {
      const index = new Map<string, number>();
      this.heads.forEach((h, i) => index.set(h.streamId, i));
      this.indexById = index;
    }
    return this.indexById;
  }

  head(streamId: string): StreamHead | undefined {
    const i = this.index.get(streamId);
    return i === undefined ? undefined : this.heads[i];
  }

  entries(): readonly StreamHead[] {
    return this.heads;
  }

  root(): Buffer {
    return this.heads.length === 0 ? EMPTY_ROOT : this.subtree(0, this.heads.length);
  }

  /** Proof of the stream's head, or null when the map has no such stream (`hex`: a memo shared by many proofs). */
  prove(streamId: string, hex: (b: Buffer) => string = (b) => b.toString('hex')): StreamHeadProof | null {
    const i = this.index.get(streamId);
    if (i === undefined) return null;
    const entryAt = (j: number): MapEntryProof | null => {
      const h = this.heads[j];
      if (!h) return null;
      return { index: j, ...h, path: inclusionPath(j, this.heads.length, (s, e) => this.subtree(s, e)).map(hex) };
    };
    return { mapSize: this.heads.length, entry: entryAt(i)!, left: i > 0 ? entryAt(i - 1) : null, right: entryAt(i + 1) };
  }

  private subtree(start: number, end: number): Buffer {
    const n = end - start;
    if ((n & (n - 1)) === 0) {
      const level = Math.log2(n);
      if (start % n === 0) return this.levels[level]![start / n]!;
    }
    // Not a complete node: on the map's right edge, asked again by every path of a leaf left of it (three paths
    // per head proof, 2,000 proofs per bundle). The snapshot never changes, so each is hashed once.
    const key = `${start}:${end}`;
    let known = this.partial.get(key);
    if (!known) {
      const k = splitPoint(n);
      this.partial.set(key, (known = hashChildren(this.subtree(start, start + k), this.subtree(start + k, end))));
    }
    return known;
  }
}

/**
 * Builds the map of the current heads at each seal without redoing what did not change (issue 18: the
 * rebuild was O(S) sorting with Buffers and S leaf hashes per tree head, 0.7 s at 52k streams): the sorted
 * order and each stream's leaf hash are kept, new ids are sorted among themselves and merged in, and only
 * heads that moved are re-hashed. The inner nodes are still recomputed (S − 1 hashes, ~1 µs each): the
 * map's format (a plain RFC 9162 tree over sorted leaves) shifts every node right of an insertion.
 */
export class StreamMapBuilder {
  private sorted: string[] = [];
  private last: StreamMap | null = null;
  private readonly leaves = new Map<string, { revision: number; lastHash: string; leaf: Buffer }>();

  build(heads: ReadonlyMap<string, StreamHead>): StreamMap {
    const fresh: string[] = [];
    for (const id of heads.keys()) if (!this.leaves.has(id)) fresh.push(id);
    if (fresh.length > 0) this.sorted = mergeSorted(this.sorted, fresh.sort(compareIds));
    const ordered: StreamHead[] = [];
    const hashes: Buffer[] = [];
    const kept: string[] = [];
    for (const id of this.sorted) {
      const h = heads.get(id);
      if (!h) {
        this.leaves.delete(id); // a stream gone from the heads (never in an append-only log; kept correct anyway)
        continue;
      }
      kept.push(id);
      let known = this.leaves.get(id);
      if (!known || known.revision !== h.revision || known.lastHash !== h.lastHash) {
        known = { revision: h.revision, lastHash: h.lastHash, leaf: hashStreamHeadLeaf(h) };
        this.leaves.set(id, known);
      }
      ordered.push(h);
      hashes.push(known.leaf);
    }
    this.sorted = kept;
    this.last = StreamMap.ofSorted(ordered, hashes, this.last);
    return this.last;
  }
}

function mergeSorted(a: string[], b: string[]): string[] {
  const out: string[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareIds(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

export type StreamHeadProblem = 'bad-map-path' | 'not-adjacent' | 'not-sorted' | 'not-at-edge';

/** Checks a head proof against the map root a tree head signed; null when it holds, else what is wrong. */
export function checkStreamHeadProof(proof: StreamHeadProof, mapRoot: Buffer): StreamHeadProblem | null {
  const rootOf = (e: MapEntryProof) =>
    rootFromInclusion(e.index, proof.mapSize, hashLeaf(streamHeadLeaf(e)), e.path.map((p) => Buffer.from(p, 'hex')));
  for (const e of [proof.entry, proof.left, proof.right]) if (e && !rootOf(e)?.equals(mapRoot)) return 'bad-map-path';
  const i = proof.entry.index;
  if (proof.left ? proof.left.index !== i - 1 : i !== 0) return proof.left ? 'not-adjacent' : 'not-at-edge';
  if (proof.right ? proof.right.index !== i + 1 : i !== proof.mapSize - 1) return proof.right ? 'not-adjacent' : 'not-at-edge';
  if (proof.left && compareIds(proof.left.streamId, proof.entry.streamId) >= 0) return 'not-sorted';
  if (proof.right && compareIds(proof.entry.streamId, proof.right.streamId) >= 0) return 'not-sorted';
  return null;
}
