import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Change, Increment } from '../../../../application/ports/read-store';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';

/**
 * Stored index columns (decision 0026): the store writes an indexed path's value and type columns itself on a
 * put and leaves them on an increment that changes nothing indexed, and the answers are those of the body —
 * after inserts, replacing puts, increments of counters, increments whose `set` or counters an index reads, on a
 * file whose older columns are VIRTUAL, and when another connection adds an index between two writes.
 */
describe('SqliteReadStore stored index columns', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-read-columns-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => path.join(dir, `${name}.sqlite`);
  const ids = (docs: { _id: string }[]) => docs.map((d) => d._id).sort();
  const inc = (id: string, add: Record<string, number>, v: number, more: Partial<Increment> = {}): Increment => ({ op: 'inc', collection: 'buckets', id, field: 'c', add, set: {}, init: {}, from: v, v, ...more });
  const columnKinds = (f: string) => {
    const db = new Database(f, { readonly: true });
    try {
      const rows = db.prepare('SELECT path, stored FROM generated_columns ORDER BY path').all() as { path: string; stored: number }[];
      const schema = db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'doc_buckets'`).pluck().get() as string;
      return { rows, schema };
    } finally {
      db.close();
    }
  };

  it('fills the columns of rows already there, follows puts and increments, and the index answers', async () => {
    const f = file('follow');
    const store = new SqliteReadStore(f);
    await store.applyChanges('p', [{ op: 'put', collection: 'buckets', doc: { _id: 'a', _v: 1, region: '46', level: 1, c: { n: 1 } } }], 1);
    await store.ensureIndex('buckets', ['level', 'region']);
    await store.ensureIndex('buckets', ['c.n']);
    const kinds = columnKinds(f);
    expect(kinds.rows).toEqual([
      { path: 'c.n', stored: 1 },
      { path: 'level', stored: 1 },
      { path: 'region', stored: 1 },
    ]);
    expect(kinds.schema).not.toMatch(/GENERATED/);
    // The row that was there before the index.
    expect(ids(await store.find('buckets', { level: 1, region: { $prefix: '4' } }))).toEqual(['a']);
    // A new document by increment (its init is indexed), an increment of counters only, a put that moves a document.
    const changes: Change[] = [
      inc('b', { n: 2 }, 2, { init: { region: '4601', level: 2 } }),
      { op: 'put', collection: 'buckets', doc: { _id: 'a', _v: 2, region: '44', level: 1, c: { n: 1 } } },
    ];
    await store.applyChanges('p', changes, 2);
    await store.applyChanges('p', [inc('b', { n: 3 }, 3)], 3);
    expect(ids(await store.find('buckets', { level: 2, region: { $prefix: '46' } }))).toEqual(['b']);
    expect(ids(await store.find('buckets', { level: 1, region: '46' }))).toEqual([]);
    expect(ids(await store.find('buckets', { level: 1, region: '44' }))).toEqual(['a']);
    // An index over a counter follows the increments that add to it.
    expect(ids(await store.find('buckets', { 'c.n': 5 }))).toEqual(['b']);
    expect(await store.count('buckets', { 'c.n': { $gte: 2 } })).toBe(1);
    // An increment's `set` that an index reads moves the document too.
    await store.applyChanges('p', [inc('b', { n: 1 }, 4, { set: { region: '4602' } })], 4);
    expect(ids(await store.find('buckets', { region: '4602' }))).toEqual(['b']);
    expect(ids(await store.find('buckets', { region: '4601' }))).toEqual([]);
    expect(ids(await store.find('buckets', { 'c.n': 6 }))).toEqual(['b']);
    // A replaying put (lower version) changes neither the body nor the columns.
    await store.applyChanges('p', [{ op: 'put', collection: 'buckets', doc: { _id: 'a', _v: 1, region: '11', level: 1 } }], 5);
    expect(ids(await store.find('buckets', { region: '11' }))).toEqual([]);
    await store.close();
    const db = new Database(f, { readonly: true });
    try {
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT body FROM doc_buckets WHERE ${(db.prepare(`SELECT value_column FROM generated_columns WHERE path = 'level'`).pluck().get() as string)} = 1`).all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX gidx_/);
    } finally {
      db.close();
    }
  });

  it('keeps the VIRTUAL columns of a file made before, and stores the columns of paths indexed since', async () => {
    const f = file('older');
    SqliteReadStore.storedIndexColumns = false;
    try {
      const older = new SqliteReadStore(f);
      await older.ensureIndex('buckets', ['region']);
      await older.applyChanges('p', [{ op: 'put', collection: 'buckets', doc: { _id: 'a', _v: 1, region: '46', level: 1 } }], 1);
      await older.close();
    } finally {
      SqliteReadStore.storedIndexColumns = true;
    }
    // A file of before this decision has no `stored` column in generated_columns at all.
    const raw = new Database(f);
    raw.exec('ALTER TABLE generated_columns DROP COLUMN stored');
    raw.close();
    const store = new SqliteReadStore(f);
    await store.ensureIndex('buckets', ['region']);
    await store.ensureIndex('buckets', ['level']);
    expect(columnKinds(f).rows).toEqual([
      { path: 'level', stored: 1 },
      { path: 'region', stored: 0 },
    ]);
    await store.applyChanges('p', [{ op: 'put', collection: 'buckets', doc: { _id: 'b', _v: 2, region: '46', level: 2 } }, inc('a', { n: 1 }, 2)], 2);
    expect(ids(await store.find('buckets', { region: '46' }))).toEqual(['a', 'b']);
    expect(ids(await store.find('buckets', { level: 2, region: '46' }))).toEqual(['b']);
    expect(ids(await store.find('buckets', { level: 1 }))).toEqual(['a']);
    await store.close();
  });

  it('a writer fills the columns another connection added since its last write', async () => {
    const f = file('two');
    const writer = new SqliteReadStore(f);
    const other = new SqliteReadStore(f);
    await writer.applyChanges('p', [{ op: 'put', collection: 'buckets', doc: { _id: 'a', _v: 1, region: '46' } }], 1);
    await other.ensureIndex('buckets', ['region']);
    await writer.applyChanges('p', [{ op: 'put', collection: 'buckets', doc: { _id: 'b', _v: 2, region: '46' } }, inc('c', { n: 1 }, 2, { init: { region: '46' } })], 2);
    expect(ids(await other.find('buckets', { region: '46' }))).toEqual(['a', 'b', 'c']);
    expect(ids(await writer.find('buckets', { region: '46' }))).toEqual(['a', 'b', 'c']);
    await writer.close();
    await other.close();
  });
});
