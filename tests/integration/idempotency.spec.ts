import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ensureBootstrapAdmin } from '../../application/accounts/bootstrap-admin';
import { raiseWarning } from '../../application/risk/warnings';
import { transferUnconfirmedWarningId } from '../../application/risk/warning-ids';
import { creditCodeCheckChar } from '../../domain/registration';
import { DEFAULT_RULES } from '../../domain/risk/rules';
import { SYSTEM_ACTOR, type Role } from '../../domain/shared/actor';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { envelopes } from '../contract/suites/event-fixtures';
import { entityBody } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Idempotency keys with real accounts and tokens (issue 11, findings 1 and 2; decision 0010): a key is the
 * caller's own and one command type's; a retry gets the first answer, another body a 422, and nobody else's
 * data or a system reaction is ever reached through a key.
 */
const PASSWORD = 'Idem-Pass-2026';
type Headers = Record<string, string>;

describe('idempotency keys (tokens)', () => {
  let t: TestApp;
  let admin: Headers;
  let sdProvince: Headers;
  let hainan: { headers: Headers; entityId: string; lot: string };
  let shandong: { headers: Headers; entityId: string; lot: string };
  const head = () => t.platform.adapters.eventStore.headPosition();
  const lotBody = (entityId: string, amount = 5) => ({ entityId, baseId: 'B1', product: '豇豆', quantity: { amount, unit: 'kg' }, productionDate: '2026-11-20' });
  const offLedger = (fromTraceCode: string, amount = 1) => ({ fromTraceCode, quantity: { amount, unit: 'kg' }, to: { kind: 'unregistered', name: '路边摊' } });

  beforeAll(async () => {
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '1000', RATE_LIMIT_PUBLIC_PER_MIN: '100000' });
    await ensureBootstrapAdmin(t.platform, argon2Hasher, PASSWORD);
    const login = async (username: string, password: string): Promise<Headers> => {
      const res = await t.http.post('/api/v1/auth/login').send({ username, password }).expect(200);
      const first = { Authorization: `Bearer ${res.body.token}` };
      if (!res.body.account.mustChangePassword) return first;
      // An initial password (chosen by the creating admin) opens only /auth/password until the owner sets theirs.
      const changed = await t.http.post('/api/v1/auth/password').set(first).send({ currentPassword: password, newPassword: `${password}-own` }).expect(200);
      return { Authorization: `Bearer ${changed.body.token}` };
    };
    admin = await login('admin', PASSWORD);
    const create = async (by: Headers, username: string, role: Role, regionCode: string) => {
      await t.http.post('/api/v1/accounts').set(by).send({ username, password: PASSWORD, displayName: username, role, regionCode, orgName: username }).expect(201);
      return login(username, PASSWORD);
    };
    const hnProvince = await create(admin, 'idem-hn-province', 'province-admin', '46');
    sdProvince = await create(admin, 'idem-sd-province', 'province-admin', '37');
    const ledongCounty = await create(await create(hnProvince, 'idem-hn-city', 'city-admin', '4690'), 'idem-ledong', 'county-admin', '469027');
    const qixiaCounty = await create(await create(sdProvince, 'idem-yt-city', 'city-admin', '3706'), 'idem-qixia', 'county-admin', '370686');

    const producer = async (county: Headers, overrides: Record<string, unknown>) => {
      const entityId = (await t.http.post('/api/v1/entities').send(entityBody(overrides)).expect(201)).body.entityId as string;
      const approval = (await t.http.post(`/api/v1/entities/${entityId}/approve`).set(county).send({}).expect(200)).body;
      const headers = await login(approval.account.username, approval.account.initialPassword);
      const lot = (await t.http.post('/api/v1/lots').set(headers).send(lotBody(entityId, 100)).expect(201)).body.traceCode as string;
      return { headers, entityId, lot };
    };
    hainan = await producer(ledongCounty, {});
    shandong = await producer(qixiaCounty, {
      name: '栖霞苹果合作社',
      regionCode: '370686',
      address: '山东省烟台市栖霞市',
      creditCode: '93370686MA3C4K1X0' + creditCodeCheckChar('93370686MA3C4K1X0'),
      products: ['苹果'],
      bases: [{ name: '栖霞苹果园', regionCode: '370686', address: '栖霞市松山街道', lat: 37.3, lon: 120.8, areaMu: 300, products: ['苹果'] }],
    });
  });
  afterAll(async () => t.close());

  describe('finding 1: a key never returns another command’s data', () => {
    it('the bootstrap admin’s command id, sent on a task route by a Shandong admin, runs that admin’s own command (404), with no password hash', async () => {
      const res = await t.http.post('/api/v1/tasks/x/spot-check-selection').set(sdProvince).send({ count: 1, commandId: 'bootstrap-admin' });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
    });

    it('a Hainan producer’s key, sent by a Shandong admin, finds nothing of the Hainan lot', async () => {
      const key = 'hainan-lot-key-0001';
      const lot = (await t.http.post('/api/v1/lots').set(hainan.headers).send({ ...lotBody(hainan.entityId), commandId: key }).expect(201)).body;
      const res = await t.http.post('/api/v1/tasks/x/spot-check-selection').set(sdProvince).send({ count: 1, commandId: key });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(lot.traceCode);
    });
  });

  describe('finding 2: keys are scoped to the caller and the command type', () => {
    it('another caller’s key runs the second caller’s own shipment', async () => {
      const key = 'shared-ship-key-01';
      const first = (await t.http.post('/api/v1/transfers').set(hainan.headers).send({ ...offLedger(hainan.lot), commandId: key }).expect(201)).body;
      const second = (await t.http.post('/api/v1/transfers').set(shandong.headers).send({ ...offLedger(shandong.lot), commandId: key }).expect(201)).body;
      expect(second).toMatchObject({ duplicate: false, fromTraceCode: shandong.lot });
      expect(second.transferId).not.toBe(first.transferId);
      const shipped = await t.http.get(`/api/v1/transfers/${second.transferId}`).set(shandong.headers).expect(200);
      expect(shipped.body.fromTraceCode).toBe(shandong.lot);
    });

    it('the same caller, key and body again: the identical answer with duplicate:true, nothing appended', async () => {
      const body = { ...offLedger(hainan.lot), commandId: 'retry-ship-key-01' };
      const first = (await t.http.post('/api/v1/transfers').set(hainan.headers).send(body).expect(201)).body;
      const before = await head();
      const again = (await t.http.post('/api/v1/transfers').set(hainan.headers).send(body).expect(201)).body;
      expect(again).toEqual({ ...first, duplicate: true });
      expect(await head()).toBe(before);
    });

    it('the same key with another body: 422 IDEMPOTENCY_KEY_REUSED naming the key, nothing appended', async () => {
      await t.http.post('/api/v1/transfers').set(hainan.headers).send({ ...offLedger(hainan.lot, 1), commandId: 'reused-ship-key-1' }).expect(201);
      const before = await head();
      const res = await t.http.post('/api/v1/transfers').set(hainan.headers).send({ ...offLedger(hainan.lot, 2), commandId: 'reused-ship-key-1' }).expect(422);
      expect(res.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_REUSED', details: { field: 'commandId' } });
      expect(await head()).toBe(before);
    });

    it('the same Idempotency-Key header with another body is refused naming the header', async () => {
      const key = { 'Idempotency-Key': 'header-ship-key-01' };
      await t.http.post('/api/v1/transfers').set({ ...hainan.headers, ...key }).send(offLedger(hainan.lot, 1)).expect(201);
      const res = await t.http.post('/api/v1/transfers').set({ ...hainan.headers, ...key }).send(offLedger(hainan.lot, 3)).expect(422);
      expect(res.body).toMatchObject({ error: 'IDEMPOTENCY_KEY_REUSED', details: { field: 'Idempotency-Key' } });
    });

    it('the same key on another route is that route’s own command (not a 500, not the first answer)', async () => {
      const key = 'cross-route-key-01';
      const lot = (await t.http.post('/api/v1/lots').set(hainan.headers).send({ ...lotBody(hainan.entityId), commandId: key }).expect(201)).body;
      const shipment = (await t.http.post('/api/v1/transfers').set(hainan.headers).send({ ...offLedger(lot.traceCode), commandId: key }).expect(201)).body;
      expect(shipment).toMatchObject({ duplicate: false, fromTraceCode: lot.traceCode, status: 'closed' });
    });

    it('an anonymous applicant’s retry is a duplicate; the same key with another application is refused', async () => {
      const application = { ...entityBody(), commandId: 'anon-apply-key-01' };
      const first = (await t.http.post('/api/v1/entities').send(application).expect(201)).body;
      const again = (await t.http.post('/api/v1/entities').send(application).expect(201)).body;
      expect(again).toEqual({ ...first, duplicate: true });
      const other = await t.http.post('/api/v1/entities').send({ ...entityBody(), commandId: 'anon-apply-key-01' }).expect(422);
      expect(other.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('system commands are out of the clients’ reach', () => {
    it('a client key equal to a reaction’s key (raise-<warningId>, with or without system:) does not pre-empt the reaction', async () => {
      const transfer = (await t.http.post('/api/v1/transfers').set(hainan.headers).send(offLedger(hainan.lot)).expect(201)).body;
      const warningId = transferUnconfirmedWarningId(transfer.transferId);
      for (const key of [`raise-${warningId}`, `system:raise-${warningId}`])
        await t.http.post('/api/v1/lots').set(hainan.headers).send({ ...lotBody(hainan.entityId), commandId: key }).expect(201);
      const raised = await raiseWarning(
        t.platform.ledger,
        t.platform.clock,
        {
          warningId,
          rule: { ...DEFAULT_RULES.find((r) => r.ruleId === 'transfer-unconfirmed')!, source: 'default' },
          subject: { kind: 'transfer', regionCode: '469027', traceCode: hainan.lot, entityId: hainan.entityId, entityName: null, product: '豇豆', transferId: transfer.transferId, sampleId: null },
          reason: '交易超过72小时未确认',
          cause: { kind: 'transfer', ref: transfer.transferId, sampleId: null, sourceTraceCode: null, sourceWarningId: null },
          hold: false,
          evidence: {},
        },
        { actor: SYSTEM_ACTOR },
      );
      expect(raised).toBe(true);
      const stream = await t.platform.adapters.eventStore.readStream(`warning-${warningId}`);
      expect(stream.map((e) => e.type)).toEqual(['WarningRaised']);
    });

    it('a client key equal to the sealer’s (seal-checkpoint-N) does not stop the checkpoint', async () => {
      for (const key of ['seal-checkpoint-1', 'system:seal-checkpoint-1', 'seal-checkpoint-2', 'system:seal-checkpoint-2'])
        await t.http.post('/api/v1/lots').set(hainan.headers).send({ ...lotBody(hainan.entityId), commandId: key }).expect(201);
      // The seal still happens: one signed tree head (decision 0018) over the whole log, the client lots included.
      const sealed = (await t.http.post('/api/v1/audit/checkpoints').set(admin).send({}).expect(200)).body.sealed;
      expect(sealed).toHaveLength(1);
      expect(sealed[0].treeSize).toBe(await t.platform.adapters.eventStore.headPosition() - 1);
      const checkpoints = await t.platform.adapters.eventStore.readStream('ledger-checkpoints');
      expect(checkpoints.map((e) => e.type)).toContain('TreeHeadSealed');
    });
  });

  describe('batch items follow the same rules', () => {
    const batch = (headers: Headers, commands: object[]) => t.http.post('/api/v1/batch').set(headers).send({ commands }).expect(200);

    it('an item and a single request with the same key, caller and body are one command', async () => {
      const body = lotBody(hainan.entityId, 7);
      const item = (await batch(hainan.headers, [{ commandId: 'batch-lot-key-001', type: 'createLot', payload: body }])).body.results[0];
      expect(item).toMatchObject({ status: 'ok', duplicate: false });
      const single = (await t.http.post('/api/v1/lots').set(hainan.headers).send({ ...body, commandId: 'batch-lot-key-001' }).expect(201)).body;
      expect(single).toMatchObject({ duplicate: true, traceCode: item.result.traceCode });
    });

    it('another caller’s item with the same key runs its own command', async () => {
      const mine = (await batch(hainan.headers, [{ commandId: 'batch-shared-key-1', type: 'createLot', payload: lotBody(hainan.entityId) }])).body.results[0];
      const theirs = (await batch(shandong.headers, [{ commandId: 'batch-shared-key-1', type: 'createLot', payload: { ...lotBody(shandong.entityId), product: '苹果' } }])).body.results[0];
      expect(theirs).toMatchObject({ status: 'ok', duplicate: false });
      expect(theirs.result.traceCode).not.toBe(mine.result.traceCode);
    });

    it('the same key with another payload is refused, inside one batch and across batches, appending nothing for it', async () => {
      const res = await batch(hainan.headers, [
        { commandId: 'batch-reuse-key-01', type: 'createLot', payload: lotBody(hainan.entityId, 1) },
        { commandId: 'batch-reuse-key-01', type: 'createLot', payload: lotBody(hainan.entityId, 2) },
      ]);
      expect(res.body.results.map((r: any) => r.status === 'ok' || r.error.code)).toEqual([true, 'IDEMPOTENCY_KEY_REUSED']);
      expect(res.body.results[1].error).toMatchObject({ httpStatus: 422, field: 'commandId' });
      const before = await head();
      const later = await batch(hainan.headers, [{ commandId: 'batch-reuse-key-01', type: 'createLot', payload: lotBody(hainan.entityId, 3) }]);
      expect(later.body.results[0].error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', httpStatus: 422 });
      expect(await head()).toBe(before);
    });
  });
});

describe('a ledger from before decision 0010', () => {
  it('opens (the fingerprint column is added) and its commands read with no fingerprint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-old-ledger-'));
    const file = path.join(dir, 'events.sqlite');
    try {
      // The commands table as it was: no fingerprint column.
      const old = new SqliteEventStore(file);
      await old.append([{ streamId: 'lot-old', expectedRevision: 'no_stream', events: envelopes('lot-old', 0, 'demo-0011', [{ type: 'LotCreated' }]) }], 'demo-0011');
      await old.close();
      const db = new Database(file);
      db.exec('ALTER TABLE commands DROP COLUMN fingerprint');
      db.close();

      const reopened = new SqliteEventStore(file);
      try {
        expect(await reopened.readCommand('demo-0011')).toMatchObject({ fingerprint: null, events: [{ streamId: 'lot-old' }] });
        await reopened.append([{ streamId: 'lot-new', expectedRevision: 'no_stream', events: envelopes('lot-new', 0, 'client:x', [{ type: 'LotCreated' }]) }], 'client:x', 'fp');
        expect((await reopened.readCommand('client:x'))!.fingerprint).toBe('fp');
      } finally {
        await reopened.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
