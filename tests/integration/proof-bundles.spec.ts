import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLot, confirm, registeredEntity, ship } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';
// The offline verifier is plain JS with no server code (tools/suyuan-verify); the tests use it as shipped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyBundle, verifyConsistency } = require('../../tools/suyuan-verify/verify.js');

const NATIONAL = { 'X-Role': 'ministry-admin', 'X-Org-Id': 'moa', 'X-User-Id': 'u-moa' };
// Dev-headers mode: no headers would be a ministry admin; the consumer role is what an anonymous caller is.
const CONSUMER = { 'X-Role': 'consumer', 'X-Org-Id': 'public', 'X-User-Id': 'anonymous' };
const CLI = path.join(__dirname, '../../tools/suyuan-verify/cli.js');

/** Proof bundles per product (issue 18): full for those who may read the chain, redacted for consumers; offline verifier; tree heads and proofs. */
describe('proof bundles and the one Merkle log', () => {
  let t: TestApp;
  let origin: string;
  let middle: string;
  let leaf: string;
  beforeAll(async () => {
    t = await startTestApp();
    const household = await registeredEntity(t, { name: '李春花', entityType: 'household', creditCode: undefined, contactPhone: '13698760003', regionCode: '469007',
      bases: [{ name: '李春花豇豆地', regionCode: '469007', address: '八所镇上名山村', lat: 19.101234, lon: 108.652345, products: ['豇豆'] }] });
    const market = await registeredEntity(t, { name: '海口南北批发市场', regionCode: '460108', address: '海南省海口市美兰区', bases: [{ name: '冷库', regionCode: '460108', address: '美兰区', lat: 20.001234, lon: 110.452345, products: ['豇豆'] }] });
    const shop = await registeredEntity(t, { name: '北京新发地', regionCode: '110106', address: '北京市丰台区新发地', bases: [{ name: '交易区', regionCode: '110106', address: '丰台区', lat: 39.812345, lon: 116.372345, products: ['豇豆'] }] });
    origin = await createLot(t, household.entityId, 800);
    await t.http.post('/api/v1/audit/checkpoints').set(NATIONAL).expect(200);
    middle = await confirm(t, market.entityId, await ship(t, household.entityId, origin, market.eid, 600));
    leaf = await confirm(t, shop.entityId, await ship(t, market.entityId, middle, shop.eid, 200));
    await t.http.post('/api/v1/audit/checkpoints').set(NATIONAL).expect(200);
  });
  afterAll(async () => t.close());

  it('tree heads are signed, and the consistency route gives a real RFC 9162 proof between two of them', async () => {
    const { body } = await t.http.get('/api/v1/audit/tree-heads').set(NATIONAL).expect(200);
    expect(body.treeHeads.length).toBe(2);
    const [a, b] = body.treeHeads;
    expect(a.treeSize).toBeLessThan(b.treeSize);
    const one = await t.http.get(`/api/v1/audit/tree-heads/${b.treeSize}`).set(NATIONAL).expect(200);
    expect(one.body.treeHead.rootHash).toBe(b.rootHash);
    const c = await t.http.get(`/api/v1/audit/consistency?from=${a.treeSize}&to=${b.treeSize}`).set(NATIONAL).expect(200);
    expect(c.body.consistent).toBe(true);
    expect(verifyConsistency(a.treeSize, b.treeSize, a.rootHash, b.rootHash, c.body.path)).toBe(true);
    expect(verifyConsistency(a.treeSize, b.treeSize, b.rootHash, b.rootHash, c.body.path)).toBe(false);
  });

  it('an inclusion proof for an event against an older tree head', async () => {
    const { body } = await t.http.get('/api/v1/audit/tree-heads').set(NATIONAL).expect(200);
    const [first] = await t.platform.ledger.store.readStream(`lot-${origin}`);
    const p = await t.http.get(`/api/v1/audit/proofs/${first!.eventId}?treeSize=${body.treeHeads[0].treeSize}`).set(NATIONAL).expect(200);
    expect(p.body).toMatchObject({ verified: true, treeSize: body.treeHeads[0].treeSize, eventHash: first!.hash });
  });

  it('a national auditor gets the full bundle; it verifies offline, and a changed byte is named', async () => {
    const { body } = await t.http.get(`/api/v1/trace/${leaf}/proof`).set(NATIONAL).expect(200);
    expect(body.streams.every((s: { view: string }) => s.view === 'full')).toBe(true);
    expect(body.streams.map((s: { streamId: string }) => s.streamId)).toEqual(expect.arrayContaining([`lot-${origin}`, `lot-${middle}`, `lot-${leaf}`]));
    const verdict = verifyBundle(body);
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.message).toMatch(new RegExp(`^complete and unaltered as of tree head ${body.treeHead.treeSize} \\(`));
    const file = path.join(t.dataDir, 'bundle.json');
    fs.writeFileSync(file, JSON.stringify(body));
    expect(execFileSync(process.execPath, [CLI, file]).toString()).toMatch(/^OK: complete and unaltered/);
    const tampered = JSON.parse(JSON.stringify(body));
    tampered.streams[0].events[0].event.data.quantity = { amount: 1, unit: 'kg' };
    expect(verifyBundle(tampered).problem.code).toBe('hash-mismatch');
  });

  it('a consumer gets a redacted bundle that verifies without revealing masked fields', async () => {
    const { body } = await t.http.get(`/api/v1/trace/${leaf}/proof`).set(CONSUMER).expect(200);
    expect(body.streams.every((s: { view: string }) => s.view === 'redacted')).toBe(true);
    const text = JSON.stringify(body);
    expect(text).not.toContain('13698760003');
    expect(text).not.toContain('李春花豇豆地');
    expect(text).not.toContain('u-moa');
    expect(verifyBundle(body)).toMatchObject({ ok: true });
    // A public field changed: its commitment no longer matches the commitment log.
    const changed = JSON.parse(text);
    const withQuantity = changed.streams.flatMap((s: { events: { redacted: { fields: Record<string, { value?: unknown }> } }[] }) => s.events).find((e: { redacted: { fields: Record<string, { value?: unknown }> } }) => e.redacted.fields['data.quantity']?.value);
    withQuantity.redacted.fields['data.quantity'].value = { amount: 1, unit: 'kg' };
    expect(verifyBundle(changed).problem.code).toBe('bad-commitment-inclusion');
  });

  it('dropping a lot from a bundle is named', async () => {
    const { body } = await t.http.get(`/api/v1/trace/${leaf}/proof`).set(NATIONAL).expect(200);
    body.streams = body.streams.filter((s: { streamId: string }) => s.streamId !== `lot-${middle}`);
    expect(verifyBundle(body).problem).toMatchObject({ code: 'lot-missing', streamId: `lot-${middle}` });
  });

  it('the export verifies with its tree heads and commitment root', async () => {
    const res = await t.http.get('/api/v1/audit/export').set(NATIONAL).expect(200);
    const { verifyExport } = await import('../../application/audit/export-verifier');
    const v = verifyExport(res.body);
    expect(v).toMatchObject({ ok: true });
    expect(v.checkpointsChecked).toBeGreaterThanOrEqual(2);
  });

  it('?format=2 carries each event as its hashed text and verifies to the same verdict; another format is a 400 naming the field, sealing nothing', async () => {
    const { verifyExport } = await import('../../application/audit/export-verifier');
    const v1 = await t.http.get('/api/v1/audit/export').set(NATIONAL).expect(200);
    const v2 = await t.http.get('/api/v1/audit/export?format=2').set(NATIONAL).expect(200);
    expect(v2.headers['content-disposition']).toMatch(/suyuan-ledger-\d+\.v2\.json/);
    expect(v2.body.format).toBe('suyuan-ledger-export/2');
    expect(typeof v2.body.events[0].canonical).toBe('string');
    const [a, b] = [verifyExport(v1.body), verifyExport(v2.body)];
    expect(b).toMatchObject({ ok: true });
    // The second export sealed what the first one's own access event added, if anything: it covers at least as much.
    expect(b.eventsChecked).toBeGreaterThanOrEqual(a.eventsChecked);
    expect(b.checkpointsChecked).toBeGreaterThanOrEqual(a.checkpointsChecked);

    const heads = async () => ((await t.http.get('/api/v1/audit/tree-heads').set(NATIONAL).expect(200)).body.treeHeads as unknown[]).length;
    const before = await heads();
    expect(before).toBeGreaterThan(0);
    const bad = await t.http.get('/api/v1/audit/export?format=3').set(NATIONAL).expect(400);
    expect(JSON.stringify(bad.body)).toContain('format');
    // The refused export sealed nothing (a valid one seals first).
    expect(await heads()).toBe(before);
  });
});
