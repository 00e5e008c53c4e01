import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { CHECKPOINT_STREAM } from '../../application/audit/checkpoints';
import { verifyExport, type LedgerExport } from '../../application/audit/export-verifier';
import { inclusionProof, merkleRoot, verifyInclusion } from '../../application/audit/merkle';
import { computeEventHash } from '../../application/ledger/event-hash';
import { createLot, confirm, registeredEntity, ship } from '../integration/support/fixtures';
import { startTestApp, type TestApp } from '../integration/support/test-app';

describe('Merkle tree (RFC 6962)', () => {
  const hashes = (n: number) => Array.from({ length: n }, (_, i) => computeEventHash({ i } as never));

  it('every leaf of any tree size has a verifying audit path; another leaf or index does not verify', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (n, k) => {
        const leaves = hashes(n);
        const root = merkleRoot(leaves);
        const i = k % n;
        const path = inclusionProof(leaves, i);
        expect(verifyInclusion(leaves[i]!, i, n, path, root)).toBe(true);
        if (n > 1) {
          expect(verifyInclusion(leaves[(i + 1) % n]!, i, n, path, root)).toBe(false);
          expect(verifyInclusion(leaves[i]!, (i + 1) % n, n, path, root)).toBe(false);
        }
      }),
    );
  });
});

describe('verifiable history: sealed checkpoints and the offline export verifier', () => {
  let t: TestApp;
  let exported: LedgerExport;

  beforeAll(async () => {
    t = await startTestApp({ CHECKPOINT_INTERVAL_MS: '0' });
    const a = await registeredEntity(t);
    const b = await registeredEntity(t);
    const c = await registeredEntity(t);
    const lot = await createLot(t, a.entityId, 100);
    await t.http.post('/api/v1/audit/checkpoints').expect(200); // checkpoint 1
    const child = await confirm(t, b.entityId, await ship(t, a.entityId, lot, b.eid, 40));
    await confirm(t, c.entityId, await ship(t, b.entityId, child, c.eid, 10));
    const res = await t.http.get('/api/v1/audit/export').expect(200); // seals checkpoint 2
    exported = res.body as LedgerExport;
  });
  afterAll(async () => t.close());

  it('exports events, signed checkpoints and the public key; the untouched export verifies', () => {
    expect(exported.checkpoints.map((c) => c.sequence)).toEqual([1, 2]);
    expect(exported.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const verdict = verifyExport(exported);
    expect(verdict).toMatchObject({ ok: true, checkpointsChecked: 2, unsealedEvents: 1 }); // the last checkpoint event itself
    expect(verdict.eventsChecked).toBe(exported.events.length);
  });

  it('gives an inclusion proof for any sealed event, and checkpoint consistency', async () => {
    const e = exported.events[5]!;
    const proof = await t.http.get(`/api/v1/audit/proofs/${e.eventId}`).expect(200);
    expect(proof.body).toMatchObject({ verified: true, eventHash: e.hash, checkpoint: { sequence: 1 } });
    const cons = await t.http.get('/api/v1/audit/consistency').query({ from: 1, to: 2 }).expect(200);
    expect(cons.body.consistent).toBe(true);
    await t.http.get('/api/v1/audit/consistency').query({ from: 2, to: 1 }).expect(400);
  });

  const sealedCount = () => exported.events.findIndex((e) => e.position > exported.checkpoints[1]!.toPosition);

  type Tamper =
    | { kind: 'alter'; index: number; field: 'data' | 'occurredAt' | 'actor' }
    | { kind: 'drop'; index: number }
    | { kind: 'swap'; index: number }
    | { kind: 'insert'; index: number; rehash: boolean };

  const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
    fc.record({ kind: fc.constant('alter' as const), index: fc.nat(), field: fc.constantFrom('data' as const, 'occurredAt' as const, 'actor' as const) }),
    fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), index: fc.nat(), rehash: fc.boolean() }),
  );

  /** Applies one tampering to a copy; events are picked among those sealed by a checkpoint. */
  function tamper(exp: LedgerExport, t: Tamper): LedgerExport {
    const copy = structuredClone(exp);
    const n = sealedCount();
    const i = t.index % n;
    const events = copy.events;
    switch (t.kind) {
      case 'alter': {
        const e = events[i]!;
        if (t.field === 'data') e.data = { ...e.data, tampered: true };
        else if (t.field === 'occurredAt') e.occurredAt = '2020-01-01T00:00:00.000Z';
        else e.actor = { ...e.actor, userId: 'someone-else' };
        // A careful forger also recomputes the event's own hash; the chain and the checkpoint still catch it.
        if (i % 2 === 0) e.hash = computeEventHash(e);
        break;
      }
      case 'drop':
        events.splice(i, 1);
        break;
      case 'swap': {
        const j = i + 1 < n ? i + 1 : i - 1;
        const [a, b] = [events[i]!, events[j]!];
        [a.position, b.position] = [b.position, a.position];
        events[i] = b;
        events[j] = a;
        break;
      }
      case 'insert': {
        // Forge an extra event after a stream's event inside the sealed range, correctly chained to it.
        // (After the newest checkpoint only the hash chains protect the tail; the export seals first.)
        const victim = events[i % (n - 1)]!;
        const last = [...events.slice(0, n - 1)].reverse().find((e) => e.streamId === victim.streamId)!;
        const forged = { ...structuredClone(last), eventId: '01900000-0000-7000-8000-00000000f0f0', revision: last.revision + 1, prevHash: last.hash, data: { forged: true } };
        forged.hash = t.rehash ? computeEventHash(forged) : last.hash;
        const at = events.indexOf(last) + 1;
        forged.position = last.position + 0.5;
        events.splice(at, 0, forged);
        break;
      }
    }
    return copy;
  }

  it('rejects every altered, dropped, reordered or inserted event (fast-check) and names the first bad one', () => {
    expect(sealedCount()).toBeGreaterThan(10);
    fc.assert(
      fc.property(tamperArb, (tm) => {
        const verdict = verifyExport(tamper(exported, tm));
        expect(verdict.ok).toBe(false);
        expect(verdict.firstBad).toBeDefined();
        expect(typeof verdict.firstBad!.reason).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a forged checkpoint signature and a dropped checkpoint', () => {
    const forged = structuredClone(exported);
    const cpEvent = forged.events.find((e) => e.streamId === CHECKPOINT_STREAM)!;
    (cpEvent.data as { merkleRoot: string }).merkleRoot = '0'.repeat(64);
    cpEvent.hash = computeEventHash(cpEvent);
    expect(verifyExport(forged).ok).toBe(false);

    const dropped = structuredClone(exported);
    dropped.checkpoints = dropped.checkpoints.slice(1);
    expect(verifyExport(dropped)).toMatchObject({ ok: false, firstBad: { reason: 'checkpoint-list-mismatch' } });
  });

  it('the offline CLI accepts the untouched export (exit 0) and names the first bad event of a tampered one (exit 1)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-export-'));
    const good = path.join(dir, 'good.json');
    const badFile = path.join(dir, 'bad.json');
    fs.writeFileSync(good, JSON.stringify(exported));
    const tampered = structuredClone(exported);
    tampered.events[4]!.data = { ...tampered.events[4]!.data, product: '假冒' };
    fs.writeFileSync(badFile, JSON.stringify(tampered));
    const cli = (file: string) =>
      spawnSync(process.execPath, ['-r', path.resolve(__dirname, '../support/swc-register.js'), path.resolve(__dirname, '../../infrastructure/cli/verify-export.ts'), file], { encoding: 'utf8' });
    const ok = cli(good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ events, 2 signed checkpoints verified/);
    const bad = cli(badFile);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`TAMPERED: first bad event at index 4`);
    expect(bad.stdout).toContain(tampered.events[4]!.eventId);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the exact event for an alteration inside a stream', () => {
    const copy = structuredClone(exported);
    const target = copy.events[3]!;
    target.data = { ...target.data, amount: 1 };
    const verdict = verifyExport(copy);
    expect(verdict.firstBad).toMatchObject({ index: 3, eventId: target.eventId, reason: 'hash-mismatch' });
  });
});
