import { MongoClient } from 'mongodb';
import type { Change, ReadDoc } from '../../application/ports/read-store';
import { MongoCredentialStore } from '../../infrastructure/mongodb/mongo-credential-store';
import { CHECKPOINTS_COLLECTION, MongoReadStore } from '../../infrastructure/mongodb/mongo-read-store';
import { credentialStoreContract } from './suites/credential-store.contract';
import { uniqueName } from './suites/contract-helpers';
import { readStoreContract } from './suites/read-store.contract';
import { serverUnderTest } from './support/server-under-test';

/** The ReadStore contract on MongoDB — in CI that is FerretDB 1.24 (SQLite backend), see scripts/services. */
const DB_NAME = 'suyuan_contract';
const server = serverUnderTest('MongoDB', 'MONGODB_URL');

server.describeWithServer((url) => {
  readStoreContract('MongoDB', () => MongoReadStore.connect(url, DB_NAME));
  // On FerretDB the store detects it and writes with `_id`-only filters; run the contract again with the
  // conditional writes a real MongoDB gets, so both paths are tested here.
  readStoreContract('MongoDB (conditional writes)', () => MongoReadStore.connect(url, DB_NAME, { idLookupsOnly: false }));

  // The credentials collection of this run only, dropped at the end.
  const credentials = uniqueName('cred');
  credentialStoreContract('MongoDB', () => MongoCredentialStore.connect(url, DB_NAME, credentials));
  afterAll(async () => {
    const store = await MongoCredentialStore.connect(url, DB_NAME, credentials);
    await store.drop();
    await store.close();
  });

  describe.each([
    ['as detected', {}],
    ['with conditional writes', { idLookupsOnly: false }],
  ])('MongoDB read store (%s): idempotent by position without transactions', (_mode, options) => {
    let store: MongoReadStore;
    let raw: MongoClient;
    let lots: string;
    let entities: string;
    let checkpoint: string;

    beforeAll(async () => {
      raw = await MongoClient.connect(url);
    });
    afterAll(async () => {
      await raw.close();
    });
    beforeEach(async () => {
      store = await MongoReadStore.connect(url, DB_NAME, options);
      const run = uniqueName('mg');
      lots = `${run}_lots`;
      entities = `${run}_entities`;
      checkpoint = `${run}-lots@g1`;
    });
    afterEach(async () => {
      await store.dropCollection(lots);
      await store.dropCollection(entities);
      await store.deleteCheckpoint(checkpoint);
      await store.close();
    });

    /** Everything stored, read behind the adapter's back: documents of both collections and the checkpoint. */
    async function snapshot() {
      const db = raw.db(DB_NAME);
      const all = async (name: string) => db.collection<ReadDoc>(name).find({}).sort({ _id: 1 }).toArray();
      return {
        lots: await all(lots),
        entities: await all(entities),
        checkpoint: await db.collection<{ _id: string }>(CHECKPOINTS_COLLECTION).findOne({ _id: checkpoint }),
      };
    }

    const put = (collection: string, doc: ReadDoc): Change => ({ op: 'put', collection, doc });
    const batch = (): Change[] => [
      put(lots, {
        _id: 'L1',
        _v: 101,
        product: '豇豆',
        remaining: { amount: 1200, unit: 'kg' },
        holder: 'o-1',
      }),
      put(entities, { _id: 'E1', _v: 101, name: '海南绿源豇豆种植专业合作社', regionCode: '460203' }),
      put(lots, {
        _id: 'L1',
        _v: 103,
        product: '豇豆',
        remaining: { amount: 700, unit: 'kg' },
        holder: 'o-1',
      }),
      put(lots, {
        _id: 'L2',
        _v: 103,
        product: '豇豆',
        remaining: { amount: 500, unit: 'kg' },
        holder: 'o-2',
        parent: 'L1',
      }),
      { op: 'delete', collection: lots, id: 'L0' },
      put(entities, {
        _id: 'E1',
        _v: 104,
        name: '海南绿源豇豆种植专业合作社',
        regionCode: '460203',
        lots: ['L1', 'L2'],
      }),
    ];

    it('replaying the same batch twice leaves documents and checkpoint unchanged', async () => {
      await store.applyChanges(checkpoint, [put(lots, { _id: 'L0', _v: 90, product: '芒果' })], 90);
      await store.applyChanges(checkpoint, batch(), 104);
      const once = await snapshot();
      expect(once.lots.map((d) => [d._id, d._v])).toEqual([
        ['L1', 103],
        ['L2', 103],
      ]);
      expect(once.entities).toEqual([
        { _id: 'E1', _v: 104, name: '海南绿源豇豆种植专业合作社', regionCode: '460203', lots: ['L1', 'L2'] },
      ]);
      expect(once.checkpoint).toEqual({ _id: checkpoint, position: 104 });

      await store.applyChanges(checkpoint, batch(), 104);
      await store.applyChanges(checkpoint, batch(), 104);
      expect(await snapshot()).toEqual(once);
    });

    it('a crash between the changes and the checkpoint is repaired by replaying the batch', async () => {
      await store.applyChanges(checkpoint, batch(), 104);
      const expected = await snapshot();
      // Simulate the crash: documents of a later batch were written, its checkpoint was not.
      const later: Change[] = [
        put(lots, {
          _id: 'L1',
          _v: 110,
          product: '豇豆',
          remaining: { amount: 0, unit: 'kg' },
          holder: 'o-3',
        }),
      ];
      await raw
        .db(DB_NAME)
        .collection<ReadDoc>(lots)
        .replaceOne({ _id: 'L1' }, (later[0] as { doc: ReadDoc }).doc);
      expect(await store.getCheckpoint(checkpoint)).toBe(104);

      // The runner restarts from 104: it replays this batch and then the later one.
      await store.applyChanges(checkpoint, batch(), 104);
      await store.applyChanges(checkpoint, later, 110);
      const after = await snapshot();
      expect(after.checkpoint).toEqual({ _id: checkpoint, position: 110 });
      expect(after.lots.find((d) => d._id === 'L1')).toMatchObject({ _v: 110, holder: 'o-3' });
      expect(after.lots.find((d) => d._id === 'L2')).toEqual(expected.lots.find((d) => d._id === 'L2'));
      expect(after.entities).toEqual(expected.entities);
    });

    it('a stale put in the middle of an ordered batch is skipped and the rest still applies', async () => {
      await store.applyChanges(checkpoint, [put(lots, { _id: 'L1', _v: 50, v: 'newest' })], 50);
      await store.applyChanges(
        checkpoint,
        [
          put(lots, { _id: 'L1', _v: 10, v: 'stale' }),
          put(lots, { _id: 'L2', _v: 11, v: 'after stale' }),
          put(lots, { _id: 'L1', _v: 50, v: 'same version' }),
          put(lots, { _id: 'L3', _v: 12, v: 'after same' }),
        ],
        60,
      );
      const { lots: docs } = await snapshot();
      expect(docs.map((d) => [d._id, d.v])).toEqual([
        ['L1', 'newest'],
        ['L2', 'after stale'],
        ['L3', 'after same'],
      ]);
    });

    it('rejects an invalid change before writing any of the batch', async () => {
      const bad: Change[] = [put(lots, { _id: 'L1', _v: 1 }), put(lots, { _id: 'L2', _v: 'two' as never })];
      await expect(store.applyChanges(checkpoint, bad, 2)).rejects.toThrow(/_v must be a number/);
      expect(await store.get(lots, 'L1')).toBeNull();
      expect(await store.getCheckpoint(checkpoint)).toBeNull();
    });

    it('creates real indexes on dotted paths, compound ones included, and keeps the checkpoints collection out of listCollections', async () => {
      await store.applyChanges(
        checkpoint,
        [put(lots, { _id: 'L1', _v: 1, holder: { regionCode: '460105' }, product: '豇豆' })],
        1,
      );
      await store.ensureIndex(lots, ['holder.regionCode']);
      await store.ensureIndex(lots, ['product', '_v']);
      const indexes = await raw.db(DB_NAME).collection(lots).listIndexes().toArray();
      expect(indexes.map((i) => i.key)).toEqual(
        expect.arrayContaining([{ _id: 1 }, { 'holder.regionCode': 1 }, { product: 1, _v: 1 }]),
      );
      const listed = await store.listCollections();
      expect(listed).toContain(lots);
      expect(listed).not.toContain(CHECKPOINTS_COLLECTION);
    });
  });
});
