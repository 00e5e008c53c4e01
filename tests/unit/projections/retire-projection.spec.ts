import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../../application/ledger/ledger';
import { SqliteEventStore } from '../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../../../infrastructure/sqlite/sqlite-search-index';
import { systemClock, systemIds } from '../../../infrastructure/system/system-clock';
import { EMBEDDED_RETIRED, projectionsFor } from '../../../projections';
import { auditLogProjection } from '../../../projections/audit-log/audit-log.projection';
import { META, ProjectionRunner } from '../../../projections/runner/projection-runner';
import { retireProjection } from '../../../projections/runner/retire-projection';
import { appendEvents } from './support/append-events';

describe('retiring a projection the stack no longer runs (decision 0027)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-retire-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the embedded stack runs every projection but the audit log; KurrentDB runs them all', () => {
    expect(projectionsFor('sqlite').map((p) => p.name)).not.toContain('audit-log');
    expect(projectionsFor('kurrentdb').map((p) => p.name)).toContain('audit-log');
    expect(projectionsFor('kurrentdb').length - projectionsFor('sqlite').length).toBe(EMBEDDED_RETIRED.length);
  });

  it('given an audit_log built by an older version, when retired, then its generations, checkpoints and meta are gone and others stay', async () => {
    const events = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    const reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
    const search = new SqliteSearchIndex(path.join(dir, 'search.sqlite'));
    try {
      await appendEvents(new Ledger(events, systemClock, systemIds), 's-a', 'Counted', 5);
      const runner = new ProjectionRunner(events, reads, search, [auditLogProjection], { info: () => undefined, error: () => undefined });
      await runner.start();
      expect(await runner.waitFor(await events.headPosition(), 10_000)).toBe(true);
      await runner.stop();
      await reads.applyChanges('unrelated', [{ op: 'put', collection: 'lots__g1', doc: { _id: 'x', _v: 1 } }], 1);
      expect(await reads.listCollections()).toEqual(expect.arrayContaining(['audit_log__g1', 'lots__g1']));
      expect(await reads.getCheckpoint(ProjectionRunner.checkpointOf('audit-log', 1))).toBeGreaterThan(0);

      expect(await retireProjection(reads, auditLogProjection)).toBe(true);
      const left = await reads.listCollections();
      expect(left.filter((c) => c.startsWith('audit_log'))).toEqual([]);
      expect(left).toContain('lots__g1');
      expect(await reads.get(META, 'audit-log')).toBeNull();
      expect(await reads.getCheckpoint(ProjectionRunner.checkpointOf('audit-log', 1))).toBeNull();
      expect(await reads.getCheckpoint('unrelated')).toBe(1);
      expect(await retireProjection(reads, auditLogProjection)).toBe(false); // idempotent
    } finally {
      await events.close();
      await reads.close();
      await search.close();
    }
  });
});
