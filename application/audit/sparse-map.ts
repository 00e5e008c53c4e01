import { hashChildren } from './rfc9162';
import { hashStreamHeadLeaf, type StreamHead } from './stream-map';
import { sha256 } from './sha256';

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
  return sha256(streamId);
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

/** One update: the new leaves (reordered as the descent goes), the inner nodes it creates (with their depth), the streams it adds. */
interface Update {
  items: SparseLeaf[];
  /** Null when the caller does not store the map (a verifier): no record per inner node. */
  created: CreatedNode[] | null;
  added: number;
}
export interface CreatedNode {
  node: SparseInner;
  depth: number;
}

/** The node over two subtrees, collapsed: an empty side next to a single leaf is that leaf. */
function join(left: SparseNode | null, right: SparseNode | null, depth: number, u: Update): SparseNode | null {
  if (!left && !right) return null;
  if (!left && right?.leaf) return right;
  if (!right && left?.leaf) return left;
  const node: SparseInner = { leaf: false, hash: hashChildren(hashOf(left), hashOf(right)), left, right };
  u.created?.push({ node, depth });
  return node;
}

/**
 * Reorders [lo, hi) so that the leaves whose bit `depth` is 0 come first, and returns where the others start:
 * the tree's own descent sorts the leaves (an MSD radix sort), with no comparison sort (Buffer.compare per
 * comparison was most of a 50k-stream build, issue 18 profile).
 */
function splitAt(items: SparseLeaf[], lo: number, hi: number, depth: number): number {
  let i = lo;
  let j = hi - 1;
  const byte = depth >> 3;
  const mask = 0x80 >> (depth & 7);
  for (;;) {
    while (i <= j && (items[i]!.key[byte]! & mask) === 0) i++;
    while (i <= j && (items[j]!.key[byte]! & mask) !== 0) j--;
    if (i >= j) return i;
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

/** A subtree of the leaves [lo, hi) alone (distinct keys under one prefix). */
function build(items: SparseLeaf[], lo: number, hi: number, depth: number, u: Update): SparseNode | null {
  if (hi - lo <= 1) return hi > lo ? items[lo]! : null;
  if (depth >= MAX_DEPTH) throw new Error('stream-map keys collide'); // distinct SHA-256 outputs differ in some bit
  const k = splitAt(items, lo, hi, depth);
  return join(build(items, lo, k, depth + 1, u), build(items, k, hi, depth + 1, u), depth, u);
}

/**
 * The subtree at `depth` after setting the leaves [lo, hi) of u.items (distinct keys, all under this subtree's prefix).
 * Persistent: `node` is not changed, untouched subtrees are shared, and each new inner node goes to u.created.
 */
function upsert(node: SparseNode | null, depth: number, lo: number, hi: number, u: Update): SparseNode | null {
  if (lo >= hi) return node;
  if (!node) {
    u.added += hi - lo;
    return build(u.items, lo, hi, depth, u);
  }
  if (node.leaf) {
    // A leaf meets new keys: it is replaced (same key) or joins them, and the subtree is built anew.
    let same = -1;
    for (let i = lo; i < hi && same < 0; i++) if (u.items[i]!.key.equals(node.key)) same = i;
    u.added += hi - lo - (same >= 0 ? 1 : 0);
    if (same >= 0) return build(u.items, lo, hi, depth, u);
    const merged = u.items.slice(lo, hi);
    merged.push(node);
    return build(merged, 0, merged.length, depth, u);
  }
  const k = splitAt(u.items, lo, hi, depth);
  const left = upsert(node.left, depth + 1, lo, k, u);
  const right = upsert(node.right, depth + 1, k, hi, u);
  if (left === node.left && right === node.right) return node;
  return join(left, right, depth, u);
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
    return SparseMap.empty().updated(heads);
  }

  /** This map with the given heads set (new streams added, others' heads replaced), and the inner nodes it created. */
  with(heads: Iterable<StreamHead>): { map: SparseMap; created: CreatedNode[] } {
    const u = this.update(heads, []);
    return { map: u.map, created: u.created! };
  }

  /** This map with the given heads set, when its new inner nodes are not needed (they are not stored). */
  updated(heads: Iterable<StreamHead>): SparseMap {
    return this.update(heads, null).map;
  }

  private update(heads: Iterable<StreamHead>, created: CreatedNode[] | null): { map: SparseMap; created: CreatedNode[] | null } {
    const byId = new Map<string, StreamHead>();
    for (const h of heads) byId.set(h.streamId, h); // the last head per stream
    const items: SparseLeaf[] = [];
    for (const h of byId.values()) items.push(sparseLeaf(h)); // put in key order by the descent itself (splitAt)
    const u: Update = { items, created, added: 0 };
    const root = upsert(this.rootNode, 0, 0, items.length, u);
    return { map: new SparseMap(root, this.size + u.added), created: u.created };
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
 * Stored form (the read store, decision 0018): the tree cut into pages of PAGE_LEVELS levels, one document per
 * inner node at a depth that is a multiple of PAGE_LEVELS (the map's root among them), its id that node's hash
 * (hex). A page holds the inner nodes below its root down to the next page roots, each as { h, l, r }, and
 * references: null (empty), a page root's hash (a document of its own), or [streamId, revision, lastHash] (a
 * leaf, inline). Content-addressed: a document never changes, versions share them, a rewrite after a crash
 * writes the same bytes; any change below a page changes its root's hash, so a seal writes exactly the pages
 * whose root it created. Pages of 4 levels: ~4× fewer documents than one per node (issue 18: a document write
 * costs ~10 µs), and no hashing to read a proof but the leaves beside the path.
 */
export const PAGE_LEVELS = 4;
export type StoredRef = null | string | [string, number, string] | StoredInner;
export interface StoredInner {
  h: string;
  l: StoredRef;
  r: StoredRef;
}
/** A page document's content: its root's children. */
export interface StoredNode {
  l: StoredRef;
  r: StoredRef;
}

function encode(n: SparseNode | null, level: number): StoredRef {
  if (!n) return null;
  if (n.leaf) return [n.head.streamId, n.head.revision, n.head.lastHash];
  if (level === PAGE_LEVELS) return n.hash.toString('hex');
  return { h: n.hash.toString('hex'), l: encode(n.left, level + 1), r: encode(n.right, level + 1) };
}

/** The map's root as a reference: null (empty map), a leaf (one stream), else its page's id. */
export function refOf(n: SparseNode | null): StoredRef {
  return !n || n.leaf ? encode(n, 0) : n.hash.toString('hex');
}

export const isPageRoot = (created: CreatedNode) => created.depth % PAGE_LEVELS === 0;

export function storedPage(n: SparseInner): StoredNode {
  return { l: encode(n.left, 1), r: encode(n.right, 1) };
}

/*
 * A page as the document stores it: one flat array, its root's two children in preorder — inner node 'n', hash,
 * then its children; page reference 'p', hash; leaf 'l', streamId, revision, lastHash; empty null. Flat, because
 * the read store walks nested objects and arrays of every document it writes (SQLite: the array paths it
 * records), which cost more than the page's hashing did.
 */
export type FlatPage = (string | number | null)[];

export function flatPage(n: SparseInner): FlatPage {
  const out: FlatPage = [];
  const put = (c: SparseNode | null, level: number): void => {
    if (!c) out.push(null);
    else if (c.leaf) out.push('l', c.head.streamId, c.head.revision, c.head.lastHash);
    else if (level === PAGE_LEVELS) out.push('p', c.hash.toString('hex'));
    else {
      out.push('n', c.hash.toString('hex'));
      put(c.left, level + 1);
      put(c.right, level + 1);
    }
  };
  put(n.left, 1);
  put(n.right, 1);
  return out;
}

export function pageOfFlat(flat: FlatPage): StoredNode {
  let i = 0;
  const take = (): StoredRef => {
    const tag = flat[i++];
    if (tag === null) return null;
    if (tag === 'p') return flat[i++] as string;
    if (tag === 'l') {
      const leaf: [string, number, string] = [flat[i] as string, flat[i + 1] as number, flat[i + 2] as string];
      i += 3;
      return leaf;
    }
    if (tag !== 'n') throw new Error('stream-map page malformed');
    const h = flat[i++] as string;
    const l = take();
    return { h, l, r: take() };
  };
  const l = take();
  const node = { l, r: take() };
  if (i !== flat.length) throw new Error('stream-map page malformed');
  return node;
}

/**
 * Head proofs of several streams from the stored pages, page level by page level (one `getNodes` per level for
 * all of them): what a process that did not seal the map (a restart) reads instead of rebuilding it. Null for a
 * stream the map does not hold. Throws if a page is missing (the store does not hold that map).
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
    if (!Array.isArray(ref)) return ref.h;
    let h = leafHex.get(ref[0]);
    if (h === undefined) leafHex.set(ref[0], (h = hex(hashStreamHeadLeaf({ streamId: ref[0], revision: ref[1], lastHash: ref[2] }))));
    return h;
  };
  for (;;) {
    const pending = walks.filter((w) => typeof w.ref === 'string');
    if (pending.length === 0) break;
    const pages = await getNodes([...new Set(pending.map((w) => w.ref as string))]);
    for (const w of pending) {
      let node: StoredNode | undefined = pages.get(w.ref as string);
      if (!node) throw new Error(`stream-map page ${w.ref as string} missing from the tree store`);
      // Down through the page's inner nodes to the next page, a leaf or an empty side.
      for (;;) {
        const right = bit(w.key, w.depth) === 1;
        w.siblings.push(siblingHex(right ? node.l : node.r));
        const next: StoredRef = right ? node.r : node.l;
        if (++w.depth > MAX_DEPTH) throw new Error('stream-map path too deep');
        if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next;
        else {
          w.ref = next;
          break;
        }
      }
    }
  }
  return walks.map((w) => {
    const ref = w.ref;
    if (!Array.isArray(ref) || ref[0] !== w.streamId) return null;
    return { format: SPARSE_MAP_FORMAT, entry: { streamId: ref[0], revision: ref[1], lastHash: ref[2], path: w.siblings.reverse() } };
  });
}
const ZERO_HEX = '00'.repeat(32);
