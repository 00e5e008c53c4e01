import { hash as sha256Once } from 'node:crypto';
import { hashChildren } from './rfc9162';
import { hashStreamHeadLeaf, type StreamHead } from './stream-map';

/**
 * The stream-head map, format 2 (decision 0018 §Fourth pass, docs/verifiable-history.md §Stream-head map v2):
 * a sparse Merkle tree keyed by SHA-256(UTF-8 stream id), collapsed so that a subtree holding exactly one
 * stream *is* that stream's leaf. Unlike format 1 (an RFC 9162 tree over leaves sorted by id, where one new id
 * shifts every node right of it), a stream's place depends on its id alone: a seal re-hashes only the paths of
 * the streams that moved (O(touched · log S)), and the nodes, content-addressed, are stored once and never
 * rewritten, so a restarted process proves a head by reading ~log S nodes instead of rebuilding the map (O(S)).
 *
 *   subtree(prefix) = 32 zero bytes                                    no stream's key starts with prefix
 *                   = SHA-256(0x00 ‖ streamHeadLeaf(head))             exactly one does (its head)
 *                   = SHA-256(0x01 ‖ subtree(prefix‖0) ‖ subtree(prefix‖1))   two or more
 *   root = subtree(empty prefix); bits are taken most significant first.
 *
 * A head proof is the stream's head and the siblings from its leaf up to the root (one per level it sits at).
 * Leaves (0x00) and nodes (0x01) are domain-separated, so a valid proof's leaf is the only leaf of that key:
 * a proof placing it higher or lower than the tree does would need a hash collision. The revision it states is
 * therefore *the* last one as of the tree head, as format 1's neighbours showed.
 */
export const SPARSE_MAP_FORMAT = 'suyuan-stream-map/2';
export const EMPTY_SUBTREE = Buffer.alloc(32);
const MAX_DEPTH = 256;

export function mapKey(streamId: string): Buffer {
  return sha256Once('sha256', Buffer.from(streamId, 'utf8'), 'buffer');
}

const bit = (key: Buffer, depth: number) => (key[depth >> 3]! >> (7 - (depth & 7))) & 1;

export interface SparseLeaf {
  readonly leaf: true;
  readonly key: Buffer;
  readonly head: StreamHead;
  readonly hash: Buffer;
}
export interface SparseInner {
  readonly leaf: false;
  readonly hash: Buffer;
  readonly left: SparseNode | null;
  readonly right: SparseNode | null;
}
export type SparseNode = SparseLeaf | SparseInner;

export function sparseLeaf(head: StreamHead): SparseLeaf {
  return { leaf: true, key: mapKey(head.streamId), head, hash: hashStreamHeadLeaf(head) };
}

const hashOf = (n: SparseNode | null) => (n ? n.hash : EMPTY_SUBTREE);

/** The node over two subtrees, collapsed: an empty side next to a single leaf is that leaf. */
function join(left: SparseNode | null, right: SparseNode | null, created: SparseInner[] | null): SparseNode | null {
  if (!left && !right) return null;
  if (!left && right?.leaf) return right;
  if (!right && left?.leaf) return left;
  const node: SparseInner = { leaf: false, hash: hashChildren(hashOf(left), hashOf(right)), left, right };
  created?.push(node);
  return node;
}

/** Splits leaves sorted by key at the bit `depth`: those with 0 come first. */
function splitAt(items: readonly SparseLeaf[], depth: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bit(items[mid]!.key, depth) === 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The subtree at `depth` after setting `items` (distinct keys, sorted by key; all under this subtree's prefix).
 * Persistent: `node` is not changed, untouched subtrees are shared, and each new inner node goes to `created`.
 */
function upsert(node: SparseNode | null, depth: number, items: readonly SparseLeaf[], created: SparseInner[] | null): SparseNode | null {
  if (items.length === 0) return node;
  if (depth > MAX_DEPTH) throw new Error('stream-map keys collide'); // distinct SHA-256 outputs differ in some bit
  if (node?.leaf) {
    // A leaf meets new keys: it is replaced (same key) or joins them, and the subtree is built from scratch.
    const existing = node;
    const replaced = items.some((i) => i.key.equals(existing.key));
    if (!replaced) {
      const merged = [...items];
      let at = 0;
      while (at < merged.length && Buffer.compare(merged[at]!.key, existing.key) < 0) at++;
      merged.splice(at, 0, existing);
      return upsert(null, depth, merged, created);
    }
    node = null;
  }
  if (!node && items.length === 1) return items[0]!;
  const k = splitAt(items, depth);
  const left = upsert(node ? node.left : null, depth + 1, items.slice(0, k), created);
  const right = upsert(node ? node.right : null, depth + 1, items.slice(k), created);
  if (node && left === node.left && right === node.right) return node;
  return join(left, right, created);
}

export interface SparseHeadProof {
  format: typeof SPARSE_MAP_FORMAT;
  /** The stream's head as of the tree head, and the siblings from its leaf up to the root (hex). */
  entry: { streamId: string; revision: number; lastHash: string; path: string[] };
}

/** An immutable version of the map (the state after a seal); versions share their unchanged subtrees. */
export class SparseMap {
  private constructor(
    readonly rootNode: SparseNode | null,
    readonly size: number,
  ) {}

  static empty(): SparseMap {
    return new SparseMap(null, 0);
  }

  static of(heads: Iterable<StreamHead>): SparseMap {
    return SparseMap.empty().with(heads).map;
  }

  /** This map with the given heads set (new streams added, others' heads replaced), and the inner nodes it created. */
  with(heads: Iterable<StreamHead>, created: SparseInner[] | null = null): { map: SparseMap; created: SparseInner[] } {
    const out = created ?? [];
    const byKey = new Map<string, SparseLeaf>();
    for (const h of heads) byKey.set(h.streamId, sparseLeaf(h)); // the last head per stream
    const items = [...byKey.values()].sort((a, b) => Buffer.compare(a.key, b.key));
    let added = 0;
    for (const i of items) if (!this.find(i.key)) added++;
    return { map: new SparseMap(upsert(this.rootNode, 0, items, out), this.size + added), created: out };
  }

  root(): Buffer {
    return hashOf(this.rootNode);
  }

  private find(key: Buffer): SparseLeaf | null {
    let node = this.rootNode;
    for (let depth = 0; node && !node.leaf; depth++) node = bit(key, depth) ? node.right : node.left;
    return node && node.key.equals(key) ? node : null;
  }

  head(streamId: string): StreamHead | undefined {
    return this.find(mapKey(streamId))?.head;
  }

  prove(streamId: string, hex: (b: Buffer) => string = (b) => b.toString('hex')): SparseHeadProof | null {
    const key = mapKey(streamId);
    const siblings: Buffer[] = [];
    let node = this.rootNode;
    for (let depth = 0; node && !node.leaf; depth++) {
      const right = bit(key, depth) === 1;
      siblings.push(hashOf(right ? node.left : node.right));
      node = right ? node.right : node.left;
    }
    if (!node || !node.key.equals(key)) return null;
    return { format: SPARSE_MAP_FORMAT, entry: { ...node.head, path: siblings.reverse().map(hex) } };
  }
}

/** The root a proof leads to, or null when it is malformed. */
export function sparseRootFromProof(proof: SparseHeadProof): Buffer | null {
  const e = proof?.entry;
  if (!e || typeof e.streamId !== 'string' || !Array.isArray(e.path) || e.path.length > MAX_DEPTH) return null;
  if (!(Number.isSafeInteger(e.revision) && e.revision >= 0) || !/^[0-9a-f]{64}$/.test(e.lastHash)) return null;
  const key = mapKey(e.streamId);
  let h = hashStreamHeadLeaf(e);
  for (let j = 0; j < e.path.length; j++) {
    const p = e.path[j]!;
    if (!/^[0-9a-f]{64}$/.test(p)) return null;
    const sibling = Buffer.from(p, 'hex');
    h = bit(key, e.path.length - 1 - j) ? hashChildren(sibling, h) : hashChildren(h, sibling);
  }
  return h;
}

export function checkSparseHeadProof(proof: SparseHeadProof, mapRoot: Buffer): 'bad-map-path' | null {
  if (proof?.format !== SPARSE_MAP_FORMAT) return 'bad-map-path';
  const root = sparseRootFromProof(proof);
  return root && root.equals(mapRoot) ? null : 'bad-map-path';
}

/*
 * Stored form (the read store, decision 0018): one document per inner node, its id the node's hash (hex),
 * holding its two children as references — null (empty), the child's hash (an inner node: its own document),
 * or [streamId, revision, lastHash] (a leaf, inline). Content-addressed: a document never changes, versions
 * share them, a rewrite after a crash writes the same bytes. The root's reference is kept per root hash.
 */
export type StoredRef = null | string | [string, number, string];
export interface StoredNode {
  l: StoredRef;
  r: StoredRef;
}

export function refOf(n: SparseNode | null): StoredRef {
  if (!n) return null;
  return n.leaf ? [n.head.streamId, n.head.revision, n.head.lastHash] : n.hash.toString('hex');
}

export function storedNode(n: SparseInner): StoredNode {
  return { l: refOf(n.left), r: refOf(n.right) };
}

const refHash = (ref: StoredRef): Buffer =>
  ref === null ? EMPTY_SUBTREE : typeof ref === 'string' ? Buffer.from(ref, 'hex') : hashStreamHeadLeaf({ streamId: ref[0], revision: ref[1], lastHash: ref[2] });

/**
 * Head proofs of several streams from the stored nodes, level by level (one `getNodes` per level for all of
 * them): what a process that did not seal the map (a restart) reads instead of rebuilding it. Null for a
 * stream the map does not hold. Throws if a node is missing (the store does not hold that map).
 */
export async function proveFromStore(
  rootRef: StoredRef,
  streamIds: readonly string[],
  getNodes: (ids: string[]) => Promise<Map<string, StoredNode>>,
  hex: (b: Buffer) => string = (b) => b.toString('hex'),
): Promise<(SparseHeadProof | null)[]> {
  const walks = streamIds.map((streamId) => ({ streamId, key: mapKey(streamId), ref: rootRef, siblings: [] as string[], depth: 0 }));
  const leafHex = new Map<string, string>();
  const siblingHex = (ref: StoredRef): string => {
    if (typeof ref === 'string') return ref;
    if (ref === null) return ZERO_HEX;
    const k = ref[0];
    let h = leafHex.get(k);
    if (h === undefined) leafHex.set(k, (h = hex(refHash(ref))));
    return h;
  };
  for (;;) {
    const pending = walks.filter((w) => typeof w.ref === 'string');
    if (pending.length === 0) break;
    const nodes = await getNodes([...new Set(pending.map((w) => w.ref as string))]);
    for (const w of pending) {
      const node = nodes.get(w.ref as string);
      if (!node) throw new Error(`stream-map node ${w.ref as string} missing from the tree store`);
      const right = bit(w.key, w.depth) === 1;
      w.siblings.push(siblingHex(right ? node.l : node.r));
      w.ref = right ? node.r : node.l;
      if (++w.depth > MAX_DEPTH) throw new Error('stream-map path too deep');
    }
  }
  return walks.map((w) => {
    const ref = w.ref;
    if (!Array.isArray(ref) || ref[0] !== w.streamId) return null;
    return { format: SPARSE_MAP_FORMAT, entry: { streamId: ref[0], revision: ref[1], lastHash: ref[2], path: w.siblings.reverse() } };
  });
}
const ZERO_HEX = '00'.repeat(32);
