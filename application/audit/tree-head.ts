import { createPublicKey, verify } from 'node:crypto';
import type { LedgerSigner } from '../ports/signer';

/**
 * Signed tree heads (decision 0018, docs/verifiable-history.md §Tree heads). The signed bytes are a short
 * line format, not JSON, so that a verifier in any language rebuilds them without a canonicaliser; a
 * witness's cosignature is over exactly the same bytes.
 */
export const TREE_HEAD_EVENT = 'TreeHeadSealed';
export const TREE_HEAD_COSIGNED_EVENT = 'TreeHeadCosigned';
export const COSIGNATURE_STREAM = 'ledger-cosignatures';
export const TREE_HEAD_FORMAT = 'suyuan-tree-head/1';

export interface TreeHeadBody {
  treeSize: number;
  /** RFC 9162 root (hex) of the event log: leaves = event hashes in log order. */
  rootHash: string;
  /** Root of the commitment log (same leaves' order): what a redacted bundle verifies against. */
  commitmentRoot: string;
  /** Root of the stream-head map as of treeSize. */
  streamMapRoot: string;
  streamCount: number;
  /** ISO-8601 UTC with milliseconds. */
  timestamp: string;
}

export interface SignedTreeHead extends TreeHeadBody {
  keyId: string;
  /** Ed25519 over treeHeadMessage(body), base64. */
  signature: string;
  /** Position of the last leaf (not signed: a convenience for finding the events). */
  lastPosition: number;
  /**
   * The stream-head map's construction: 'suyuan-stream-map/2' (sparse-map.ts), absent for format 1 (sorted
   * leaves, stream-map.ts). Not signed, so the signed bytes (and every witness's and verifier's copy of them)
   * stay as they were; a wrong label is caught all the same: the map rebuilt under it has another root.
   */
  streamMapFormat?: string;
}

export interface Cosignature {
  treeSize: number;
  witnessKeyId: string;
  witnessPublicKeyPem: string;
  signature: string;
  cosignedAt: string;
}

export function treeHeadMessage(h: TreeHeadBody): string {
  return [TREE_HEAD_FORMAT, h.treeSize, h.rootHash, h.commitmentRoot, h.streamMapRoot, h.streamCount, h.timestamp].join('\n') + '\n';
}

export function signTreeHead(body: TreeHeadBody, signer: LedgerSigner, lastPosition: number, streamMapFormat?: string): SignedTreeHead {
  return { ...body, keyId: signer.keyId, signature: signer.sign(treeHeadMessage(body)), lastPosition, ...(streamMapFormat ? { streamMapFormat } : {}) };
}

export function verifyTreeHeadSignature(body: TreeHeadBody, signatureB64: string, publicKeyPem: string): boolean {
  try {
    return verify(null, Buffer.from(treeHeadMessage(body), 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

export function bodyOf(h: TreeHeadBody): TreeHeadBody {
  const { treeSize, rootHash, commitmentRoot, streamMapRoot, streamCount, timestamp } = h;
  return { treeSize, rootHash, commitmentRoot, streamMapRoot, streamCount, timestamp };
}
