import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../../../application/ledger/ledger';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';

const AUDIT_INDEXES = ['events_by_event_id', 'events_by_actor', 'events_by_actor_region', 'events_by_recorded_at', 'events_by_source'];
const AUDIT_COLUMNS = ['actor_user_id', 'actor_region', 'source'];

/** Decision 0027: a ledger written before the audit columns gets them, and their indexes, when it is opened. */
describe('the events table: audit columns and indexes', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-audit-columns-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const shape = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return {
        columns: db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all('events') as string[],
        indexes: db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'").pluck().all() as string[],
      };
    } finally {
      db.close();
    }
  };

  it('given a ledger from before decision 0027, when opened, then it gains the columns and indexes, and its events are unchanged', async () => {
    const file = path.join(dir, 'events.sqlite');
    let store = new SqliteEventStore(file);
    const ledger = new Ledger(store, systemClock, systemIds);
    const actor = { userId: 'u-1', orgId: 'o-1', role: 'supervisor' as const, regionCode: '469027' };
    await ledger.commit([{ stream: ledger.fresh('account-a'), events: [{ type: 'LoginSucceeded', data: { accountId: 'a', source: '10.1.2.3', at: 'x' } }] }], { commandId: 'c-1', actor });
    await ledger.commit([{ stream: ledger.fresh('lot-1'), events: [{ type: 'LotCreated', data: { source: 7 } }] }], { commandId: 'c-2', actor: { ...actor, userId: 'u-2' } });
    const before = await store.readAll({ afterPosition: 0, maxCount: 100 });
    await store.close();
    // Make it an old ledger: no audit index, no audit column.
    const raw = new Database(file);
    for (const index of AUDIT_INDEXES) raw.exec(`DROP INDEX ${index}`);
    for (const column of AUDIT_COLUMNS) raw.exec(`ALTER TABLE events DROP COLUMN ${column}`);
    raw.close();
    expect(shape(file).columns.filter((c) => AUDIT_COLUMNS.includes(c))).toEqual([]);

    store = new SqliteEventStore(file);
    try {
      const after = shape(file);
      expect(after.columns).toEqual(expect.arrayContaining(AUDIT_COLUMNS));
      expect(after.indexes).toEqual(expect.arrayContaining(AUDIT_INDEXES));
      expect(await store.readAll({ afterPosition: 0, maxCount: 100 })).toEqual(before);
      const audit = store.auditLog();
      expect((await audit.find({ source: '10.1.2.3' }, { skip: 0, limit: 10 })).map((e) => e.type)).toEqual(['LoginSucceeded']);
      expect(await audit.count({ source: '7' })).toBe(0); // a number is no client address
      expect((await audit.find({ actorUserId: 'u-2', regionPrefix: '4690' }, { skip: 0, limit: 10 })).map((e) => e.streamId)).toEqual(['lot-1']);
      expect((await audit.entry(before[0]!.eventId))?.position).toBe(before[0]!.position);
    } finally {
      await store.close();
    }
  });

  it('given a current ledger, when opened again, then nothing is rebuilt (the indexes are the same objects)', async () => {
    const file = path.join(dir, 'events.sqlite');
    await new SqliteEventStore(file).close();
    const rootpages = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT name, rootpage FROM sqlite_schema WHERE type = 'index' ORDER BY name").all();
      } finally {
        db.close();
      }
    };
    const first = rootpages();
    await new SqliteEventStore(file).close();
    expect(rootpages()).toEqual(first);
  });

  it('given the audit query, then its filters use the indexes, not a scan of the table', async () => {
    const file = path.join(dir, 'events.sqlite');
    await new SqliteEventStore(file).close();
    const db = new Database(file, { readonly: true });
    try {
      const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan('SELECT position FROM events WHERE actor_user_id = ? ORDER BY position DESC', 'u')).toContain('events_by_actor');
      expect(plan('SELECT position FROM events WHERE source = ? ORDER BY position DESC', 's')).toContain('events_by_source');
      expect(plan('SELECT position FROM events WHERE actor_region >= ? AND actor_region < ?', '46', '47')).toContain('events_by_actor_region');
      expect(plan('SELECT position FROM events WHERE recorded_at >= ?', 'x')).toContain('events_by_recorded_at');
      expect(plan('SELECT position FROM events WHERE event_id = ?', 'e')).toContain('events_by_event_id');
    } finally {
      db.close();
    }
  });
});
