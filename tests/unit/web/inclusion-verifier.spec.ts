import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashLeaf, rootFromInclusion, toHex, verifyInclusion, verifyTreeHeadSignature } from '../../../web/src/pages/auditor/inclusion-verifier';

/**
 * The auditor page's in-browser verifier (Web Crypto) against the published test vectors of
 * docs/verifiable-history.md: the same roots as the server and tools/suyuan-verify, or it is not the algorithm.
 */
interface Vectors {
  eventHashes: string[];
  leafHashes: string[];
  roots: Record<string, string>;
  inclusion: { leafIndex: number; treeSize: number; path: string[] }[];
  treeHead: { treeSize: number; rootHash: string; commitmentRoot: string; streamMapRoot: string; streamCount: number; timestamp: string; publicKeyPem: string; signature: string };
}
const vectors = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../docs/verifiable-history-vectors.json'), 'utf8')) as Vectors;
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('browser inclusion verifier (docs/verifiable-history-vectors.json)', () => {
  it('hashes leaves with the 0x00 prefix exactly as the vectors say', async () => {
    for (const [i, h] of vectors.eventHashes.entries()) expect(toHex(await hashLeaf(bytes(h)))).toBe(vectors.leafHashes[i]);
  });

  it.each(vectors.inclusion.map((v) => [v.leafIndex, v.treeSize, v] as const))('recomputes the root of tree %s/%s from its inclusion path', async (_i, _n, v) => {
    const root = await rootFromInclusion(v.leafIndex, v.treeSize, bytes(vectors.leafHashes[v.leafIndex]!), v.path);
    expect(root && toHex(root)).toBe(vectors.roots[String(v.treeSize)]);
  });

  const head = vectors.treeHead;
  const proof = vectors.inclusion.find((v) => v.treeSize === head.treeSize)!;
  const eventHash = vectors.eventHashes[proof.leafIndex]!;

  it('accepts the vectors proof against the signed tree head, signature included', async () => {
    const r = await verifyInclusion(eventHash, { eventHash, ...proof }, head, head.publicKeyPem);
    expect(r).toEqual({ ok: true, treeSize: 11, rootHash: head.rootHash, signature: 'valid' });
  });

  it('refuses a tampered path, another event, a wrong index, a wrong root and a forged signature', async () => {
    const flipped = [...proof.path];
    flipped[1] = flipped[1]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(await verifyInclusion(eventHash, { eventHash, ...proof, path: flipped }, head)).toMatchObject({ ok: false, reason: 'root-mismatch' });
    const other = vectors.eventHashes[proof.leafIndex + 1]!;
    expect(await verifyInclusion(other, { eventHash: other, ...proof }, head)).toMatchObject({ ok: false, reason: 'root-mismatch' });
    expect(await verifyInclusion(other, { eventHash, ...proof }, head)).toMatchObject({ ok: false, reason: 'hash-mismatch' });
    expect(await verifyInclusion(eventHash, { eventHash, ...proof, leafIndex: proof.leafIndex + 1 }, head)).toMatchObject({ ok: false });
    expect(await verifyInclusion(eventHash, { eventHash, ...proof, path: proof.path.slice(1) }, head)).toMatchObject({ ok: false });
    expect(await verifyInclusion(eventHash, { eventHash, ...proof }, { ...head, rootHash: vectors.roots['8']! })).toMatchObject({ ok: false, reason: 'root-mismatch' });
    expect(await verifyTreeHeadSignature({ ...head, timestamp: '2026-12-01T12:00:00.001Z' }, head.publicKeyPem)).toBe('invalid');
  });
});
