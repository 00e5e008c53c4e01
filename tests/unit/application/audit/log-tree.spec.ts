import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogTree } from '../../../../application/audit/log-tree';
import { inclusionProof as legacyInclusion, merkleRoot } from '../../../../application/audit/merkle';
import {
  consistencyPath,
  Frontier,
  hashLeaf,
  inclusionPath,
  rootOfLeafHashes,
  verifyConsistencyPath,
  verifyInclusionPath,
} from '../../../../application/audit/rfc9162';
import { StreamMap, checkStreamHeadProof, type StreamHead, type StreamHeadProof } from '../../../../application/audit/stream-map';
import { CHECKPOINT_STREAM } from '../../../../application/audit/checkpoints';
import { signTreeHead, TREE_HEAD_EVENT } from '../../../../application/audit/tree-head';
import { checkSparseHeadProof, SPARSE_MAP_FORMAT, SparseMap, type SparseHeadProof } from '../../../../application/audit/sparse-map';
import { EXPORT_FORMAT, verifyExport, type LedgerExport } from '../../../../application/audit/export-verifier';
import { sealTreeHead } from '../../../../application/audit/tree-heads';
import { ed25519Signer, generateEd25519PrivateKeyPem } from '../../../../infrastructure/system/ed25519-signer';
import { Ledger } from '../../../../application/ledger/ledger';
import type { EventStore } from '../../../../application/ports/event-store';
import type { ReadDoc } from '../../../../application/ports/read-store';
import { computeEventHash, GENESIS_HASH } from '../../../../application/ledger/event-hash';
import { SYSTEM_ACTOR } from '../../../../domain/shared/actor';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';

const hashes = (n: number) => Array.from({ length: n }, (_, i) => createHash('sha256').update(`event ${i}`).digest('hex'));
const leavesOf = (hs: string[]) => hs.map((h) => hashLeaf(Buffer.from(h, 'hex')));
const direct = (leaves: Buffer[]) => (a: number, b: number) => rootOfLeafHashes(leaves, a, b);

/** Appends `n` LotNoted events spread over `streams` lot streams, keeping each stream's head for the next. */
function lotWriter(ledger: Ledger, prefix: string, streams: number, commandPrefix: string) {
  const heads = new Map<string, { revision: number; lastHash: string }>();
  const write = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const streamId = `${prefix}${i % streams}`;
      const head = heads.get(streamId);
      const res = await ledger.commit(
        [{ stream: { streamId, revision: head ? head.revision : 'no_stream', lastHash: head ? head.lastHash : GENESIS_HASH }, events: [{ type: 'LotNoted', data: { i } }] }],
        { commandId: `${commandPrefix}-${streamId}-${head?.revision ?? -1}`, actor: SYSTEM_ACTOR },
      );
      heads.set(streamId, { revision: res.events[0]!.revision, lastHash: res.events[0]!.hash });
    }
  };
  return { heads, write };
}

describe('RFC 9162 tree', () => {
  it('has the same roots and audit paths as the per-range tree of the old checkpoints', () => {
    for (const n of [1, 2, 3, 7, 8, 9, 31, 64, 100]) {
      const hs = hashes(n);
      const leaves = leavesOf(hs);
      expect(rootOfLeafHashes(leaves).toString('hex')).toBe(merkleRoot(hs));
      for (const i of [0, Math.floor(n / 2), n - 1]) expect(inclusionPath(i, n, direct(leaves)).map((b) => b.toString('hex'))).toEqual(legacyInclusion(hs, i));
    }
  });

  it('verifies every inclusion and consistency proof of small trees, and refuses a wrong root or a cut path', () => {
    const leaves = leavesOf(hashes(40));
    for (let n = 1; n <= 40; n++) {
      const root = rootOfLeafHashes(leaves, 0, n);
      for (let i = 0; i < n; i++) {
        const path = inclusionPath(i, n, direct(leaves));
        expect(verifyInclusionPath(i, n, leaves[i]!, path, root)).toBe(true);
        expect(verifyInclusionPath(i, n, leaves[(i + 1) % 40]!, path, root)).toBe(false);
        if (path.length) expect(verifyInclusionPath(i, n, leaves[i]!, path.slice(1), root)).toBe(false);
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyPath(m, n, direct(leaves));
        const first = rootOfLeafHashes(leaves, 0, m);
        expect(verifyConsistencyPath(m, n, first, root, proof)).toBe(true);
        if (m < n) expect(verifyConsistencyPath(m, n, rootOfLeafHashes(leaves, 1, m + 1), root, proof)).toBe(false);
        expect(proof.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)) + 1);
      }
    }
  });

  it('the frontier gives the same root at every size as recomputing', () => {
    const leaves = leavesOf(hashes(70));
    let f = Frontier.empty();
    for (let n = 1; n <= 70; n++) {
      f = f.append(leaves[n - 1]!);
      expect(f.root().equals(rootOfLeafHashes(leaves, 0, n))).toBe(true);
      expect(Frontier.of(n, f.edge()).root().equals(f.root())).toBe(true);
    }
  });
});

describe('stream-head map', () => {
  it('proves one head with its neighbours, and refuses a proof with a neighbour left out', () => {
    const map = StreamMap.of(['lot-b', 'lot-a', 'transfer-x', 'lot-c', 'entity-1'].map((streamId, i) => ({ streamId, revision: i, lastHash: hashes(5)[i]! })));
    const root = map.root();
    for (const e of map.entries()) expect(checkStreamHeadProof(map.prove(e.streamId)!, root)).toBeNull();
    const proof = map.prove('lot-b')!;
    expect(proof.entry.revision).toBe(0);
    expect(checkStreamHeadProof({ ...proof, left: null }, root)).toBe('not-at-edge');
    expect(checkStreamHeadProof({ ...proof, entry: { ...proof.entry, revision: 7 } }, root)).toBe('bad-map-path');
  });
});

describe('LogTree over the read store', () => {
  it('given a tree whose stored chunk ends before the tree itself (its last leaves not written yet, or cut short by a kill), when leaves past its end are asked for, then they are answered as absent instead of looked up forever', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const { write } = lotWriter(new Ledger(store, systemClock, systemIds), 'lot-G', 3, 'g');
    try {
      const seed = Buffer.alloc(32, 9);
      await write(40);
      // The chunk document as this tree reads it back lacks its last five leaves (its write not landed yet, or
      // cut short by a kill on a store without transactions), while the tree itself is at 40.
      const short = (doc: ReadDoc): ReadDoc => {
        const kept = (doc.positions as number[]).length - 5;
        const out: ReadDoc = { ...doc };
        for (const [k, v] of Object.entries(doc)) if (Array.isArray(v) && v.length === kept + 5) out[k] = v.slice(0, kept);
        return out;
      };
      const lagging = new Proxy(reads, {
        get(target, name, receiver) {
          const real = Reflect.get(target, name, receiver) as unknown;
          if ((name !== 'find' && name !== 'getMany') || typeof real !== 'function') return typeof real === 'function' ? real.bind(target) : real;
          return async (collection: string, ...rest: unknown[]) => {
            // A turn of the event loop per read, as a server's would be: a lookup that never ends then meets
            // jest's timeout instead of starving it.
            await new Promise((resolve) => setImmediate(resolve));
            const docs = (await (real as (...a: unknown[]) => Promise<ReadDoc[]>).call(target, collection, ...rest)) as ReadDoc[];
            return collection === 'merkle_chunks' ? docs.map(short) : docs;
          };
        },
      });
      const all = await store.readAll({ afterPosition: 0, maxCount: 100 });
      const asked = [all[10]!.position, all[38]!.position, all[39]!.position];
      const tree = new LogTree(store, lagging, seed);
      expect((await tree.catchUp()).size).toBe(40);
      const refs = await tree.leavesAt(asked);
      expect(refs.get(all[10]!.position)?.index).toBe(10);
      expect([refs.has(all[38]!.position), refs.has(all[39]!.position)]).toEqual([false, false]);
    } finally {
      await store.close();
      await reads.close();
    }
  });

  it('catches up incrementally (chunks and stored nodes) to the roots and proofs of a recomputed tree, across a reload', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const { heads, write } = lotWriter(new Ledger(store, systemClock, systemIds), 'lot-T', 7, 'c');
    try {
      const seed = Buffer.alloc(32, 7);
      let tree = new LogTree(store, reads, seed);
      await write(300);
      expect((await tree.catchUp()).size).toBe(300);
      const firstRoot = await tree.root('events', 300);
      await write(333);
      expect((await tree.catchUp()).size).toBe(633);
      tree = new LogTree(store, reads, seed); // a restart: everything from the store
      const all = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      const leaves = leavesOf(all.map((e) => e.hash));
      expect((await tree.root('events', 633)).equals(rootOfLeafHashes(leaves))).toBe(true);
      expect((await tree.root('events', 300)).equals(firstRoot)).toBe(true);
      const [p1, p2] = await tree.inclusionPaths('events', [{ index: 5, size: 633 }, { index: 600, size: 633 }]);
      expect(p1).toEqual(inclusionPath(5, 633, direct(leaves)));
      expect(p2).toEqual(inclusionPath(600, 633, direct(leaves)));
      expect(await tree.consistencyPath('events', 300, 633)).toEqual(consistencyPath(300, 633, direct(leaves)));
      const refs = await tree.leavesAt([all[600]!.position]);
      expect(refs.get(all[600]!.position)?.index).toBe(600);
      expect((await tree.currentMap()).head('lot-T3')?.revision).toBe(heads.get('lot-T3')!.revision);
      expect((await tree.mapAt(300)).head('lot-T3')?.revision).toBe(42);
      await write(3);
      expect((await tree.catchUp()).size).toBe(636);
      expect((await tree.root('events', 636)).equals(rootOfLeafHashes(leavesOf((await store.readAll({ afterPosition: 0, maxCount: 10_000 })).map((e) => e.hash))))).toBe(true);
    } finally {
      await store.close();
      await reads.close();
    }
  });

  it('keeps the in-chunk nodes of 8 to 128 leaves in the chunk documents and proves from them after a restart; chunks without them still prove', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const { write } = lotWriter(new Ledger(store, systemClock, systemIds), 'lot-U', 9, 'u');
    try {
      const seed = Buffer.alloc(32, 5);
      await write(200); // a partial first chunk, then grown across two catch-ups into a second one
      await new LogTree(store, reads, seed).catchUp();
      await write(130);
      await new LogTree(store, reads, seed).catchUp();
      const all = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      const leaves = leavesOf(all.map((e) => e.hash));
      const [first, second] = await reads.find('merkle_chunks', {}, { sort: { chunk: 1 } });
      const upper = first!.upper as Record<string, string[]>;
      // Level 3 (8 leaves) to 7 (128 leaves): every complete node of the full first chunk, in order.
      for (let level = 3; level < 8; level++) {
        const expected = Array.from({ length: 256 >> level }, (_, k) => rootOfLeafHashes(leaves, k << level, (k + 1) << level).toString('hex')).join('');
        expect(upper.e![level - 3]).toBe(expected);
      }
      // The growing second chunk holds the nodes complete so far (74 leaves: nine of 8, one of 64).
      expect(((second!.upper as Record<string, string[]>).e![0]!.length) / 64).toBe(9);
      expect(((second!.upper as Record<string, string[]>).e![3]!.length) / 64).toBe(1);
      const requests = [0, 37, 255, 256, 300, 329].map((index) => ({ index, size: 330 }));
      const expected = requests.map((r) => inclusionPath(r.index, 330, direct(leaves)));
      expect(await new LogTree(store, reads, seed).inclusionPaths('events', requests)).toEqual(expected);
      // A restarted tree takes those nodes as stored: a wrong one is the level-3 sibling in the path of leaf 9.
      const wrong = 'ff'.repeat(32) + upper.e![0]!.slice(64);
      // A put replaces a lower _v only; the tree's checkpoint stays where it is.
      const rewrite = async (doc: ReadDoc) => reads.applyChanges('merkle-log', [{ op: 'put', collection: 'merkle_chunks', doc: { ...doc, _v: doc._v + 1 } }], (await reads.getCheckpoint('merkle-log'))!);
      await rewrite({ ...first!, upper: { ...upper, e: [wrong, ...upper.e!.slice(1)] } });
      expect((await new LogTree(store, reads, seed).inclusionPaths('events', [{ index: 9, size: 330 }]))[0]![3]!.toString('hex')).toBe('ff'.repeat(32));
      // Chunks of a tree written before these nodes were kept (no `upper`) prove from their leaves.
      for (const doc of [first!, second!]) {
        const { upper: _u, ...older } = doc;
        await rewrite(older as ReadDoc);
      }
      const oldTree = new LogTree(store, reads, seed);
      expect(await oldTree.inclusionPaths('events', requests)).toEqual(expected);
      // …and such a growing chunk keeps growing without them, to the same roots.
      await write(100);
      expect((await oldTree.catchUp()).size).toBe(430);
      const grown = leavesOf((await store.readAll({ afterPosition: 0, maxCount: 10_000 })).map((e) => e.hash));
      expect(await new LogTree(store, reads, seed).inclusionPaths('events', [{ index: 301, size: 430 }])).toEqual([inclusionPath(301, 430, direct(grown))]);
      expect((await new LogTree(store, reads, seed).root('events', 430)).equals(rootOfLeafHashes(grown))).toBe(true);
    } finally {
      await store.close();
      await reads.close();
    }
  });

  it('after a kill inside a write on a store without transactions (documents ahead of the checkpoint), reloads to the checkpoint and catches up to the recomputed tree', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const { heads, write } = lotWriter(new Ledger(store, systemClock, systemIds), 'lot-K', 5, 'k');
    // MongoDB's order in applyChanges: existing documents replaced first (the growing chunk, the stream heads),
    // new ones inserted next (the new nodes), the checkpoint last. The process dies after the replacements.
    const killedBeforeCheckpoint = new Proxy(reads, {
      get(target, prop, receiver) {
        if (prop !== 'applyChanges') return Reflect.get(target, prop, receiver);
        return async (name: string, changes: Parameters<SqliteReadStore['applyChanges']>[1]) => {
          const replacements = changes.filter((c) => c.collection !== 'merkle_nodes');
          await target.applyChanges(name, replacements, (await target.getCheckpoint(name)) ?? 0);
          throw new Error('kill -9');
        };
      },
    });
    try {
      const seed = Buffer.alloc(32, 9);
      await write(300);
      expect((await new LogTree(store, reads, seed).catchUp()).size).toBe(300);
      await write(333); // crosses into a new chunk: a partial chunk grown and a new one written ahead
      await expect(new LogTree(store, killedBeforeCheckpoint, seed).catchUp()).rejects.toThrow('kill -9');
      const restarted = new LogTree(store, reads, seed);
      expect((await restarted.catchUp()).size).toBe(633);
      const all = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      const leaves = leavesOf(all.map((e) => e.hash));
      expect((await restarted.root('events', 633)).equals(rootOfLeafHashes(leaves))).toBe(true);
      expect(await restarted.consistencyPath('events', 300, 633)).toEqual(consistencyPath(300, 633, direct(leaves)));
      expect((await restarted.currentMap()).head('lot-K3')?.revision).toBe(heads.get('lot-K3')!.revision);
      await write(4);
      expect((await restarted.catchUp()).size).toBe(637);
      expect((await restarted.root('events', 637)).equals(rootOfLeafHashes(leavesOf((await store.readAll({ afterPosition: 0, maxCount: 10_000 })).map((e) => e.hash))))).toBe(true);
    } finally {
      await store.close();
      await reads.close();
    }
  });

  it('takes observed appends from memory (no read back) to the same roots, maps and proofs as reading the log; another writer stops it until a catch-up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-logtree-'));
    const file = path.join(dir, 'events.sqlite');
    const store = new SqliteEventStore(file);
    const other = new SqliteEventStore(file); // a second writer on the same file (another process, say)
    const reads = new SqliteReadStore(':memory:');
    const referenceReads = new SqliteReadStore(':memory:');
    let readBack = 0;
    // The observing tree's store: the same store, counting the events it still has to read back.
    const counting: EventStore = Object.create(store, {
      readAll: { value: async (o: Parameters<EventStore['readAll']>[0]) => { const events = await store.readAll(o); readBack += events.length; return events; } },
    });
    const heads = new Map<string, { revision: number; lastHash: string }>();
    let commands = 0;
    const write = async (on: EventStore, streams: number, perStream: number) => {
      const ledger = new Ledger(on, systemClock, systemIds);
      const writes = [];
      for (let i = 0; i < streams; i++) {
        const streamId = i % 3 === 0 ? `transfer-T${i}` : `lot-L${i}`;
        // Another store's writes are not seen by this Ledger's stream cache: heads come from the store itself.
        const [last] = await on.readStream(streamId, { direction: 'backwards', maxCount: 1 });
        writes.push({ stream: { streamId, revision: last ? last.revision : ('no_stream' as const), lastHash: last ? last.hash : GENESIS_HASH }, events: Array.from({ length: perStream }, (_, k) => ({ type: 'LotNoted', data: { i, k, note: `记录 ${k}` } })) });
      }
      const res = await ledger.commit(writes, { commandId: `c-${++commands}`, actor: SYSTEM_ACTOR });
      for (const e of res.events) heads.set(e.streamId, { revision: e.revision, lastHash: e.hash });
    };
    const seed = Buffer.alloc(32, 7);
    try {
      const tree = new LogTree(counting, reads, seed, { observeAppends: true });
      await write(store, 5, 2);
      expect((await tree.catchUp()).size).toBe(10); // observed before the tree was loaded: staged by the catch-up
      readBack = 0;
      await write(store, 40, 3);
      await write(store, 310, 7); // 2,170 events: staged, then written in the background
      await write(store, 7, 1);
      expect((await tree.catchUp()).size).toBe(10 + 120 + 2_170 + 7);
      expect(readBack).toBe(0);
      expect(tree.appendTimeWork.events).toBe(2_307);
      const compare = async (size: number) => {
        const reference = new LogTree(store, referenceReads, seed); // reads the log
        expect((await reference.catchUp()).size).toBe(size);
        for (const t of ['events', 'commitments'] as const) {
          expect((await tree.root(t, size)).equals(await reference.root(t, size))).toBe(true);
          expect(await tree.inclusionPaths(t, [{ index: 3, size }, { index: size - 1, size }])).toEqual(await reference.inclusionPaths(t, [{ index: 3, size }, { index: size - 1, size }]));
        }
        expect((await tree.currentMap()).root().equals((await reference.currentMap()).root())).toBe(true);
        // The map as of the first catch-up's size (10), from the history the staged writes kept.
        const first = new Map((await store.readAll({ afterPosition: 0, maxCount: 10 })).map((e) => [e.streamId, { streamId: e.streamId, revision: e.revision, lastHash: e.hash }]));
        expect((await tree.mapAt(10)).root().equals(StreamMap.of(first.values()).root())).toBe(true);
      };
      await compare(2_307);
      // Another writer appends: the next observed append does not follow on, so it is read from the log.
      await write(other, 2, 1);
      await write(store, 3, 2);
      readBack = 0;
      expect((await tree.catchUp()).size).toBe(2_307 + 2 + 6);
      expect(readBack).toBe(8);
      await compare(2_315);
      // After that catch-up, appends are staged again.
      readBack = 0;
      await write(store, 4, 1);
      expect((await tree.catchUp()).size).toBe(2_319);
      expect(readBack).toBe(0);
      await compare(2_319);
    } finally {
      await other.close();
      await store.close();
      await reads.close();
      await referenceReads.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LogTree: observed appends before the first load', () => {
  it('given a tree that is never loaded (no seal), when thousands of events are appended, then it does not keep them; its first catch-up reads them from the log, and staging resumes after it', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    let readBack = 0;
    const counting: EventStore = Object.create(store, {
      readAll: { value: async (o: Parameters<EventStore['readAll']>[0]) => { const events = await store.readAll(o); readBack += events.length; return events; } },
    });
    const ledger = new Ledger(store, systemClock, systemIds);
    let commands = 0;
    const write = async (streams: number) => {
      await ledger.commit(
        Array.from({ length: streams }, (_, i) => ({ stream: ledger.fresh(`lot-N${commands}-${i}`), events: [{ type: 'LotNoted', data: { i, note: '未封存' } }] })),
        { commandId: `n-${++commands}`, actor: SYSTEM_ACTOR },
      );
    };
    try {
      const tree = new LogTree(counting, reads, Buffer.alloc(32, 5), { observeAppends: true });
      const queued = () => (tree as unknown as { queuedEvents: number }).queuedEvents; // private: what it holds
      for (let k = 0; k < 12; k++) await write(1_000);
      // 12,000 events appended, none staged: the queue stopped at its bound instead of holding them all.
      expect(queued()).toBeLessThanOrEqual(8_000);
      expect(tree.appendTimeWork.events).toBe(0);
      expect((await tree.catchUp()).size).toBe(12_000);
      expect(readBack).toBe(12_000);
      // Loaded now: appends are staged from memory again, nothing read back.
      readBack = 0;
      for (let k = 0; k < 3; k++) await write(1_000);
      expect((await tree.catchUp()).size).toBe(15_000);
      expect(readBack).toBe(0);
      expect(tree.appendTimeWork.events).toBe(3_000);
      const reference = new LogTree(store, new SqliteReadStore(':memory:'), Buffer.alloc(32, 5));
      expect((await reference.catchUp()).size).toBe(15_000);
      expect((await tree.root('events', 15_000)).equals(await reference.root('events', 15_000))).toBe(true);
    } finally {
      await store.close();
      await reads.close();
    }
  });
});

describe('LogTree: the stream-head map of format 2 (sparse, stored)', () => {
  /** Every stream's head after the first `size` events of the log. */
  const headsAt = (events: { streamId: string; revision: number; hash: string }[], size: number) => {
    const out = new Map<string, StreamHead>();
    for (const e of events.slice(0, size)) out.set(e.streamId, { streamId: e.streamId, revision: e.revision, lastHash: e.hash });
    return out;
  };

  it('signs the root of the heads at each tree head, and proves them from memory, from the stored nodes after a restart, and from the history when the store lost them', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    const { write } = lotWriter(ledger, 'lot-S', 9, 's');
    const seed = Buffer.alloc(32, 5);
    let minute = 0;
    const clock = () => new Date(Date.UTC(2026, 11, 1, 0, ++minute));
    try {
      const tree = new LogTree(store, reads, seed, { observeAppends: true });
      await write(120);
      const first = (await sealTreeHead(ledger, signer, tree, clock))!;
      await write(77);
      // Streams appear after the first head, including one that only exists later.
      await ledger.commit([{ stream: { streamId: 'transfer-new', revision: 'no_stream', lastHash: GENESIS_HASH }, events: [{ type: 'TransferNoted', data: {} }] }], { commandId: 's-new', actor: SYSTEM_ACTOR });
      const second = (await sealTreeHead(ledger, signer, tree, clock))!;
      const log = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      for (const h of [first, second]) {
        expect(h.streamMapFormat).toBe(SPARSE_MAP_FORMAT);
        const expected = SparseMap.of(headsAt(log, h.treeSize).values());
        expect(h.streamMapRoot).toBe(expected.root().toString('hex'));
        expect(h.streamCount).toBe(expected.size);
      }
      const ids = ['lot-S0', 'lot-S4', 'transfer-new', 'ledger-checkpoints', 'lot-none'];
      const fromSealer = await tree.proveHeads(second, ids);
      expect(fromSealer[2]).not.toBeNull();
      expect(fromSealer[4]).toBeNull();
      for (const p of fromSealer) if (p) expect(checkSparseHeadProof(p as SparseHeadProof, Buffer.from(second.streamMapRoot, 'hex'))).toBeNull();
      // A restarted process: no heads read, the proofs from the stored nodes, for the latest and an older head.
      const restarted = new LogTree(store, reads, seed);
      expect(await restarted.proveHeads(second, ids)).toEqual(fromSealer);
      const older = await restarted.proveHeads(first, ids);
      expect(older[2]).toBeNull(); // not in the map yet at the first head
      expect((older[0] as SparseHeadProof).entry.revision).toBe(headsAt(log, first.treeSize).get('lot-S0')!.revision);
      expect(older).toEqual(await tree.proveHeads(first, ids));
      // A read store that lost the map (rebuilt after a restore): the same proofs from the stream history —
      // also when only the pages went and the roots stayed.
      await reads.dropCollection('merkle_map_nodes');
      expect(await new LogTree(store, reads, seed).proveHeads(second, ids)).toEqual(fromSealer);
      await reads.dropCollection('merkle_map_roots');
      expect(await new LogTree(store, reads, seed).proveHeads(second, ids)).toEqual(fromSealer);
      // The whole log verifies with its format-2 tree heads; a head relabelled format 1 does not.
      const exported = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      const exp = { format: EXPORT_FORMAT, exportedAt: 'now', publicKeyPem: signer.publicKeyPem, keyId: signer.keyId, events: exported, checkpoints: [] } as LedgerExport;
      expect(verifyExport(exp).ok).toBe(true);
      const relabelled = exported.map((e) => (e.data as { treeSize?: number }).treeSize === second.treeSize && e.type === 'TreeHeadSealed' ? { ...e, data: { ...e.data, streamMapFormat: undefined } } : e);
      const verdict = verifyExport({ ...exp, events: relabelled.map((e) => ({ ...e, hash: computeEventHash(e) })) });
      expect(verdict.ok).toBe(false);
      expect(verdict.firstBad?.reason).toBe('tree-head-mismatch');
      expect(verdict.firstBad?.detail).toMatch(/stream heads differ/);
    } finally {
      await store.close();
      await reads.close();
    }
  });

  it('a ledger whose first tree heads have a format-1 map verifies whole, and proves heads at each tree head in its format', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    const { write } = lotWriter(ledger, 'lot-O', 6, 'o');
    const seed = Buffer.alloc(32, 4);
    try {
      const tree = new LogTree(store, reads, seed, { observeAppends: true });
      await write(60);
      // Sealed the way tree heads were before format 2: the sorted map's root, no label.
      const { size, lastPosition } = await tree.catchUp();
      const map1 = await tree.currentMap();
      const hex = (b: Buffer) => b.toString('hex');
      const body = { treeSize: size, rootHash: hex(await tree.root('events', size)), commitmentRoot: hex(await tree.root('commitments', size)), streamMapRoot: hex(map1.root()), streamCount: map1.size, timestamp: '2026-12-01T00:01:00.000Z' };
      const old = signTreeHead(body, signer, lastPosition);
      await ledger.commit([{ stream: { streamId: CHECKPOINT_STREAM, revision: 'no_stream', lastHash: GENESIS_HASH }, events: [{ type: TREE_HEAD_EVENT, data: { ...old } }] }], { commandId: 'o-old-head', actor: SYSTEM_ACTOR });
      await write(40);
      const fresh = (await sealTreeHead(ledger, signer, tree, () => new Date('2026-12-01T00:02:00.000Z')))!;
      expect(old.streamMapFormat).toBeUndefined();
      expect(fresh.streamMapFormat).toBe(SPARSE_MAP_FORMAT);
      const events = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      const verdict = verifyExport({ format: EXPORT_FORMAT, exportedAt: 'now', publicKeyPem: signer.publicKeyPem, keyId: signer.keyId, events, checkpoints: [] });
      expect(verdict).toMatchObject({ ok: true, checkpointsChecked: 2 });
      for (const restarted of [tree, new LogTree(store, reads, seed)]) {
        const [p1] = await restarted.proveHeads(old, ['lot-O2']);
        expect(checkStreamHeadProof(p1 as StreamHeadProof, Buffer.from(old.streamMapRoot, 'hex'))).toBeNull();
        const [p2] = await restarted.proveHeads(fresh, ['lot-O2']);
        expect(checkSparseHeadProof(p2 as SparseHeadProof, Buffer.from(fresh.streamMapRoot, 'hex'))).toBeNull();
        expect((p2 as SparseHeadProof).entry.revision).toBeGreaterThan((p1 as StreamHeadProof).entry.revision);
      }
    } finally {
      await store.close();
      await reads.close();
    }
  });

  it('keeps the map up to date in the background as staged batches are written (once enough streams moved), so a seal stores only what moved since; same roots and stored proofs', async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    const seed = Buffer.alloc(32, 8);
    let minute = 0;
    const clock = () => new Date(Date.UTC(2026, 11, 1, 0, ++minute));
    const heads = new Map<string, { revision: number; lastHash: string }>();
    let commands = 0;
    /** `n` commands of 200 streams (one event each), streams `lot-B<k>` for k from `from`, wrapping at 1,500. */
    const write = async (n: number, from: number) => {
      for (let c = 0; c < n; c++) {
        const writes = Array.from({ length: 200 }, (_, i) => {
          const streamId = `lot-B${(from + c * 200 + i) % 1_500}`;
          const h = heads.get(streamId);
          return { stream: { streamId, revision: h ? h.revision : ('no_stream' as const), lastHash: h ? h.lastHash : GENESIS_HASH }, events: [{ type: 'LotNoted', data: { c, i } }] };
        });
        const res = await ledger.commit(writes, { commandId: `b-${++commands}`, actor: SYSTEM_ACTOR });
        for (const e of res.events) heads.set(e.streamId, { revision: e.revision, lastHash: e.hash });
      }
    };
    const pages = async () => (await reads.find('merkle_map_nodes', {})).length;
    try {
      const tree = new LogTree(store, reads, seed, { observeAppends: true, backgroundMapStreams: 500 });
      await write(3, 0);
      const first = (await sealTreeHead(ledger, signer, tree, clock))!;
      const pagesAtFirst = await pages();
      // More than two staged batches (2,000 events each) of moved and new streams; the catch-up waits for the
      // background writes, and leaves the heads of the batch it writes itself to the seal.
      await write(23, 600);
      await tree.catchUp();
      expect(await pages()).toBeGreaterThan(pagesAtFirst);
      const second = (await sealTreeHead(ledger, signer, tree, clock))!;
      const log = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
      for (const h of [first, second]) expect(h.streamMapRoot).toBe(SparseMap.of(headsAt(log, h.treeSize).values()).root().toString('hex'));
      const ids = [...heads.keys()];
      const fromSealer = await tree.proveHeads(second, ids);
      for (const p of fromSealer) expect(checkSparseHeadProof(p as SparseHeadProof, Buffer.from(second.streamMapRoot, 'hex'))).toBeNull();
      expect(await new LogTree(store, reads, seed).proveHeads(second, ids)).toEqual(fromSealer);
      expect(await new LogTree(store, reads, seed).proveHeads(first, ids.slice(0, 600))).toEqual(await tree.proveHeads(first, ids.slice(0, 600)));
    } finally {
      await store.close();
      await reads.close();
    }
  });

  it('a restarted sealer rebuilds the map once from the heads and goes on by increments, to the same roots', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-sparse-'));
    const store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    const { write } = lotWriter(ledger, 'lot-R', 13, 'r');
    const seed = Buffer.alloc(32, 6);
    let minute = 0;
    const clock = () => new Date(Date.UTC(2026, 11, 1, 0, ++minute));
    let reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
    try {
      await write(50);
      await sealTreeHead(ledger, signer, new LogTree(store, reads, seed, { observeAppends: true }), clock);
      await reads.close();
      reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
      const tree = new LogTree(store, reads, seed, { observeAppends: true });
      for (const n of [30, 1, 200]) {
        await write(n);
        const h = (await sealTreeHead(ledger, signer, tree, clock))!;
        const log = await store.readAll({ afterPosition: 0, maxCount: 10_000 });
        expect(h.streamMapRoot).toBe(SparseMap.of(headsAt(log, h.treeSize).values()).root().toString('hex'));
        expect(await new LogTree(store, reads, seed).proveHeads(h, ['lot-R1'])).toEqual(await tree.proveHeads(h, ['lot-R1']));
      }
    } finally {
      await store.close();
      await reads.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
