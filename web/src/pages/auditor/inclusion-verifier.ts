/**
 * The browser's own check of an RFC 9162 inclusion proof (docs/verifiable-history.md): the auditor does not
 * take the server's `verified: true` on trust, the page recomputes the root with Web Crypto. Same algorithm
 * as tools/suyuan-verify/verify.js (`rootFromInclusion`, §2.1.3.2): leaf hash = SHA-256(0x00 ‖ leaf),
 * node hash = SHA-256(0x01 ‖ left ‖ right).
 */

export interface InclusionProof {
  eventHash: string;
  leafIndex: number;
  treeSize: number;
  path: string[];
}

export interface TreeHeadForCheck {
  treeSize: number;
  rootHash: string;
  commitmentRoot: string;
  streamMapRoot: string;
  streamCount: number;
  timestamp: string;
  signature: string;
}

export type InclusionResult =
  | { ok: true; treeSize: number; rootHash: string; signature: 'valid' | 'unchecked' }
  | { ok: false; treeSize: number; rootHash: string; computed: string | null; reason: 'root-mismatch' | 'bad-path' | 'hash-mismatch' | 'size-mismatch' | 'bad-signature' };

function fromHex(s: string): Uint8Array<ArrayBuffer> {
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`not hex: ${s.slice(0, 16)}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

async function sha256(prefix: number, ...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  all[0] = prefix;
  let at = 1;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

export const hashLeaf = (leaf: Uint8Array): Promise<Uint8Array> => sha256(0x00, leaf);
export const hashChildren = (l: Uint8Array, r: Uint8Array): Promise<Uint8Array> => sha256(0x01, l, r);

/** RFC 9162 §2.1.3.2: the root the path leads to, or null when the path does not fit the index and size. */
export async function rootFromInclusion(index: number, size: number, leafHash: Uint8Array, path: string[]): Promise<Uint8Array | null> {
  if (!(Number.isInteger(index) && Number.isInteger(size) && index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    const c = fromHex(p);
    if (fn % 2 === 1 || fn === sn) {
      r = await hashChildren(c, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else r = await hashChildren(r, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** The bytes the ledger signs (application/audit/tree-head.ts treeHeadMessage, docs/verifiable-history.md). */
export function treeHeadMessage(h: TreeHeadForCheck): string {
  return ['suyuan-tree-head/1', h.treeSize, h.rootHash, h.commitmentRoot, h.streamMapRoot, h.streamCount, h.timestamp].join('\n') + '\n';
}

/**
 * Ed25519 over the tree-head bytes with the ledger's public key. 'unchecked' when this browser's Web Crypto
 * has no Ed25519 (older engines): the root check still stands, and the page says the signature was not checked.
 */
export async function verifyTreeHeadSignature(h: TreeHeadForCheck, publicKeyPem: string): Promise<'valid' | 'invalid' | 'unchecked'> {
  const b64 = publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']).catch((err: unknown) => (err instanceof DOMException && err.name === 'NotSupportedError' ? 'unchecked' : 'invalid') as 'unchecked' | 'invalid');
  if (typeof key === 'string') return key;
  const sig = Uint8Array.from(atob(h.signature), (c) => c.charCodeAt(0));
  return (await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, new TextEncoder().encode(treeHeadMessage(h)))) ? 'valid' : 'invalid';
}

/**
 * Checks that `eventHash` (the hash the page shows for the event) is leaf `leafIndex` of the tree the signed
 * head commits to: the proof is for that event and that head, the recomputed root equals the head's root,
 * and (where the browser can) the head's signature verifies with the ledger key.
 */
export async function verifyInclusion(eventHash: string, proof: InclusionProof, head: TreeHeadForCheck, publicKeyPem?: string): Promise<InclusionResult> {
  const base = { treeSize: head.treeSize, rootHash: head.rootHash };
  if (proof.eventHash !== eventHash) return { ok: false, ...base, computed: null, reason: 'hash-mismatch' };
  if (proof.treeSize !== head.treeSize) return { ok: false, ...base, computed: null, reason: 'size-mismatch' };
  let computed: Uint8Array | null;
  try {
    computed = await rootFromInclusion(proof.leafIndex, proof.treeSize, await hashLeaf(fromHex(eventHash)), proof.path);
  } catch {
    computed = null;
  }
  if (!computed) return { ok: false, ...base, computed: null, reason: 'bad-path' };
  if (toHex(computed) !== head.rootHash.toLowerCase()) return { ok: false, ...base, computed: toHex(computed), reason: 'root-mismatch' };
  const signature = publicKeyPem ? await verifyTreeHeadSignature(head, publicKeyPem) : 'unchecked';
  if (signature === 'invalid') return { ok: false, ...base, computed: toHex(computed), reason: 'bad-signature' };
  return { ok: true, ...base, signature };
}
