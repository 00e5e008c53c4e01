import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { RunBatchCommand, RunBatchHandler, type BatchItem } from '../../application/batch/run-batch';
import { clientCommandId } from '../../application/ledger/idempotency';
import { ConcurrencyError, type CommandAppend, type EventStore } from '../../application/ports/event-store';
import { ShipCommand } from '../../application/transfers/ship';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { parseBatchPayload } from '../../infrastructure/http/batch/batch.schemas';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { envelopes } from '../contract/suites/event-fixtures';
import { createLot, entityBody, registeredEntity } from './support/fixtures';
import { asProducer, startTestApp, type TestApp } from './support/test-app';

/** A command appending `types` to one stream that must be at `expected` (revisions follow from it). */
function command(commandId: string, streamId: string, expected: number | 'no_stream', types: string[]): CommandAppend {
  const first = expected === 'no_stream' ? 0 : expected + 1;
  return { commandId, appends: [{ streamId, expectedRevision: expected, events: envelopes(streamId, first, commandId, types.map((type) => ({ type }))) }] };
}

describe('SqliteEventStore.appendMany (group commit)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-append-many-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes commands in order; a failing command leaves no trace and does not stop the next ones', async () => {
    const results = await store.appendMany([
      command('cmd-one-0001', 'lot-a', 'no_stream', ['Created']),
      command('cmd-two-0002', 'lot-a', 'no_stream', ['Created']), // lot-a exists by now → conflict
      command('cmd-three-003', 'lot-a', 0, ['Reserved']), // sees the first command's write
      command('cmd-four-0004', 'lot-b', 'no_stream', ['Created', 'Reserved']),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    const failed = results[1]!;
    expect(!failed.ok && failed.error).toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream('lot-a')).map((e) => [e.type, e.commandId])).toEqual([
      ['Created', 'cmd-one-0001'],
      ['Reserved', 'cmd-three-003'],
    ]);
    expect(await store.readByCommandId('cmd-two-0002')).toBeNull();
    expect((await store.readStream('lot-b')).map((e) => e.revision)).toEqual([0, 1]);
    // Positions grow in command order, like separate appends would.
    const positions = results.flatMap((r) => (r.ok ? r.result.events.map((e) => e.position) : []));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('rolls a multi-stream command back whole when a later part of it conflicts (savepoint)', async () => {
    await store.append(command('seed-cmd-01', 'lot-c', 'no_stream', ['Created']).appends, 'seed-cmd-01');
    const torn: CommandAppend = {
      commandId: 'cmd-torn-001',
      appends: [
        { streamId: 'transfer-1', expectedRevision: 'no_stream', events: envelopes('transfer-1', 0, 'cmd-torn-001', [{ type: 'Initiated' }]) },
        { streamId: 'lot-c', expectedRevision: 5, events: envelopes('lot-c', 6, 'cmd-torn-001', [{ type: 'Reserved' }]) },
      ],
    };
    const results = await store.appendMany([torn, command('cmd-after-01', 'lot-d', 'no_stream', ['Created'])]);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(await store.streamRevision('transfer-1')).toBe('no_stream');
    expect(await store.readStream('transfer-1')).toEqual([]);
    expect(await store.streamRevision('lot-d')).toBe(0);
  });

  it('is idempotent by commandId, within one group and across groups', async () => {
    const first = await store.appendMany([command('cmd-idem-001', 'lot-e', 'no_stream', ['Created'])]);
    const again = await store.appendMany([
      command('cmd-idem-001', 'lot-e', 'no_stream', ['Created']),
      command('cmd-idem-002', 'lot-f', 'no_stream', ['Created']),
      command('cmd-idem-002', 'lot-f', 'no_stream', ['Created']),
    ]);
    expect(again.map((r) => r.ok && r.result.duplicate)).toEqual([true, false, true]);
    const original = first[0]!.ok ? first[0]!.result.events : [];
    expect(again[0]!.ok && again[0]!.result.events).toEqual(original);
    expect(await store.headPosition()).toBe(2);
  });

  it('treats a part without events as a pure revision check', async () => {
    await store.append(command('seed-cmd-02', 'entity-1', 'no_stream', ['Applied']).appends, 'seed-cmd-02');
    const check = (commandId: string, expected: number, target: string): CommandAppend => ({
      commandId,
      appends: [{ streamId: 'entity-1', expectedRevision: expected, events: [] }, ...command(commandId, target, 'no_stream', ['Created']).appends],
    });
    const results = await store.appendMany([check('cmd-check-01', 0, 'lot-g'), check('cmd-check-02', 3, 'lot-h')]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(await store.streamRevision('entity-1')).toBe(0);
    expect(await store.streamRevision('lot-h')).toBe('no_stream');
  });

  it('wakes subscribers once the group is committed', async () => {
    const seen: string[] = [];
    let bothSeen!: () => void;
    const delivered = new Promise<void>((resolve) => (bothSeen = resolve));
    const sub = store.subscribe({
      afterPosition: 0,
      onEvents: async (events) => {
        seen.push(...events.map((e) => e.commandId));
        if (seen.length >= 2) bothSeen();
      },
    });
    await store.appendMany([command('cmd-sub-0001', 'lot-i', 'no_stream', ['Created']), command('cmd-sub-0002', 'lot-j', 'no_stream', ['Created'])]);
    await delivered; // bounded by the test's timeout, not by a guess at how fast delivery is
    await sub.close();
    expect(seen).toEqual(['cmd-sub-0001', 'cmd-sub-0002']);
  });
});

const SYSTEM = { 'X-Role': 'system', 'X-Org-Id': 'platform', 'X-User-Id': 'provincial-platform' };
/** The id an item's key is stored under: scoped to the caller and the command type (decision 0010). */
const storedAs = (key: string, commandType: string, userId = 'provincial-platform') => clientCommandId({ ...SYSTEM_ACTOR, userId }, commandType, key);
const lotPayload = (entityId: unknown, amount = 100) => ({ entityId, baseId: 'B1', product: '豇豆', quantity: { amount, unit: 'kg' }, productionDate: '2026-11-20' });
const ref = (commandId: string, field: string) => ({ $ref: `${commandId}/${field}` });

/** A provincial platform's upload: two producers registered and approved, a lot, a hand-over and a market entry — each item using earlier results. */
function chainBatch(tag: string) {
  const id = (s: string) => `${tag}-${s}`;
  return [
    { commandId: id('apply-a'), type: 'applyForRegistration', payload: entityBody() },
    { commandId: id('apply-b'), type: 'applyForRegistration', payload: entityBody() },
    { commandId: id('approve-a'), type: 'approveRegistration', payload: { entityId: ref(id('apply-a'), 'entityId') } },
    { commandId: id('approve-b'), type: 'approveRegistration', payload: { entityId: ref(id('apply-b'), 'entityId') } },
    { commandId: id('lot'), type: 'createLot', payload: lotPayload(ref(id('apply-a'), 'entityId')) },
    { commandId: id('ship'), type: 'ship', payload: { fromTraceCode: ref(id('lot'), 'traceCode'), quantity: { amount: 30, unit: 'kg' }, to: { kind: 'registered', eid: ref(id('approve-b'), 'eid') } } },
    { commandId: id('confirm'), type: 'confirmTransfer', payload: { transferId: ref(id('ship'), 'transferId') } },
    { commandId: id('market'), type: 'issueMarketEntry', payload: { traceCode: ref(id('confirm'), 'childTraceCode'), market: { name: '海口南北水果市场', kind: 'wholesale', regionCode: '460105' }, quantity: { amount: 10, unit: 'kg' } } },
  ];
}

describe('POST /api/v1/batch', () => {
  let t: TestApp;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestApp({ BATCH_MAX_COMMANDS: '20' });
    store = t.platform.adapters.eventStore;
  });
  afterAll(async () => t.close());

  it('applies items in order, a later item using the result of an earlier one, and waits for the read models', async () => {
    const res = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands: chainBatch('chain1') }).expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(Array(8).fill('ok'));
    expect(res.body).toMatchObject({ total: 8, succeeded: 8, failed: 0, rounds: 1, readModelsCaughtUp: true });
    const [, , , approvalB, lot, shipment, confirmation, market] = res.body.results.map((r: { result: Record<string, unknown> }) => r.result);
    expect(shipment.fromTraceCode).toBe(lot.traceCode);
    expect(market.traceCode).toBe(confirmation.childTraceCode);
    // Positions follow item order: the batch is one log, not a shuffle.
    const positions = res.body.results.map((r: { position: number }) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const child = await t.http.get(`/api/v1/lots/${confirmation.childTraceCode}`).set(SYSTEM).expect(200);
    expect(child.body).toMatchObject({ parentTraceCode: lot.traceCode, holder: { eid: approvalB.eid } });
    const source = await t.http.get(`/api/v1/lots/${lot.traceCode}`).set(SYSTEM).expect(200);
    expect(source.body).toMatchObject({ available: 70, unit: 'kg' });
  });

  it('is idempotent: resending the batch appends nothing and returns the same results', async () => {
    const batch = chainBatch('chain2');
    const first = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands: batch }).expect(200);
    const head = await store.headPosition();
    const again = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands: batch }).expect(200);
    expect(await store.headPosition()).toBe(head);
    expect(again.body.results.every((r: { status: string; duplicate: boolean }) => r.status === 'ok' && r.duplicate)).toBe(true);
    // The same answers, position for position (the one-time initial password is only ever shown once).
    const strip = (results: { result: { account?: { initialPassword?: string } } }[]) =>
      results.map(({ result, ...rest }) => ({ ...rest, duplicate: undefined, result: { ...result, account: result.account && { ...result.account, initialPassword: undefined } } }));
    expect(strip(again.body.results)).toEqual(strip(first.body.results));
  });

  it('mixed good and bad items: each bad item fails alone, naming its field, and appends nothing', async () => {
    const producer = await registeredEntity(t);
    const lot = await createLot(t, producer.entityId, 100);
    const head = await store.headPosition();
    const commands = [
      { commandId: 'mixed-good-apply', type: 'applyForRegistration', payload: entityBody() },
      { commandId: 'mixed-bad-lat-01', type: 'applyForRegistration', payload: entityBody({ bases: [{ name: 'x', regionCode: '469027', address: 'y', lat: 95, lon: 108.7, products: ['豇豆'] }] }) },
      { commandId: 'mixed-bad-type-01', type: 'launchRocket', payload: {} },
      { type: 'createLot', payload: lotPayload(producer.entityId) },
      { commandId: 'mixed-no-entity-1', type: 'createLot', payload: lotPayload('no-such-entity') },
      { commandId: 'mixed-over-ship-1', type: 'ship', payload: { fromTraceCode: lot, quantity: { amount: 500, unit: 'kg' }, to: { kind: 'unregistered', name: '路边摊' } } },
      { commandId: 'mixed-dependent-1', type: 'approveRegistration', payload: { entityId: ref('mixed-bad-lat-01', 'entityId') } },
      { commandId: 'mixed-dangling-1', type: 'approveRegistration', payload: { entityId: ref('never-sent-item', 'entityId') } },
      { commandId: 'mixed-good-ship-1', type: 'ship', payload: { fromTraceCode: lot, quantity: { amount: 40, unit: 'kg' }, to: { kind: 'unregistered', name: '路边摊' } } },
    ];
    const res = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands }).expect(200);
    const summary = res.body.results.map((r: any) => (r.status === 'ok' ? 'ok' : `${r.error.httpStatus} ${r.error.code} ${r.error.field}`));
    expect(summary).toEqual([
      'ok',
      '400 VALIDATION_FAILED payload.bases.0.lat',
      '400 VALIDATION_FAILED type',
      '400 VALIDATION_FAILED commandId',
      '404 NOT_FOUND null',
      '409 INSUFFICIENT_QUANTITY null',
      '409 DEPENDENCY_FAILED payload.entityId',
      '400 VALIDATION_FAILED payload.entityId',
      'ok',
    ]);
    expect(res.body).toMatchObject({ total: 9, succeeded: 2, failed: 7 });
    for (const bad of ['mixed-bad-lat-01', 'mixed-bad-type-01', 'mixed-no-entity-1', 'mixed-over-ship-1', 'mixed-dependent-1', 'mixed-dangling-1'])
      for (const type of ['ApplyForRegistrationCommand', 'CreateLotCommand', 'ShipCommand']) expect(await store.readByCommandId(storedAs(bad, type))).toBeNull();
    // Only the two good items wrote: one RegistrationApplied, one off-ledger shipment (lot + transfer).
    const written = await store.readAll({ afterPosition: head, maxCount: 100 });
    expect(written.map((e) => e.commandId).sort()).toEqual(
      [storedAs('mixed-good-apply', 'ApplyForRegistrationCommand'), storedAs('mixed-good-ship-1', 'ShipCommand'), storedAs('mixed-good-ship-1', 'ShipCommand')].sort(),
    );
  });

  it('an item repeated inside one batch is written once and answers like a retry', async () => {
    const apply = { commandId: 'twice-in-one-batch', type: 'applyForRegistration', payload: entityBody() };
    const res = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands: [apply, apply] }).expect(200);
    const [first, second] = res.body.results;
    expect([first.duplicate, second.duplicate]).toEqual([false, true]);
    expect(second.result).toEqual(first.result);
    expect(second.position).toBe(first.position);
    expect(await store.readByCommandId(storedAs('twice-in-one-batch', 'ApplyForRegistrationCommand'))).toHaveLength(1);
  });

  it('refuses a batch above BATCH_MAX_COMMANDS with 413 naming the field, and appends nothing', async () => {
    const head = await store.headPosition();
    const commands = Array.from({ length: 21 }, (_, i) => ({ commandId: `too-many-${String(i).padStart(3, '0')}`, type: 'applyForRegistration', payload: entityBody() }));
    const res = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands }).expect(413);
    expect(res.body).toMatchObject({ error: 'TOO_MANY_COMMANDS', details: { field: 'commands', max: 20, received: 21 } });
    expect(await store.headPosition()).toBe(head);
    const empty = await t.http.post('/api/v1/batch').set(SYSTEM).send({ commands: [] }).expect(400);
    expect(empty.body.details.field).toBe('commands');
  });

  it('checks each item against the permission of its own route (and logs the refusal)', async () => {
    const producer = await registeredEntity(t);
    const pending = (await t.http.post('/api/v1/entities').send(entityBody()).expect(201)).body.entityId;
    const res = await t.http
      .post('/api/v1/batch')
      .set(asProducer(producer.entityId))
      .send({
        commands: [
          { commandId: 'perm-own-lot-001', type: 'createLot', payload: lotPayload(producer.entityId) },
          { commandId: 'perm-approve-001', type: 'approveRegistration', payload: { entityId: pending } },
          { commandId: 'perm-other-lot-01', type: 'createLot', payload: lotPayload(pending) },
        ],
      })
      .expect(200);
    const summary = res.body.results.map((r: any) => (r.status === 'ok' ? 'ok' : `${r.error.httpStatus} ${r.error.code}`));
    expect(summary).toEqual(['ok', '403 NOT_ALLOWED', '403 NOT_HOLDER']);
    const access = await store.listStreams(`access-u-${producer.entityId}`, null, 10);
    const logged = (await Promise.all(access.map((s) => store.readStream(s)))).flat();
    expect(logged.some((e) => e.type === 'AccessDenied' && String(e.data.denied).includes('2 item(s) refused'))).toBe(true);
  });
});

describe('POST /api/v1/batch with tokens', () => {
  it('needs a signed-in caller', async () => {
    const t = await startTestApp({ AUTH: 'tokens' });
    try {
      await t.http.post('/api/v1/batch').send({ commands: [{ commandId: 'anon-apply-001', type: 'applyForRegistration', payload: entityBody() }] }).expect(401);
      expect(await t.platform.adapters.eventStore.readByCommandId(storedAs('anon-apply-001', 'ApplyForRegistrationCommand', 'anonymous'))).toBeNull();
    } finally {
      await t.close();
    }
  });
});

describe('RunBatchHandler: group commit against concurrent writers and without appendMany', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const handlerOver = (store: EventStore) => new RunBatchHandler(store, t.platform.clock, t.platform.ids, t.platform.settings, argon2Hasher, t.platform.credentials);
  const run = (store: EventStore, items: BatchItem[]) =>
    handlerOver(store).execute(new RunBatchCommand({ items, parse: parseBatchPayload }, { commandId: `batch-${items[0]!.commandId}`, actor: SYSTEM_ACTOR }));

  it('decides again (next round) the items a concurrent writer spoiled, and those that relied on them', async () => {
    const a = await registeredEntity(t);
    const b = await registeredEntity(t);
    const lot = await createLot(t, a.entityId, 100);
    const real = t.platform.adapters.eventStore;
    let interfered = false;
    // Between the batch's decisions and its group commit, another request ships 50 kg of the same lot.
    const racing: EventStore = Object.create(real);
    racing.appendMany = async (commands) => {
      if (!interfered) {
        interfered = true;
        await t.app.get(CommandBus).execute(new ShipCommand({ fromTraceCode: lot, quantity: { amount: 50, unit: 'kg' }, to: { kind: 'unregistered', name: '抢先的买家' } }, { commandId: 'racing-ship-0001', actor: SYSTEM_ACTOR }));
      }
      return real.appendMany!(commands);
    };
    const outcome = await run(racing, [
      { commandId: 'race-ship-000001', type: 'ship', payload: { fromTraceCode: lot, quantity: { amount: 30, unit: 'kg' }, to: { kind: 'registered', eid: b.eid } } },
      { commandId: 'race-confirm-0001', type: 'confirmTransfer', payload: { transferId: ref('race-ship-000001', 'transferId') } },
      { commandId: 'race-ship-000002', type: 'ship', payload: { fromTraceCode: lot, quantity: { amount: 30, unit: 'kg' }, to: { kind: 'registered', eid: b.eid } } },
      { commandId: 'race-unrelated-01', type: 'applyForRegistration', payload: entityBody() },
    ]);
    expect(outcome.rounds).toBe(2);
    // 100 kg: 50 to the racing buyer, 30 shipped and confirmed; the second 30 no longer fits.
    expect(outcome.items.map((r) => (r.ok ? 'ok' : (r.error as { code?: string }).code))).toEqual(['ok', 'ok', 'INSUFFICIENT_QUANTITY', 'ok']);
    const events = await real.readStream(`lot-${lot}`);
    const system = (key: string, type: string) => clientCommandId(SYSTEM_ACTOR, type, key);
    expect(events.filter((e) => e.commandId === system('race-ship-000002', 'ShipCommand'))).toEqual([]);
    expect(events.map((e) => e.commandId)).toEqual(
      expect.arrayContaining(['racing-ship-0001', system('race-ship-000001', 'ShipCommand'), system('race-confirm-0001', 'ConfirmTransferCommand')]),
    );
  });

  it('falls back to one append per command when the adapter has no appendMany', async () => {
    const real = t.platform.adapters.eventStore;
    const plain: EventStore = Object.create(real);
    plain.appendMany = undefined;
    const items = chainBatch('fallback') as BatchItem[];
    const outcome = await run(plain, items);
    expect(outcome.items.every((r) => r.ok)).toBe(true);
    // The very same items again (a retry: same keys, same payloads).
    const again = await run(plain, items);
    expect(again.items.map((r) => r.ok && r.duplicate)).toEqual(Array(8).fill(true));
  });
});
