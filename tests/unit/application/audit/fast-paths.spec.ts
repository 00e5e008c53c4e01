import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { proofBundleJson, type ProofBundle } from '../../../../application/audit/proof-bundle';
import { Frontier, hashChildren, hashHexLeaf, hashLeaf, rootOfLeafHashes } from '../../../../application/audit/rfc9162';
import { compareIds, hashStreamHeadLeaf, StreamMap, StreamMapBuilder, streamHeadLeaf, type StreamHead } from '../../../../application/audit/stream-map';

/**
 * The faster paths of issue 18 must give the bytes the slow ones gave (the tree heads already signed, the
 * documented vectors and the Python check depend on them): one-shot hashing, bulk frontier appends, the
 * allocation-free id order and the incremental stream-head map.
 */
describe('issue 18 fast paths are byte-identical to the plain constructions', () => {
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((a) => Buffer.from(a));

  it('hashLeaf, hashHexLeaf and hashChildren are SHA-256 over the RFC 9162 prefixes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), bytes(32), bytes(32), (leaf, a, b) => {
        expect(hashLeaf(Buffer.from(leaf)).equals(sha(Buffer.from([0]), Buffer.from(leaf)))).toBe(true);
        expect(hashHexLeaf(a.toString('hex')).equals(sha(Buffer.from([0]), a))).toBe(true);
        expect(hashChildren(a, b).equals(sha(Buffer.from([1]), a, b))).toBe(true);
      }),
      { numRuns: 300 },
    );
    // A malformed hex hash (a tampered export) hashes as Buffer.from decodes it, as before.
    expect(hashHexLeaf('zz' + 'ab'.repeat(31)).equals(sha(Buffer.from([0]), Buffer.from('zz' + 'ab'.repeat(31), 'hex')))).toBe(true);
  });

  it('Frontier.appendAll gives the frontier, nodes and root of appending one by one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 5 }), (first, batches) => {
        const leaves = [...Array(first + batches.reduce((n, b) => n + b, 0)).keys()].map((i) => hashLeaf(Buffer.from(String(i))));
        let one = Frontier.empty();
        const oneNodes: string[] = [];
        for (const l of leaves) one = one.append(l, (level, index, h) => oneNodes.push(`${level}:${index}:${h.toString('hex')}`));
        let bulk = Frontier.empty();
        const bulkNodes: string[] = [];
        let at = 0;
        for (const n of [first, ...batches]) {
          bulk = bulk.appendAll(leaves.slice(at, at + n), (level, index, h) => bulkNodes.push(`${level}:${index}:${h.toString('hex')}`));
          at += n;
        }
        expect(bulk.size).toBe(one.size);
        expect(bulk.root().equals(one.root())).toBe(true);
        expect(bulk.root().equals(rootOfLeafHashes(leaves))).toBe(true);
        expect(bulkNodes).toEqual(oneNodes);
      }),
      { numRuns: 100 },
    );
  });

  it('hashStreamHeadLeaf is hashLeaf(streamHeadLeaf(head)), long, non-ASCII and malformed heads included', () => {
    const id = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('lot-\ud83d', 'x'.repeat(300), '批次-豇豆-'.repeat(30)));
    const lastHash = fc.oneof(bytes(32).map((b) => b.toString('hex')), fc.constantFrom('zz' + 'ab'.repeat(31), 'ab'.repeat(20), '', 'AB'.repeat(32)));
    fc.assert(
      fc.property(id, fc.integer({ min: 0, max: 2 ** 40 }), lastHash, (streamId, revision, h) => {
        const head = { streamId, revision, lastHash: h };
        expect(hashStreamHeadLeaf(head).equals(hashLeaf(streamHeadLeaf(head)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('compareIds orders stream ids as their UTF-8 bytes, surrogates and prefixes included', () => {
    const id = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('lot-a', 'lot-', 'lot-\uffff', 'lot-\ud83d\ude00', 'lot-\ud83d', 'lot-\ue000'));
    fc.assert(
      fc.property(id, id, (a, b) => Math.sign(compareIds(a, b)) === Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))),
      { numRuns: 1000 },
    );
  });

  it('the incremental stream-head map has the root and proofs of a map built from nothing, seal after seal', () => {
    const builder = new StreamMapBuilder();
    const heads = new Map<string, StreamHead>();
    const hash = (s: string) => createHash('sha256').update(s).digest('hex');
    let n = 0;
    for (const round of [5, 1, 40, 0, 17]) {
      // New streams, and new revisions of some existing ones.
      for (let i = 0; i < round; i++, n++) heads.set(`${['lot', 'transfer', 'entity'][n % 3]}-${(n * 7919) % 1000}`, { streamId: `${['lot', 'transfer', 'entity'][n % 3]}-${(n * 7919) % 1000}`, revision: 0, lastHash: hash(`a${n}`) });
      for (const [k, h] of [...heads].filter((_, i) => i % 4 === round % 4)) heads.set(k, { ...h, revision: h.revision + 1, lastHash: hash(`${k}${h.revision + 1}`) });
      const incremental = builder.build(heads);
      const scratch = StreamMap.of(heads.values());
      expect(incremental.size).toBe(scratch.size);
      expect(incremental.root().equals(scratch.root())).toBe(true);
      const some = [...heads.keys()][round % Math.max(1, heads.size)];
      if (some) expect(incremental.prove(some)).toEqual(scratch.prove(some));
    }
    // Seals where the previous map's nodes are kept: streams added after all others, one head moved, nothing moved.
    for (const round of [3, 1, 0, 9]) {
      for (let i = 0; i < round; i++, n++) heads.set(`zz-${n}`, { streamId: `zz-${n}`, revision: 0, lastHash: hash(`z${n}`) });
      const [k, h] = [...heads][n % heads.size]!;
      if (round === 1) heads.set(k, { ...h, revision: h.revision + 1, lastHash: hash(`${k}!${n}`) });
      const incremental = builder.build(heads);
      const scratch = StreamMap.of(heads.values());
      expect(incremental.root().equals(scratch.root())).toBe(true);
      for (const id of [k, `zz-${n - 1}`, [...heads.keys()][0]!]) expect(incremental.prove(id)).toEqual(scratch.prove(id));
    }
  });

  it('proofBundleJson writes exactly JSON.stringify(bundle), from a cached streams part too', () => {
    const bundle = {
      format: 'suyuan-proof-bundle/1',
      traceCode: 'L1',
      forward: false,
      generatedAt: '2026-12-01T00:00:00.000Z',
      publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCo=\n-----END PUBLIC KEY-----\n',
      treeHead: { treeSize: 3, rootHash: 'ab', commitmentRoot: 'cd', streamMapRoot: 'ef', streamCount: 1, timestamp: 't', keyId: 'k', signature: 's', lastPosition: 3 },
      cosignatures: [],
      streams: Object.freeze([{ streamId: 'lot-L1', view: 'full', headProof: null, events: [{ leafIndex: 0, path: ['00'], event: { data: { 名: '芒果"\u2028' } } }] }]),
    } as unknown as ProofBundle;
    expect(proofBundleJson(bundle)).toBe(JSON.stringify(bundle));
    const later = { ...bundle, generatedAt: '2026-12-02T00:00:00.000Z', cosignatures: [{ treeSize: 3 }] } as unknown as ProofBundle;
    expect(proofBundleJson(later)).toBe(JSON.stringify(later)); // the cached streams' JSON with a new header
  });
});
