import { EMPTY_ROOT, hashLeaf, inclusionPath, rootFromInclusion, splitPoint, hashChildren } from './rfc9162';

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

const compareIds = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** An immutable snapshot of the map, with its levels kept so proofs cost no hashing. */
export class StreamMap {
  private readonly index = new Map<string, number>();
  /** levels[0] = leaf hashes in key order; levels[l][i] = the complete node over leaves [i·2^l, (i+1)·2^l). */
  private readonly levels: Buffer[][] = [];

  private constructor(private readonly heads: StreamHead[]) {
    heads.forEach((h, i) => this.index.set(h.streamId, i));
    let level = heads.map((h) => hashLeaf(streamHeadLeaf(h)));
    this.levels.push(level);
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i]!, level[i + 1]!));
      this.levels.push(next);
      level = next;
    }
  }

  static of(heads: Iterable<StreamHead>): StreamMap {
    return new StreamMap([...heads].sort((a, b) => compareIds(a.streamId, b.streamId)));
  }

  get size(): number {
    return this.heads.length;
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

  /** Proof of the stream's head, or null when the map has no such stream. */
  prove(streamId: string): StreamHeadProof | null {
    const i = this.index.get(streamId);
    if (i === undefined) return null;
    const entryAt = (j: number): MapEntryProof | null => {
      const h = this.heads[j];
      if (!h) return null;
      return { index: j, ...h, path: inclusionPath(j, this.heads.length, (s, e) => this.subtree(s, e)).map((b) => b.toString('hex')) };
    };
    return { mapSize: this.heads.length, entry: entryAt(i)!, left: i > 0 ? entryAt(i - 1) : null, right: entryAt(i + 1) };
  }

  private subtree(start: number, end: number): Buffer {
    const n = end - start;
    if ((n & (n - 1)) === 0) {
      const level = Math.log2(n);
      if (start % n === 0) return this.levels[level]![start / n]!;
    }
    const k = splitPoint(n);
    return hashChildren(this.subtree(start, start + k), this.subtree(start + k, end));
  }
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
