import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase, WAL_SIZE_LIMIT_BYTES } from '../../../../infrastructure/sqlite/sqlite-database';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';

/**
 * A WAL file keeps the size of the largest transaction it held unless `journal_size_limit` cuts it back when
 * SQLite rewinds it (the read models' WAL was 1.5 GB at the end of the M benchmark). Given one transaction far
 * larger than the limit, when small commits follow (the automatic checkpoint completes and a writer rewinds
 * the WAL), then the file is back within the limit — or within the automatic checkpoint's reach above it.
 */
describe('SQLite WAL size limit', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-wal-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const walSize = (file: string) => fs.statSync(`${file}-wal`).size;
  /** What the automatic checkpoint lets a WAL grow to between two rewinds (1,000 pages by default), plus a page. */
  const autoCheckpointReach = (db: ReturnType<typeof openDatabase>) =>
    ((db.pragma('wal_autocheckpoint', { simple: true }) as number) + 1) * (db.pragma('page_size', { simple: true }) as number);

  it('is set on every file the embedded adapters open (64 MiB unless told otherwise)', () => {
    const db = openDatabase(path.join(dir, 'default.sqlite'));
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES);
    db.close();
    const small = openDatabase(path.join(dir, 'small.sqlite'), { walSizeLimitBytes: 1 << 20 });
    expect(small.pragma('journal_size_limit', { simple: true })).toBe(1 << 20);
    small.close();
  });

  it('cuts the WAL back after a transaction far larger than the limit, once small commits follow', () => {
    const file = path.join(dir, 'events.sqlite');
    const limit = 1 << 20;
    const db = openDatabase(file, { walSizeLimitBytes: limit, synchronous: 'NORMAL' });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const body = 'x'.repeat(700);
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(body); // ≈ 14 MB in one transaction
    })();
    const afterBig = walSize(file);
    expect(afterBig).toBeGreaterThan(8 * limit);
    for (let i = 0; i < 2_000; i++) insert.run(body);
    expect(walSize(file)).toBeLessThanOrEqual(Math.max(limit, autoCheckpointReach(db)));
    expect(walSize(file)).toBeLessThan(afterBig / 2);
    db.close();
  });

  it('holds for the read store, whose rebuilds write the largest transactions', async () => {
    const file = path.join(dir, 'read-models.sqlite');
    const store = new SqliteReadStore(file, { synchronous: 'NORMAL', walSizeLimitBytes: 1 << 20 });
    const big = Array.from({ length: 10_000 }, (_, i) => ({ op: 'put' as const, collection: 'lots', doc: { _id: `L${i}`, _v: 1, note: 'y'.repeat(600) } }));
    await store.applyChanges('lots', big, 1);
    const afterBig = walSize(file);
    expect(afterBig).toBeGreaterThan(4 << 20);
    for (let i = 0; i < 400; i++) await store.applyChanges('lots', [{ op: 'put', collection: 'lots', doc: { _id: `M${i}`, _v: 2 + i, note: 'z'.repeat(600) } }], 2 + i);
    expect(walSize(file)).toBeLessThan(afterBig / 2);
    await store.close();
  });
});
