import { createHash } from 'node:crypto';
import { checkSparseHeadProof, EMPTY_SUBTREE, isPageRoot, mapKey, proveFromStore, refOf, SparseMap, storedPage, flatPage, pageOfFlat, type CreatedNode, type StoredNode } from '../../../../application/audit/sparse-map';
import { hashChildren, hashLeaf } from '../../../../application/audit/rfc9162';
import { streamHeadLeaf, type StreamHead } from '../../../../application/audit/stream-map';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const js = require('../../../../tools/suyuan-verify/verify.js');

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const head = (streamId: string, revision: number): StreamHead => ({ streamId, revision, lastHash: hash(`${streamId}@${revision}`) });

/** The map's definition read literally (docs/verifiable-history.md §Stream-head map, format 2), with no sharing. */
function reference(heads: StreamHead[], depth = 0): Buffer {
  if (heads.length === 0) return EMPTY_SUBTREE;
  if (heads.length === 1) return hashLeaf(streamHeadLeaf(heads[0]!));
  const bitOf = (h: StreamHead) => (mapKey(h.streamId)[depth >> 3]! >> (7 - (depth & 7))) & 1;
  return hashChildren(reference(heads.filter((h) => bitOf(h) === 0), depth + 1), reference(heads.filter((h) => bitOf(h) === 1), depth + 1));
}

describe('stream-head map, format 2 (sparse)', () => {
  it('has the root of its definition, built at once or by increments that move and add heads', () => {
    const heads = new Map<string, StreamHead>();
    let map = SparseMap.empty();
    expect(map.root().equals(EMPTY_SUBTREE)).toBe(true);
    for (let round = 0; round < 6; round++) {
      const moved: StreamHead[] = [];
      for (let i = 0; i < 40; i++) {
        const id = `lot-${(round * 37 + i * 11) % 150}`;
        const h = head(id, (heads.get(id)?.revision ?? -1) + 1);
        heads.set(id, h);
        moved.push(h);
      }
      map = map.with(moved).map;
      expect(map.size).toBe(heads.size);
      expect(map.root().equals(reference([...heads.values()]))).toBe(true);
      expect(SparseMap.of(heads.values()).root().equals(map.root())).toBe(true);
    }
    expect(SparseMap.of([head('only', 3)]).root().equals(hashLeaf(streamHeadLeaf(head('only', 3))))).toBe(true);
  });

  it('proves every head; the shipped verifier agrees; a changed revision, hash, id or path does not prove', () => {
    const heads = Array.from({ length: 300 }, (_, i) => head(i % 3 ? `lot-${i}` : `transfer-${i}`, i % 7));
    const map = SparseMap.of(heads);
    const root = map.root();
    for (const h of heads) {
      const proof = map.prove(h.streamId)!;
      expect(proof.entry).toMatchObject(h);
      expect(checkSparseHeadProof(proof, root)).toBeNull();
      expect(js.sparseMapRoot(proof.entry).equals(root)).toBe(true);
    }
    const proof = map.prove('lot-1')!;
    expect(checkSparseHeadProof({ ...proof, entry: { ...proof.entry, revision: proof.entry.revision + 1 } }, root)).toBe('bad-map-path');
    expect(checkSparseHeadProof({ ...proof, entry: { ...proof.entry, lastHash: hash('other') } }, root)).toBe('bad-map-path');
    expect(checkSparseHeadProof({ ...proof, entry: { ...proof.entry, streamId: 'lot-2' } }, root)).toBe('bad-map-path');
    expect(checkSparseHeadProof({ ...proof, entry: { ...proof.entry, path: proof.entry.path.slice(1) } }, root)).toBe('bad-map-path');
    expect(checkSparseHeadProof({ ...proof, entry: { ...proof.entry, path: [...proof.entry.path, '00'.repeat(32)] } }, root)).toBe('bad-map-path');
    expect(map.prove('lot-unknown')).toBeNull();
  });

  it('proves from the stored nodes exactly what the map in memory proves (a restarted process)', async () => {
    const first = Array.from({ length: 700 }, (_, i) => head(`lot-${i}`, 0));
    const store = new Map<string, StoredNode>();
    const keep = (created: CreatedNode[]) =>
      created.filter(isPageRoot).forEach(({ node }) => {
        const stored = pageOfFlat(JSON.parse(JSON.stringify(flatPage(node))));
        expect(stored).toEqual(storedPage(node)); // the flat form decodes to the page
        store.set(node.hash.toString('hex'), stored);
      });
    const v1 = SparseMap.empty().with(first);
    keep(v1.created);
    const v2 = v1.map.with([head('lot-3', 1), head('lot-200', 0), head('transfer-x', 4)]);
    keep(v2.created);
    // Only the moved paths were hashed again: far fewer nodes than a rebuild, and a page per 4 levels of them.
    expect(v1.created.length).toBeGreaterThanOrEqual(699); // 699 branching nodes, and those above a shared prefix
    expect(v2.created.length).toBeLessThan(45);
    expect(store.size).toBeLessThan(v1.created.length / 3);
    const ids = ['lot-3', 'lot-200', 'transfer-x', 'lot-77', 'lot-missing'];
    let reads = 0;
    const getNodes = async (wanted: string[]) => {
      reads++;
      return new Map(wanted.filter((w) => store.has(w)).map((w) => [w, store.get(w)!]));
    };
    for (const version of [v1.map, v2.map]) {
      const fromStore = await proveFromStore(refOf(version.rootNode), ids, getNodes);
      expect(fromStore).toEqual(ids.map((id) => version.prove(id)));
    }
    expect(reads).toBeLessThan(12);
    store.delete([...store.keys()][0]!);
    await expect(proveFromStore(refOf(v2.map.rootNode), first.map((h) => h.streamId), getNodes)).rejects.toThrow(/missing/);
  });
});
