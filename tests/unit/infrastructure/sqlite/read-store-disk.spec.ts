import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';

/** The SQLite read store's disk and index behaviour (decision 0021), beyond what the port contract says. */
describe('SqliteReadStore on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-read-disk-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => path.join(dir, `${name}.sqlite`);
  const bytes = (f: string) => fs.statSync(f).size + (fs.existsSync(`${f}-wal`) ? fs.statSync(`${f}-wal`).size : 0);

  it('gives a dropped collection’s pages back to the file system (a blue/green rebuild leaves no dead generation behind)', async () => {
    const f = file('drop');
    const store = new SqliteReadStore(f, { synchronous: 'NORMAL' });
    const docs = Array.from({ length: 5000 }, (_, i) => ({ op: 'put' as const, collection: 'lots__g1', doc: { _id: `L${i}`, _v: 1, filler: '溯'.repeat(400) } }));
    await store.applyChanges('p', docs, 1);
    await store.applyChanges('q', [{ op: 'put', collection: 'lots__g2', doc: { _id: 'L0', _v: 2 } }], 2);
    await store.close();
    const full = fs.statSync(f).size;
    const again = new SqliteReadStore(f, { synchronous: 'NORMAL' });
    await again.dropCollection('lots__g1');
    await again.close();
    expect(fs.statSync(f).size).toBeLessThan(full / 10);
    const reopened = new SqliteReadStore(f);
    expect(await reopened.get('lots__g2', 'L0')).toMatchObject({ _id: 'L0' });
    expect(await reopened.get('lots__g1', 'L1')).toBeNull();
    await reopened.close();
    expect(bytes(f)).toBeGreaterThan(0);
  });

  it('answers an indexed path from its generated columns’ index, and walks edges inside the (from, to) index', async () => {
    const f = file('plan');
    const store = new SqliteReadStore(f);
    const edges = Array.from({ length: 200 }, (_, i) => ({ op: 'put' as const, collection: 'edges', doc: { _id: `e${i}`, _v: 1, from: `L${i}`, to: `L${i + 1}`, at: `2026-01-${String((i % 28) + 1).padStart(2, '0')}` } }));
    await store.applyChanges('p', edges, 1);
    await store.ensureIndex('edges', ['from', 'to']);
    await store.ensureIndex('edges', ['to']);
    expect((await store.find('edges', { from: 'L7' })).map((d) => d._id)).toEqual(['e7']);
    expect((await store.walk('edges', { start: ['L190'], fromPath: 'from', toPath: 'to', maxDepth: 64 })).map((w) => `${w.doc._id}@${w.depth}`)).toEqual(
      Array.from({ length: 10 }, (_, k) => `e${190 + k}@${k + 1}`),
    );
    await store.close();
    const db = new Database(f, { readonly: true });
    try {
      const indexes = (db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'doc_edges'`).all() as { name: string; sql: string | null }[]).filter((i) => i.sql);
      expect(indexes.map((i) => i.sql)).toEqual([expect.stringMatching(/\(g_\w+, t_\w+, g_\w+, t_\w+\)$/), expect.stringMatching(/\(g_\w+, t_\w+\)$/)]);
      expect(indexes.every((i) => !/json_extract/.test(i.sql!))).toBe(true);
      const [fromValue, fromType] = /\((g_\w+), (t_\w+),/.exec(indexes[0]!.sql!)!.slice(1);
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT body FROM doc_edges WHERE (${fromType} = 'text' AND ${fromValue} = ?)`).all('L7') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain(`USING INDEX ${indexes[0]!.name}`);
    } finally {
      db.close();
    }
  });
});
