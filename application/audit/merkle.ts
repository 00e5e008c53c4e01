import { createHash } from 'node:crypto';

/**
 * RFC 6962 (Certificate Transparency) Merkle tree over event hashes: leaves and inner nodes are hashed with
 * distinct prefixes (0x00 / 0x01) so a leaf can never pass for a node. Works for any number of leaves
 * (the tree splits at the largest power of two below n), so the proofs are the standard audit paths.
 */
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(eventHashHex: string): Buffer {
  return sha256(LEAF, Buffer.from(eventHashHex, 'hex'));
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE, left, right);
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function root(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(root(leaves.slice(0, k)), root(leaves.slice(k)));
}

/** Merkle root (hex) of the given event hashes, in log order. */
export function merkleRoot(eventHashes: string[]): string {
  return root(eventHashes.map(leafHash)).toString('hex');
}

/** Audit path for leaf `index`: sibling hashes from the leaf up to the root. */
export function inclusionProof(eventHashes: string[], index: number): string[] {
  const path: Buffer[] = [];
  const walk = (leaves: Buffer[], i: number) => {
    if (leaves.length <= 1) return;
    const k = largestPowerOfTwoBelow(leaves.length);
    if (i < k) {
      walk(leaves.slice(0, k), i);
      path.push(root(leaves.slice(k)));
    } else {
      walk(leaves.slice(k), i - k);
      path.push(root(leaves.slice(0, k)));
    }
  };
  if (index < 0 || index >= eventHashes.length) throw new RangeError('leaf index out of range');
  walk(eventHashes.map(leafHash), index);
  return path.map((b) => b.toString('hex'));
}

/** Recomputes the root from a leaf and its audit path (RFC 6962 §2.1.1 verification). */
export function verifyInclusion(eventHashHex: string, index: number, treeSize: number, path: string[], expectedRootHex: string): boolean {
  if (index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(eventHashHex);
  for (const p of path) {
    const sibling = Buffer.from(p, 'hex');
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sibling, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, sibling);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.toString('hex') === expectedRootHex;
}
