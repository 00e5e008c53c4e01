import { createHash } from 'node:crypto';
import { sha256 } from './sha256';

/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and their verification — the one
 * append-only tree over the whole log (decision 0018). Leaf hash = SHA-256(0x00 ‖ leaf), node hash =
 * SHA-256(0x01 ‖ left ‖ right); a tree of n > 1 leaves splits at k = the largest power of two < n.
 * Proof *generation* works against a `SubtreeHasher` (whatever stores the nodes); verification is pure.
 */

/*
 * One-shot SHA-256 over a reused scratch buffer: a `createHash` object per node (and a Buffer per prefix)
 * was a third of sealing's CPU in garbage collection (issue 18 profile); `crypto.hash` is ~5× cheaper for
 * 33–65 bytes. Single-threaded JavaScript: the scratch is never shared between two calls in flight. The digest
 * comes back through sha256.ts (a pooled Buffer, not an ArrayBuffer per node).
 */
const NODE_SCRATCH = Buffer.alloc(65);
NODE_SCRATCH[0] = 1;
let leafScratch = Buffer.alloc(129);

export function hashLeaf(leaf: Buffer): Buffer {
  if (leaf.length + 1 > leafScratch.length) leafScratch = Buffer.alloc(leaf.length + 1);
  leafScratch[0] = 0;
  leaf.copy(leafScratch, 1);
  return sha256(leafScratch.subarray(0, leaf.length + 1));
}

/** hashLeaf of the 32 bytes an event hash's hex names, without decoding it into a Buffer of its own. */
export function hashHexLeaf(hex: string): Buffer {
  leafScratch[0] = 0;
  // Anything but 64 hex digits (a tampered export) hashes exactly as Buffer.from(hex, 'hex') decodes it.
  if (hex.length !== 64 || leafScratch.write(hex, 1, 'hex') !== 32) return hashLeaf(Buffer.from(hex, 'hex'));
  return sha256(leafScratch.subarray(0, 33));
}

export function hashChildren(left: Buffer, right: Buffer): Buffer {
  left.copy(NODE_SCRATCH, 1);
  right.copy(NODE_SCRATCH, 33);
  return sha256(NODE_SCRATCH);
}

export const EMPTY_ROOT = createHash('sha256').digest();

/** Largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Root of a list of leaf hashes (recomputed: for chunks, tests and the stream-head map). */
export function rootOfLeafHashes(leafHashes: readonly Buffer[], start = 0, end = leafHashes.length): Buffer {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leafHashes[start]!;
  const k = splitPoint(n);
  return hashChildren(rootOfLeafHashes(leafHashes, start, start + k), rootOfLeafHashes(leafHashes, start + k, end));
}

/**
 * The hash of the subtree over leaves [start, end) — MTH(D[start:end]) of RFC 9162 §2.1.1. Proofs only ever
 * ask for subtrees whose start is a multiple of the largest power of two ≤ their size, so a store can
 * answer from its complete ("perfect") nodes plus a few hashes along the right edge.
 */
export type SubtreeHasher = (start: number, end: number) => Buffer;

/** Inclusion proof (RFC 9162 §2.1.3.1 PATH(m, D[n])) of leaf `index` in the tree of the first `size` leaves. */
export function inclusionPath(index: number, size: number, subtree: SubtreeHasher): Buffer[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path: Buffer[] = [];
  let start = 0;
  let end = size;
  // Walk down from the root, collecting the sibling of each subtree that holds the leaf; emitted leaf-up.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push(subtree(start + k, end));
      end = start + k;
    } else {
      path.push(subtree(start, start + k));
      start = start + k;
    }
  }
  return path.reverse();
}

/** Consistency proof (RFC 9162 §2.1.4.1 PROOF(m, D[n])) between the trees of the first `m` and `n` leaves. */
export function consistencyPath(m: number, n: number, subtree: SubtreeHasher): Buffer[] {
  if (!(m >= 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const path: Buffer[] = [];
  // SUBPROOF(m, D[start:end], b), iteratively; collected root-down, emitted leaf-up.
  let start = 0;
  let end = n;
  let b = true;
  let size = m;
  for (;;) {
    const len = end - start;
    if (size === len) {
      if (!b) path.push(subtree(start, end));
      break;
    }
    const k = splitPoint(len);
    if (size <= k) {
      path.push(subtree(start + k, end));
      end = start + k;
    } else {
      path.push(subtree(start, start + k));
      start = start + k;
      size -= k;
      b = false;
    }
  }
  return path.reverse();
}

/** RFC 9162 §2.1.3.2: recomputes the root from a leaf hash and its inclusion path. */
export function rootFromInclusion(index: number, size: number, leafHash: Buffer, path: readonly Buffer[]): Buffer | null {
  if (!(index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusionPath(index: number, size: number, leafHash: Buffer, path: readonly Buffer[], root: Buffer): boolean {
  const r = rootFromInclusion(index, size, leafHash, path);
  return r !== null && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `path` prove that the tree (m, firstRoot) is a prefix of the tree (n, secondRoot)? */
export function verifyConsistencyPath(m: number, n: number, firstRoot: Buffer, secondRoot: Buffer, path: readonly Buffer[]): boolean {
  if (!(m >= 0 && m <= n)) return false;
  if (m === n) return path.length === 0 && firstRoot.equals(secondRoot);
  if (m === 0) return path.length === 0;
  let proof = [...path];
  // If m is an exact power of two, the first tree's root is itself the first node of the proof.
  if ((m & (m - 1)) === 0) proof = [firstRoot, ...proof];
  if (proof.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = proof[0]!;
  let sr = proof[0]!;
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/**
 * The right edge of the tree: one complete subtree root per set bit of the size, largest (leftmost) first.
 * Appending a leaf merges equal-sized subtrees (O(1) amortised, O(log n) worst), and the root at any size
 * folds the edge right to left (O(log n)). Immutable: `append` returns a new frontier sharing the old one,
 * so a verifier can keep the frontier of every recent size for free and ask for the root of any of them.
 */
export class Frontier {
  private constructor(
    readonly size: number,
    /** Complete subtree roots, leftmost first; `levels[i]` is log2 of subtree i's leaf count. */
    private readonly hashes: readonly Buffer[],
    private readonly levels: readonly number[],
    /** Called with every complete node created on append (level ≥ 1), for stores that keep them. */
  ) {}

  static empty(): Frontier {
    return new Frontier(0, [], []);
  }

  /** The frontier of a tree of `size` leaves, from its complete subtree roots (largest first). */
  static of(size: number, hashes: readonly Buffer[]): Frontier {
    const levels: number[] = [];
    for (let level = 52; level >= 0; level--) if (Math.floor(size / 2 ** level) % 2 === 1) levels.push(level);
    if (levels.length !== hashes.length) throw new RangeError(`a tree of ${size} leaves has ${levels.length} edge nodes, got ${hashes.length}`);
    return new Frontier(size, hashes, levels);
  }

  /** Adds one leaf hash; `onNode(level, index, hash)` sees each complete node formed (level ≥ 1). */
  append(leafHash: Buffer, onNode?: (level: number, index: number, hash: Buffer) => void): Frontier {
    const hashes = [...this.hashes, leafHash];
    const levels = [...this.levels, 0];
    const size = this.size + 1;
    while (levels.length >= 2 && levels[levels.length - 1] === levels[levels.length - 2]) {
      const right = hashes.pop()!;
      const left = hashes.pop()!;
      const level = levels.pop()! + 1;
      levels.pop();
      const hash = hashChildren(left, right);
      hashes.push(hash);
      levels.push(level);
      onNode?.(level, Math.floor((size - 1) / 2 ** level), hash);
    }
    return new Frontier(size, hashes, levels);
  }

  /** Appends many leaf hashes at once: the same frontier as appending them one by one, without a copy per leaf. */
  appendAll(leafHashes: readonly Buffer[], onNode?: (level: number, index: number, hash: Buffer) => void): Frontier {
    if (leafHashes.length === 0) return this;
    const hashes = [...this.hashes];
    const levels = [...this.levels];
    let size = this.size;
    for (const leaf of leafHashes) {
      hashes.push(leaf);
      levels.push(0);
      size++;
      while (levels.length >= 2 && levels[levels.length - 1] === levels[levels.length - 2]) {
        const right = hashes.pop()!;
        const left = hashes.pop()!;
        const level = levels.pop()! + 1;
        levels.pop();
        const node = hashChildren(left, right);
        hashes.push(node);
        levels.push(level);
        onNode?.(level, Math.floor((size - 1) / 2 ** level), node);
      }
    }
    return new Frontier(size, hashes, levels);
  }

  /** Edge node hashes, leftmost (largest) first. */
  edge(): readonly Buffer[] {
    return this.hashes;
  }

  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let r = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) r = hashChildren(this.hashes[i]!, r);
    return r;
  }
}
