import { META, ProjectionRunner } from '../../projections/runner/projection-runner';
import { startTestApp } from './support/test-app';

const AUDITOR = { 'X-Role': 'auditor', 'X-Org-Id': 'audit-office', 'X-User-Id': 'u-auditor', 'X-Region': '' };
const MINISTRY = { 'X-Role': 'ministry-admin', 'X-Org-Id': 'moa', 'X-User-Id': 'u-moa', 'X-Region': '' };
const PRODUCER = { 'X-Role': 'producer', 'X-Org-Id': 'ent-1', 'X-User-Id': 'u-ent-1' };

/**
 * Decision 0027 at the platform level: the embedded ledger answers GET /api/v1/audit/log itself, and a read store
 * left by an older version (with its audit_log read model) is given its disk back when the platform starts.
 */
describe('the embedded audit log (decision 0027)', () => {
  it('given an audit_log read model from an older version, when the platform restarts, then it is dropped and the log still answers', async () => {
    const db = `suyuan_it_audit_embedded_${process.pid}_${Date.now()}`;
    const first = await startTestApp({ MONGODB_DB: db });
    // Events by two actors: a sensitive read by the auditor (DataAccessed) and a producer's refused call.
    await first.http.get('/api/v1/audit/log').set(AUDITOR).expect(200);
    await first.http.get('/api/v1/audit/log').set(PRODUCER).expect(403);
    // What an older version's audit-log projection left: a generation, its checkpoint and its meta document.
    const reads = first.platform.adapters.readStore;
    await reads.applyChanges(ProjectionRunner.checkpointOf('audit-log', 3), [{ op: 'put', collection: 'audit_log__g3', doc: { _id: 'old', _v: 1, type: 'Stale' } }], 1);
    await reads.applyChanges(`${META}:audit-log`, [{ op: 'put', collection: META, doc: { _id: 'audit-log', _v: 1, version: 2, generation: 3 } }], 3);
    expect(await reads.listCollections()).toContain('audit_log__g3');
    await first.app.close();
    await first.platform.close();

    const second = await startTestApp({ DATA_DIR: first.dataDir, MONGODB_DB: db });
    try {
      const left = second.platform.adapters.readStore;
      expect((await left.listCollections()).filter((c) => c.startsWith('audit_log'))).toEqual([]);
      expect(await left.get(META, 'audit-log')).toBeNull();
      expect(await left.getCheckpoint(ProjectionRunner.checkpointOf('audit-log', 3))).toBeNull();
      expect((await second.http.get('/api/v1/admin/projections').set(MINISTRY).expect(200)).body.map((p: { name: string }) => p.name)).not.toContain('audit-log');
      const log = await second.http.get('/api/v1/audit/log').set(AUDITOR).query({ actor: 'u-auditor', size: 50 }).expect(200);
      expect(log.body.total).toBeGreaterThanOrEqual(1);
      expect(log.body.items.every((i: { actorUserId: string; type: string }) => i.actorUserId === 'u-auditor')).toBe(true);
      expect(log.body.items.map((i: { type: string }) => i.type)).not.toContain('Stale');
      // The inclusion proof route finds the event's position through the same query (by event id).
      await second.http.post('/api/v1/audit/checkpoints').set(MINISTRY).send({}).expect(200);
      const proof = await second.http.get(`/api/v1/audit/proofs/${log.body.items[0]._id}`).set(AUDITOR).expect(200);
      expect(proof.body.verified).toBe(true);
      await second.http.get('/api/v1/audit/proofs/no-such-event').set(AUDITOR).expect(404);
    } finally {
      await second.close();
    }
  });
});
