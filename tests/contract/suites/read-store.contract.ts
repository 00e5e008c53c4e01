import { IncrementsStraddle, type Change, type Filter, type GraphWalk, type Increment, type ReadDoc, type ReadStore } from '../../../application/ports/read-store';
import { walkByLevels, walkGraph } from '../../../application/trace/graph-walk';
import { uniqueName } from './contract-helpers';

/**
 * The ReadStore contract, through the port only. Collections and checkpoints carry a per-run name and
 * are dropped/deleted after each test, so the suite can run against a shared MongoDB.
 */
export function readStoreContract(
  adapterName: string,
  makeStore: () => Promise<ReadStore>,
  dispose: (store: ReadStore) => Promise<void> = (s) => s.close(),
): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    let lots: string;
    let other: string;
    let checkpoint: string;

    beforeEach(async () => {
      store = await makeStore();
      const run = uniqueName('ct');
      lots = `${run}_lots`;
      other = `${run}_other`;
      checkpoint = `${run}-projection@g1`;
    });
    afterEach(async () => {
      await store.dropCollection(lots);
      await store.dropCollection(other);
      await store.deleteCheckpoint(checkpoint);
      await dispose(store);
    });

    const put = (collection: string, doc: ReadDoc): Change => ({ op: 'put', collection, doc });
    const apply = (changes: Change[], position: number) => store.applyChanges(checkpoint, changes, position);
    /** Ids of an unsorted find: order is unspecified, so compare as a sorted set. */
    const ids = (docs: ReadDoc[]) => docs.map((d) => d._id).sort();
    /** Ids in the order the store returned them (for finds with a total sort). */
    const orderedIds = (docs: ReadDoc[]) => docs.map((d) => d._id);

    /** Lots in the shape a projection would write: nested, with arrays, Chinese text. */
    const sample: ReadDoc[] = [
      lot('L1', 10, { product: '豇豆', region: '460105', qty: 1200, holder: { orgId: 'o-1', regionCode: '460105' }, tags: ['organic', 'export'], recalled: false, grade: 'A' }),
      lot('L2', 11, { product: '豇豆', region: '460202', qty: 300.5, holder: { orgId: 'o-2', regionCode: '460202' }, tags: ['export'], recalled: true }),
      lot('L3', 12, { product: '芒果', region: '460105', qty: 50, holder: { orgId: 'o-1', regionCode: '460105' }, tags: [], recalled: false, grade: null }),
      lot('L4', 13, { product: '辣椒', region: '410102', qty: 7000, holder: { orgId: 'o-3', regionCode: '410102' }, tags: ['organic'], recalled: false, grade: 'B' }),
      lot('L5', 14, { product: 'cowpea', region: '110101', qty: 1200, holder: { orgId: 'o-4', regionCode: '110101' }, recalled: false, grade: 'A' }),
    ];
    const seed = () => apply(sample.map((d) => put(lots, d)), 14);

    describe('documents', () => {
      it('puts and gets documents with nested fields, arrays and Chinese text intact', async () => {
        await seed();
        expect(await store.get(lots, 'L1')).toEqual(sample[0]);
        expect(await store.get(lots, 'nope')).toBeNull();
        expect(await store.get(`${lots}_never_written`, 'L1')).toBeNull();
      });

      it('getMany returns the documents that exist and skips the missing ones', async () => {
        await seed();
        const many = await store.getMany(lots, ['L3', 'missing', 'L1']);
        expect(ids(many).sort()).toEqual(['L1', 'L3']);
        expect(await store.getMany(lots, [])).toEqual([]);
      });

      it('replaces a document only with a higher _v: lower and equal versions are ignored', async () => {
        await apply([put(lots, lot('L1', 10, { product: 'v10' }))], 10);
        await apply([put(lots, lot('L1', 7, { product: 'v7-older' }))], 11);
        expect((await store.get(lots, 'L1'))!.product).toBe('v10');
        await apply([put(lots, lot('L1', 10, { product: 'v10-again' }))], 12);
        expect((await store.get(lots, 'L1'))!.product).toBe('v10');
        await apply([put(lots, lot('L1', 15, { product: 'v15' }))], 15);
        expect(await store.get(lots, 'L1')).toEqual(lot('L1', 15, { product: 'v15' }));
      });

      it('a put replaces the whole document (fields not in the new version disappear)', async () => {
        await apply([put(lots, lot('L1', 1, { product: 'a', extra: 'x' }))], 1);
        await apply([put(lots, lot('L1', 2, { product: 'b' }))], 2);
        expect(await store.get(lots, 'L1')).toEqual(lot('L1', 2, { product: 'b' }));
      });

      it('deletes documents', async () => {
        await seed();
        await apply([{ op: 'delete', collection: lots, id: 'L2' }, { op: 'delete', collection: lots, id: 'never-there' }], 20);
        expect(await store.get(lots, 'L2')).toBeNull();
        expect(await store.count(lots, {})).toBe(4);
      });

      it('replaying the same changes twice leaves the documents equal', async () => {
        const batch1: Change[] = [
          put(lots, lot('L1', 1, { product: 'a', qty: 10 })),
          put(lots, lot('L2', 2, { product: 'b', qty: 20 })),
        ];
        const batch2: Change[] = [
          put(lots, lot('L1', 3, { product: 'a', qty: 7 })),
          { op: 'delete', collection: lots, id: 'L2' },
          put(other, lot('E1', 3, { name: '海南绿源合作社' })),
        ];
        await apply(batch1, 2);
        await apply(batch2, 3);
        const once = { lots: await store.find(lots, {}), other: await store.find(other, {}) };
        await apply(batch1, 2);
        await apply(batch2, 3);
        await apply(batch2, 3);
        expect({ lots: await store.find(lots, {}), other: await store.find(other, {}) }).toEqual(once);
        expect(once.lots).toEqual([lot('L1', 3, { product: 'a', qty: 7 })]);
      });
    });

    describe('increments (counters added in place, exactly once per log position)', () => {
      const inc = (id: string, from: number, v: number, add: Record<string, number>, fields: Partial<Pick<Increment, 'set' | 'init'>> = {}): Change => ({
        op: 'inc', collection: other, id, field: 'c', add, set: fields.set ?? {}, init: fields.init ?? {}, from, v,
      });
      const header = { grain: 'month', period: '2026-03', region: '46', parent: '', product: '豇豆' };

      it('creates a document from its first increment, then adds into its counters: absent counts as 0, a 0 stays, set fields follow, init only at creation', async () => {
        expect(store.increments).toBe(true);
        await apply([inc('B1', 1, 3, { lots: 2, 'qty:g': 1500 }, { init: { ...header }, set: { name: '甲' } })], 3);
        expect(await store.get(other, 'B1')).toEqual({ _id: 'B1', _v: 3, ...header, name: '甲', c: { lots: 2, 'qty:g': 1500 } });
        await apply([inc('B1', 4, 6, { lots: -2, 'warningsOpen:red': 1 }, { init: { grain: 'never written' }, set: { name: '乙', region: '4601' } })], 6);
        expect(await store.get(other, 'B1')).toEqual({ _id: 'B1', _v: 6, ...header, region: '4601', name: '乙', c: { lots: 0, 'qty:g': 1500, 'warningsOpen:red': 1 } });
        // The counters are found like any field (the dashboards select buckets by header and read their counters).
        expect(ids(await store.find(other, { grain: 'month', 'c.lots': 0 }))).toEqual(['B1']);
      });

      it('skips an increment the document already folds (a replay), leaving it and the other documents as they were', async () => {
        await apply([inc('B1', 1, 5, { n: 1 }), inc('B2', 1, 5, { n: 10 }), put(lots, lot('L1', 5, { qty: 1 }))], 5);
        const once = { other: await store.find(other, {}), lots: await store.find(lots, {}) };
        await apply([inc('B1', 1, 5, { n: 1 }), inc('B2', 2, 4, { n: 10 }), put(lots, lot('L1', 5, { qty: 1 }))], 5);
        expect({ other: await store.find(other, {}), lots: await store.find(lots, {}) }).toEqual(once);
        expect((await store.get(other, 'B2'))!.c).toEqual({ n: 10 });
      });

      it('refuses an increment the document folds only part of (a replay past a crashed batch): the document is unchanged, the checkpoint does not move, the error names the stored version', async () => {
        await apply([inc('B1', 1, 5, { n: 5 })], 5);
        await apply([], 5);
        // The replayed batch 1..9 reaches past the crashed batch's end 5: B1 folds 1..5 of it, B3 is new.
        const replay = [inc('B1', 1, 9, { n: 9 }), inc('B3', 1, 9, { n: 4 })];
        const error = await apply(replay, 9).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(IncrementsStraddle);
        expect((error as IncrementsStraddle).positions).toEqual([5]);
        expect(await store.get(other, 'B1')).toEqual({ _id: 'B1', _v: 5, c: { n: 5 } });
        expect(await store.getCheckpoint(checkpoint)).toBe(5);
        // Cut at 5 (what the runner does): 1..5 is skipped where stored, 6..9 added once — whatever B3 got before.
        await apply([inc('B3', 1, 5, { n: 2 })], 5);
        await apply([inc('B1', 6, 9, { n: 4 }), inc('B3', 6, 9, { n: 2 })], 9);
        expect((await store.get(other, 'B1'))!.c).toEqual({ n: 9 });
        expect((await store.get(other, 'B3'))!.c).toEqual({ n: 4 });
        expect(await store.getCheckpoint(checkpoint)).toBe(9);
      });

      it('writes none of a straddling batch\'s puts or deletes: the runner folds it again in parts, and those parts must read the documents (the memos the counting reads) as they were before the batch', async () => {
        await apply([inc('B1', 1, 5, { n: 5 }), put(lots, lot('M1', 2, { trading: false })), put(lots, lot('M2', 3, {}))], 5);
        const replay = [inc('B1', 1, 9, { n: 9 }), put(lots, lot('M1', 7, { trading: true })), { op: 'delete', collection: lots, id: 'M2' } as Change, put(lots, lot('M3', 8, {}))];
        const error = await apply(replay, 9).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(IncrementsStraddle);
        expect(await store.find(lots, {}, { sort: { _id: 1 } })).toEqual([lot('M1', 2, { trading: false }), lot('M2', 3, {})]);
        expect(await store.getCheckpoint(checkpoint)).toBe(5);
      });

      it('adds to and replaces 150 existing documents in one batch (FerretDB v1 stopped answering at 100 updates in one message)', async () => {
        const n = 150;
        await apply(Array.from({ length: n }, (_, i) => inc(`C${i}`, 1, 1, { n: 1 })), 1);
        await apply([...Array.from({ length: n }, (_, i) => inc(`C${i}`, 2, 2, { n: 2 })), ...Array.from({ length: n }, (_, i) => put(lots, lot(`P${i}`, 2, {})))], 2);
        await apply(Array.from({ length: n }, (_, i) => put(lots, lot(`P${i}`, 3, { qty: i }))), 3);
        expect((await store.find(other, {})).map((d) => (d.c as { n: number }).n)).toEqual(Array.from({ length: n }, () => 3));
        expect((await store.find(lots, { qty: { $gte: 0 } })).length).toBe(n);
      });

      it('refuses counter or field names that are paths or operators', async () => {
        await expect(apply([inc('B1', 1, 2, { 'a.b': 1 })], 2)).rejects.toThrow(/cannot be incremented/);
        await expect(apply([inc('B1', 1, 2, { n: 1 }, { set: { $where: 1 } })], 2)).rejects.toThrow(/cannot be incremented/);
      });
    });

    describe('checkpoints', () => {
      it('moves the checkpoint with the changes, and deletes it', async () => {
        expect(await store.getCheckpoint(checkpoint)).toBeNull();
        await apply([put(lots, lot('L1', 5, {}))], 5);
        expect(await store.getCheckpoint(checkpoint)).toBe(5);
        await apply([], 9);
        expect(await store.getCheckpoint(checkpoint)).toBe(9);
        await store.deleteCheckpoint(checkpoint);
        expect(await store.getCheckpoint(checkpoint)).toBeNull();
      });
    });

    describe('find and count', () => {
      it('matches scalars, dotted paths and type-strictly', async () => {
        await seed();
        expect(ids(await store.find(lots, { product: '豇豆' }))).toEqual(['L1', 'L2']);
        expect(ids(await store.find(lots, { 'holder.orgId': 'o-1' }))).toEqual(['L1', 'L3']);
        expect(ids(await store.find(lots, { 'holder.orgId': 'o-1', product: '芒果' }))).toEqual(['L3']);
        expect(ids(await store.find(lots, { qty: 1200 }))).toEqual(['L1', 'L5']);
        expect(ids(await store.find(lots, { qty: '1200' }))).toEqual([]);
        expect(ids(await store.find(lots, { recalled: true }))).toEqual(['L2']);
        expect(ids(await store.find(lots, { recalled: { $eq: false } }))).toEqual(['L1', 'L3', 'L4', 'L5']);
        expect(ids(await store.find(lots, { _id: 'L4' }))).toEqual(['L4']);
        expect(await store.count(lots, { product: '豇豆' })).toBe(2);
        expect(await store.count(lots, {})).toBe(5);
      });

      it('supports $ne, $in, ranges on numbers and strings, $prefix and $exists', async () => {
        await seed();
        expect(ids(await store.find(lots, { product: { $ne: '豇豆' } }))).toEqual(['L3', 'L4', 'L5']);
        expect(ids(await store.find(lots, { product: { $in: ['芒果', '辣椒'] } }))).toEqual(['L3', 'L4']);
        expect(ids(await store.find(lots, { qty: { $gt: 300.5 } }))).toEqual(['L1', 'L4', 'L5']);
        expect(ids(await store.find(lots, { qty: { $gte: 300.5, $lte: 1200 } }))).toEqual(['L1', 'L2', 'L5']);
        expect(ids(await store.find(lots, { qty: { $lt: 300.5 } }))).toEqual(['L3']);
        expect(ids(await store.find(lots, { region: { $gte: '410000', $lt: '460000' } }))).toEqual(['L4']);
        expect(ids(await store.find(lots, { region: { $prefix: '46' } }))).toEqual(['L1', 'L2', 'L3']);
        expect(ids(await store.find(lots, { 'holder.regionCode': { $prefix: '4601' } }))).toEqual(['L1', 'L3']);
        expect(ids(await store.find(lots, { region: { $prefix: '4' }, product: { $ne: '芒果' } }))).toEqual(['L1', 'L2', 'L4']);
        expect(ids(await store.find(lots, { grade: { $exists: true } }))).toEqual(['L1', 'L3', 'L4', 'L5']);
        expect(ids(await store.find(lots, { grade: { $exists: false } }))).toEqual(['L2']);
        expect(ids(await store.find(lots, { _v: { $gte: 13 } }))).toEqual(['L4', 'L5']);
      });

      it('null matches a missing field or a null value; $ne matches documents lacking the field', async () => {
        await seed();
        expect(ids(await store.find(lots, { grade: null }))).toEqual(['L2', 'L3']);
        expect(ids(await store.find(lots, { grade: { $ne: 'A' } }))).toEqual(['L2', 'L3', 'L4']);
      });

      it('matches array fields when any element matches (equality and $in)', async () => {
        await seed();
        expect(ids(await store.find(lots, { tags: 'organic' }))).toEqual(['L1', 'L4']);
        expect(ids(await store.find(lots, { tags: { $in: ['export', 'none'] } }))).toEqual(['L1', 'L2']);
        expect(ids(await store.find(lots, { tags: { $ne: 'export' } }))).toEqual(['L3', 'L4', 'L5']);
        expect(await store.count(lots, { tags: 'export' })).toBe(2);
      });

      it('sorts by one or more paths, then skips and limits', async () => {
        await seed();
        expect(orderedIds(await store.find(lots, {}, { sort: { qty: -1, _id: 1 } }))).toEqual(['L4', 'L1', 'L5', 'L2', 'L3']);
        expect(orderedIds(await store.find(lots, {}, { sort: { qty: -1, _id: -1 } }))).toEqual(['L4', 'L5', 'L1', 'L2', 'L3']);
        expect(orderedIds(await store.find(lots, {}, { sort: { 'holder.orgId': 1, qty: 1 } }))).toEqual(['L3', 'L1', 'L2', 'L4', 'L5']);
        expect(orderedIds(await store.find(lots, {}, { sort: { _id: 1 }, skip: 1, limit: 2 }))).toEqual(['L2', 'L3']);
        expect(orderedIds(await store.find(lots, { region: { $prefix: '46' } }, { sort: { _id: -1 }, limit: 2 }))).toEqual(['L3', 'L2']);
        expect(orderedIds(await store.find(lots, {}, { sort: { _id: 1 }, skip: 10 }))).toEqual([]);
      });

      it('returns nothing from a collection that was never written', async () => {
        expect(await store.find(`${lots}_never`, { product: '豇豆' })).toEqual([]);
        expect(await store.count(`${lots}_never`, {})).toBe(0);
      });
    });

    describe('indexes and collections', () => {
      it('ensureIndex is idempotent and queries return the same results with the index', async () => {
        await seed();
        const before = await store.find(lots, { 'holder.regionCode': { $prefix: '46' }, product: '豇豆' }, { sort: { qty: 1 } });
        await store.ensureIndex(lots, ['holder.regionCode']);
        await store.ensureIndex(lots, ['holder.regionCode']);
        await store.ensureIndex(lots, ['product', 'qty']);
        const after = await store.find(lots, { 'holder.regionCode': { $prefix: '46' }, product: '豇豆' }, { sort: { qty: 1 } });
        expect(after).toEqual(before);
        expect(orderedIds(after)).toEqual(['L2', 'L1']);
      });

      it('ensureIndex on a new collection, then writes and reads work', async () => {
        await store.ensureIndex(other, ['name']);
        await apply([put(other, lot('E1', 1, { name: '海南绿源合作社' }))], 1);
        expect(ids(await store.find(other, { name: '海南绿源合作社' }))).toEqual(['E1']);
      });

      it('with every filtered path indexed, each filter answers exactly as without indexes (type-strict, arrays, null)', async () => {
        await seed();
        const filters: Filter[] = [
          { product: '豇豆' },
          { qty: 1200 },
          { qty: '1200' },
          { recalled: false },
          { grade: null },
          { grade: { $ne: 'A' } },
          { grade: { $exists: false } },
          { qty: { $gte: 300.5, $lt: 7000 } },
          { 'holder.regionCode': { $prefix: '46' } },
          { tags: 'export' },
          { tags: { $in: ['organic', 'none'] } },
          { region: { $in: ['460105', '110101'] }, qty: { $gt: 100 } },
        ];
        const sort = { _id: 1 } as const;
        const before = await Promise.all(filters.map((f) => store.find(lots, f, { sort })));
        const counts = await Promise.all(filters.map((f) => store.count(lots, f)));
        for (const path of ['product', 'qty', 'recalled', 'grade', 'holder.regionCode', 'tags', 'region']) await store.ensureIndex(lots, [path]);
        await store.ensureIndex(lots, ['region', 'qty']);
        expect(await Promise.all(filters.map((f) => store.find(lots, f, { sort })))).toEqual(before);
        expect(await Promise.all(filters.map((f) => store.count(lots, f)))).toEqual(counts);
        expect(orderedIds(await store.find(lots, {}, { sort: { qty: -1, _id: 1 } }))).toEqual(['L4', 'L1', 'L5', 'L2', 'L3']);
        // Writes after the index keep answering through it.
        await apply([put(lots, lot('L6', 20, { product: '豇豆', qty: 1, tags: ['export'] }))], 20);
        expect(ids(await store.find(lots, { product: '豇豆', tags: 'export' }))).toEqual(['L1', 'L2', 'L6']);
      });

      it('lists and drops collections', async () => {
        await seed();
        await apply([put(other, lot('E1', 1, {}))], 15);
        const listed = await store.listCollections();
        expect(listed).toEqual(expect.arrayContaining([lots, other]));
        await store.dropCollection(other);
        expect(await store.listCollections()).not.toContain(other);
        expect(await store.get(other, 'E1')).toBeNull();
        expect(await store.count(lots, {})).toBe(5);
        await store.dropCollection(`${other}_never_existed`);
      });
    });

    describe('graph walk (optional walk, else level by level)', () => {
      /** A tree A → B, C; B → D, off-ledger; D → E; and F → G apart; each edge at a time that orders its level. */
      const edges = [
        edge('e1', 'A', 'B', '2026-01-02'),
        edge('e2', 'A', 'C', '2026-01-01'),
        edge('e3', 'B', 'D', '2026-01-03'),
        edge('e4', 'B', null, '2026-01-04'),
        edge('e5', 'D', 'E', '2026-01-05'),
        edge('e6', 'F', 'G', '2026-01-01'),
      ];
      const spec = (over: Partial<GraphWalk> = {}): GraphWalk => ({ start: ['A'], fromPath: 'from', toPath: 'to', maxDepth: 64, sortPath: 'at', ...over });
      const shape = (walked: { doc: ReadDoc; depth: number }[]) => walked.map((w) => `${w.doc._id}@${w.depth}`);

      beforeEach(async () => {
        await apply(edges.map((e) => put(other, e)), 30);
        await store.ensureIndex(other, ['from', 'to']);
        await store.ensureIndex(other, ['to']);
        if (!store.walk) process.stderr.write(`\n*** ReadStore ${adapterName} has no walk(): the graph-walk cases check the level-by-level fallback only ***\n`);
      });

      it('reaches every edge downstream, by depth and then by the sort path, each once, with the whole document', async () => {
        const walked = await walkGraph(store, other, spec());
        expect(shape(walked)).toEqual(['e2@1', 'e1@1', 'e3@2', 'e4@2', 'e5@3']);
        expect(walked[0]!.doc).toEqual(edges[1]);
        expect(shape(await walkByLevels(store, other, spec()))).toEqual(shape(walked));
      });

      it('stops at maxDepth and at maxEdges (nearest first), and starts from several values at once', async () => {
        expect(shape(await walkGraph(store, other, spec({ maxDepth: 2 })))).toEqual(['e2@1', 'e1@1', 'e3@2', 'e4@2']);
        expect(shape(await walkGraph(store, other, spec({ maxEdges: 3 })))).toEqual(['e2@1', 'e1@1', 'e3@2']);
        expect(shape(await walkGraph(store, other, spec({ start: ['D', 'F'] })))).toEqual(['e6@1', 'e5@1']);
        expect(await walkGraph(store, other, spec({ start: ['nowhere'] }))).toEqual([]);
        expect(await walkGraph(store, `${other}_never_written`, spec())).toEqual([]);
      });

      it('walks backward by swapping the paths, and a cycle ends (each edge once, at its least depth)', async () => {
        expect(shape(await walkGraph(store, other, spec({ start: ['E'], fromPath: 'to', toPath: 'from' })))).toEqual(['e5@1', 'e3@2', 'e1@3']);
        await apply([put(other, edge('e7', 'E', 'A', '2026-01-06'))], 31);
        const walked = await walkGraph(store, other, spec({ maxDepth: 10 }));
        expect(shape(walked)).toEqual(['e2@1', 'e1@1', 'e3@2', 'e4@2', 'e5@3', 'e7@4']);
        expect(shape(await walkByLevels(store, other, spec({ maxDepth: 10 })))).toEqual(shape(walked));
      });
    });
  });
}

function edge(id: string, from: string, to: string | null, at: string): ReadDoc {
  return { _id: id, _v: 30, from, to, at, kind: to ? 'transfer' : 'off-ledger', quantity: 1 };
}

function lot(id: string, v: number, fields: Record<string, unknown>): ReadDoc {
  return { _id: id, _v: v, ...fields };
}
