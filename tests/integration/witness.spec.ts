import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { treeHeadMessage, verifyTreeHeadSignature, type SignedTreeHead } from '../../application/audit/tree-head';
import { witnessRound, type WitnessedLog, type WitnessState } from '../../application/audit/witness';
import { confirm, createLot, registeredEntity, ship } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Witnessing (issue 18 §3): a second installation, with its own data directory and its own ledger key,
 * follows the first's tree heads over HTTP, checks each against the last one it cosigned with an RFC 9162
 * consistency proof it verifies itself, and cosigns. `npx suyuan-verify --witness` then needs that
 * cosignature, and a rewritten history — same key, validly hashed, re-sealed — cannot get it.
 */
const NATIONAL = { 'X-Role': 'ministry-admin', 'X-Org-Id': 'moa', 'X-User-Id': 'u-moa' };
/** The witness acts on the first installation through an account allowed to seal (audit.seal). */
const WITNESS_ACCOUNT = { 'X-Role': 'ministry-admin', 'X-Org-Id': 'province-witness', 'X-User-Id': 'u-witness' };
const CLI = path.join(__dirname, '../../tools/suyuan-verify/cli.js');

/** The three audit routes of an installation, as the witness sees them (nothing else of it). */
function logOf(t: TestApp): WitnessedLog {
  return {
    treeHeads: async () => (await t.http.get('/api/v1/audit/tree-heads').set(WITNESS_ACCOUNT).expect(200)).body,
    consistency: async (from, to) => (await t.http.get(`/api/v1/audit/consistency?from=${from}&to=${to}`).set(WITNESS_ACCOUNT).expect(200)).body,
    cosign: async (size, body) => {
      await t.http.post(`/api/v1/audit/tree-heads/${size}/cosign`).set(WITNESS_ACCOUNT).send(body).expect(200);
    },
  };
}

const seal = async (t: TestApp): Promise<SignedTreeHead> => {
  const { body } = await t.http.post('/api/v1/audit/checkpoints').set(NATIONAL).expect(200);
  expect(body.sealed).toHaveLength(1);
  return body.sealed[0];
};

describe('a second installation witnesses the first one’s tree heads', () => {
  let log: TestApp;
  let witness: TestApp;
  let witnessPem: string;
  let stateFile: string;
  let head1: SignedTreeHead;
  let head2: SignedTreeHead;
  let head3: SignedTreeHead;
  let origin: string;
  let middle: string;
  let rewrittenDir: string;

  // The witness remembers only the last head it cosigned, in its own data directory.
  const loadState = (): WitnessState | null => (fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : null);
  const round = async (of: TestApp) => {
    const r = await witnessRound(logOf(of), log.platform.signer.publicKeyPem, witness.platform.signer, loadState());
    if (r.state) fs.writeFileSync(stateFile, JSON.stringify(r.state));
    return r;
  };
  const bundleFile = async (of: TestApp, traceCode: string, asOf: string | undefined, name: string, edit?: (b: Record<string, unknown>) => void) => {
    const { body } = await of.http.get(`/api/v1/trace/${traceCode}/proof${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`).set(NATIONAL).expect(200);
    edit?.(body);
    const file = path.join(witness.dataDir, name);
    fs.writeFileSync(file, JSON.stringify(body));
    return { file, body };
  };
  const verifyCli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout.trim() };
  };

  beforeAll(async () => {
    log = await startTestApp();
    witness = await startTestApp();
    expect(witness.platform.signer.publicKeyPem).not.toBe(log.platform.signer.publicKeyPem);
    witnessPem = path.join(witness.dataDir, 'witness.pem');
    fs.writeFileSync(witnessPem, witness.platform.signer.publicKeyPem);
    stateFile = path.join(witness.dataDir, `witnessed-${log.platform.signer.keyId}.json`);

    const farm = await registeredEntity(log, { regionCode: '469007' });
    const market = await registeredEntity(log, { regionCode: '460108' });
    origin = await createLot(log, farm.entityId, 800);
    head1 = await seal(log);
    middle = await confirm(log, market.entityId, await ship(log, farm.entityId, origin, market.eid, 600));
    head2 = await seal(log);
  });
  afterAll(async () => {
    await log?.close();
    await witness?.close();
    if (rewrittenDir) fs.rmSync(rewrittenDir, { recursive: true, force: true });
  });

  it('cosigns the first head, then each newer one only after checking consistency with the last it cosigned', async () => {
    // Each round sees the heads sealed since the last one; the first contact has nothing to be consistent with.
    const calls: string[] = [];
    const spied = (t: TestApp): WitnessedLog => {
      const l = logOf(t);
      return { ...l, consistency: (a, b) => (calls.push(`${a}..${b}`), l.consistency(a, b)) };
    };
    const first = await witnessRound(spied(log), log.platform.signer.publicKeyPem, witness.platform.signer, null);
    expect(first).toMatchObject({ refused: null, state: { treeSize: head2.treeSize, rootHash: head2.rootHash } });
    expect(first.cosigned.map((h) => h.treeSize)).toEqual([head1.treeSize, head2.treeSize]);
    expect(calls).toEqual([`${head1.treeSize}..${head2.treeSize}`]);
    fs.writeFileSync(stateFile, JSON.stringify(first.state));

    head3 = await seal(log);
    calls.length = 0;
    const second = await witnessRound(spied(log), log.platform.signer.publicKeyPem, witness.platform.signer, loadState());
    expect(second.refused).toBeNull();
    expect(second.cosigned.map((h) => h.treeSize)).toEqual([head3.treeSize]);
    expect(calls).toEqual([`${head2.treeSize}..${head3.treeSize}`]);
    fs.writeFileSync(stateFile, JSON.stringify(second.state));
    // Nothing new: nothing cosigned, nothing asked.
    expect((await round(log)).cosigned).toEqual([]);

    // The first installation lists each head with the witness's cosignature (stored as TreeHeadCosigned events).
    const { body } = await log.http.get('/api/v1/audit/tree-heads').set(NATIONAL).expect(200);
    const byWitness = (h: { cosignatures: { witnessPublicKeyPem: string; signature: string }[] }) =>
      h.cosignatures.filter((c) => c.witnessPublicKeyPem === witness.platform.signer.publicKeyPem);
    for (const h of body.treeHeads) {
      const [c] = byWitness(h);
      expect(c && verifyTreeHeadSignature(h, c.signature, witness.platform.signer.publicKeyPem)).toBe(true);
    }
    // A cosignature that does not verify is refused by the route (400), so a forged one can only be in a tampered bundle.
    await log.http
      .post(`/api/v1/audit/tree-heads/${head1.treeSize}/cosign`)
      .set(WITNESS_ACCOUNT)
      .send({ publicKeyPem: witness.platform.signer.publicKeyPem, signature: witness.platform.signer.sign(treeHeadMessage(head2)) })
      .expect(400);
  });

  it('suyuan-verify --witness accepts a cosigned bundle and names each refusal', async () => {
    // A head sealed after the witness's last round: no cosignature yet.
    await createLot(log, (await registeredEntity(log)).entityId, 50);
    const head4 = await seal(log);

    const cosigned = await bundleFile(log, middle, head3.timestamp, 'cosigned.json');
    expect(cosigned.body.treeHead.treeSize).toBe(head3.treeSize);
    const ok = verifyCli(cosigned.file, '--witness', witnessPem);
    expect(ok).toEqual({ status: 0, out: expect.stringMatching(new RegExp(`^OK: complete and unaltered as of tree head ${head3.treeSize} .*cosigned by 1 required witness`)) });

    const fresh = await bundleFile(log, middle, undefined, 'uncosigned.json');
    expect(fresh.body.treeHead.treeSize).toBe(head4.treeSize);
    expect(verifyCli(fresh.file)).toMatchObject({ status: 0 });
    expect(verifyCli(fresh.file, '--witness', witnessPem)).toEqual({ status: 1, out: `PROBLEM missing-cosignature: a required witness did not cosign tree head ${head4.treeSize}` });

    // Forged cosignatures: the witness's signature of another head, and another key's signature under the witness's name.
    const reused = await bundleFile(log, middle, head3.timestamp, 'reused.json', (b) => {
      (b.cosignatures as { signature: string }[])[0]!.signature = witness.platform.signer.sign(treeHeadMessage(head2));
    });
    expect(verifyCli(reused.file, '--witness', witnessPem)).toEqual({ status: 1, out: `PROBLEM bad-cosignature: a witness cosignature of tree head ${head3.treeSize} does not verify` });
    const attacker = generateKeyPairSync('ed25519');
    const impostor = await bundleFile(log, middle, head3.timestamp, 'impostor.json', (b) => {
      (b.cosignatures as { signature: string }[])[0]!.signature = sign(null, Buffer.from(treeHeadMessage(head3)), attacker.privateKey).toString('base64');
    });
    expect(verifyCli(impostor.file, '--witness', witnessPem)).toMatchObject({ status: 1, out: expect.stringMatching(/^PROBLEM bad-cosignature/) });
    // A cosignature in the attacker's own name is not the witness's.
    const renamed = await bundleFile(log, middle, head3.timestamp, 'renamed.json', (b) => {
      const c = (b.cosignatures as { signature: string; witnessPublicKeyPem: string }[])[0]!;
      c.witnessPublicKeyPem = attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      c.signature = sign(null, Buffer.from(treeHeadMessage(head3)), attacker.privateKey).toString('base64');
    });
    expect(verifyCli(renamed.file, '--witness', witnessPem)).toMatchObject({ status: 1, out: expect.stringMatching(/^PROBLEM missing-cosignature/) });

    // Rollback 1: an older head, signed and cosigned, swapped into a newer bundle — its proofs no longer fit.
    const older = (await log.http.get(`/api/v1/audit/tree-heads/${head1.treeSize}`).set(NATIONAL).expect(200)).body;
    const swapped = await bundleFile(log, origin, head3.timestamp, 'swapped.json', (b) => {
      b.treeHead = older.treeHead;
      b.cosignatures = older.cosignatures;
    });
    expect(verifyCli(swapped.file, '--witness', witnessPem)).toMatchObject({ status: 1, out: expect.stringMatching(/^PROBLEM (bad-stream-head-proof|bad-inclusion)/) });
    // Rollback 2: a whole, honest bundle as of the older head (it hides the shipment). Valid on its own, and
    // cosigned; refused once the verifier knows how far the witness has seen the log.
    const stale = await bundleFile(log, origin, head1.timestamp, 'stale.json');
    expect(stale.body.treeHead.treeSize).toBe(head1.treeSize);
    expect(verifyCli(stale.file, '--witness', witnessPem)).toMatchObject({ status: 0 });
    const seen = loadState()!.treeSize;
    expect(verifyCli(stale.file, '--witness', witnessPem, '--min-tree-size', String(seen))).toEqual({
      status: 1,
      out: `PROBLEM rollback: tree head ${head1.treeSize} (${head1.timestamp}) is older than tree size ${seen}, which the log had already reached`,
    });
  });

  it('a rewritten history under the same key cannot get the witness’s cosignature: consistency fails', async () => {
    // The operator replaces the first installation's log by an alternative one, validly hashed and chained,
    // and re-seals it with the same ledger key: a fresh data directory holding the same secrets.
    rewrittenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-rewritten-'));
    fs.copyFileSync(path.join(log.dataDir, 'secrets.json'), path.join(rewrittenDir, 'secrets.json'));
    const rewritten = await startTestApp({ DATA_DIR: rewrittenDir });
    try {
      expect(rewritten.platform.signer.publicKeyPem).toBe(log.platform.signer.publicKeyPem);
      const before = loadState()!;
      // First a shorter rewritten log: the witness sees a rollback.
      const farm = await registeredEntity(rewritten, { regionCode: '469007' });
      const short = await seal(rewritten);
      expect(short.treeSize).toBeLessThan(before.treeSize);
      expect(await round(rewritten)).toMatchObject({ cosigned: [], refused: { code: 'rollback' }, state: before });
      // Then a longer one (the lot with another quantity, and more traffic), sealed past the cosigned size.
      const lot = await createLot(rewritten, farm.entityId, 8000);
      while ((await rewritten.platform.ledger.store.headPosition()) <= before.treeSize + 2) await createLot(rewritten, farm.entityId, 10);
      const rewrittenHead = await seal(rewritten);
      expect(rewrittenHead.treeSize).toBeGreaterThan(before.treeSize);
      expect(verifyTreeHeadSignature(rewrittenHead, rewrittenHead.signature, log.platform.signer.publicKeyPem)).toBe(true);

      // The rewritten installation's own consistency route says "consistent" — over its own roots.
      const { body: c } = await rewritten.http.get(`/api/v1/audit/consistency?from=${before.treeSize}&to=${rewrittenHead.treeSize}`).set(NATIONAL).expect(200);
      expect(c.consistent).toBe(true);
      expect(c.firstRoot).not.toBe(before.rootHash);
      // The witness checks the proof against the root it cosigned, and refuses.
      const r = await round(rewritten);
      expect(r).toMatchObject({ cosigned: [], refused: { code: 'inconsistent', treeSize: rewrittenHead.treeSize }, state: before });
      expect(r.refused!.detail).toMatch(/history rewritten/);
      const { body } = await rewritten.http.get('/api/v1/audit/tree-heads').set(NATIONAL).expect(200);
      expect(body.treeHeads.flatMap((h: { cosignatures: unknown[] }) => h.cosignatures)).toEqual([]);

      // Its bundles are well formed and signed by the real key, so only the witness requirement refuses them.
      const b = await bundleFile(rewritten, lot, undefined, 'rewritten.json');
      expect(verifyCli(b.file)).toMatchObject({ status: 0 });
      expect(verifyCli(b.file, '--witness', witnessPem)).toEqual({ status: 1, out: `PROBLEM missing-cosignature: a required witness did not cosign tree head ${rewrittenHead.treeSize}` });
    } finally {
      await rewritten.close();
    }
  });
});
