import { IdempotencyKeyReusedError, fingerprintKey, scopeMeta } from '../../../../application/ledger/idempotency';
import { Ledger, type CommandMeta, type StreamWrite } from '../../../../application/ledger/ledger';
import { dataOf, runCommand } from '../../../../application/ledger/run-command';
import type { EventStore } from '../../../../application/ports/event-store';
import type { Actor } from '../../../../domain/shared/actor';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';

/**
 * runCommand's idempotency (decision 0010), over a real SQLite store: a replay is the first answer only for
 * the same request; another request with the key, or stored events of another command, are a clean 422.
 */
const PRODUCER: Actor = { userId: 'u-hainan', orgId: 'e-hainan', role: 'producer', regionCode: '469027' };
const KEY = fingerprintKey('test-installation-secret');

/** The meta the gateway builds for a request with key `key`, scoped to `type` and `input`. */
const requestMeta = (key: string, type: string, input: unknown, actor = PRODUCER): CommandMeta =>
  scopeMeta({ commandId: systemIds.uuid(), clientKey: { key, field: 'commandId' }, actor }, type, input, KEY);

describe('runCommand: idempotent replays', () => {
  let store: SqliteEventStore;
  let ledger: Ledger;
  let decisions: number;
  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
    ledger = new Ledger(store, systemClock, systemIds);
    decisions = 0;
  });
  afterEach(async () => store.close());

  /** A command creating `lot-{name}` with a LotCreated event; its result is that event's data. */
  const createLot = (meta: CommandMeta, name: string) =>
    runCommand(
      ledger,
      meta,
      async (): Promise<StreamWrite[]> => {
        decisions++;
        return [{ stream: ledger.fresh(`lot-${name}`), events: [{ type: 'LotCreated', data: { name } }] }];
      },
      (events) => dataOf<{ name: string }>(events, 'LotCreated'),
    );

  it('given a request done once, the same request again gets the same answer, duplicate, without deciding or appending', async () => {
    const meta = requestMeta('retry-key-001', 'CreateLotCommand', { name: 'a' });
    const first = await createLot(meta, 'a');
    const head = await store.headPosition();
    const again = await createLot(requestMeta('retry-key-001', 'CreateLotCommand', { name: 'a' }), 'a');
    expect(again).toEqual({ ...first, duplicate: true });
    expect(first.duplicate).toBe(false);
    expect(decisions).toBe(1);
    expect(await store.headPosition()).toBe(head);
  });

  it('given a key used once, the same key with another body is IDEMPOTENCY_KEY_REUSED naming the key, and appends nothing', async () => {
    await createLot(requestMeta('reused-key-01', 'CreateLotCommand', { name: 'a' }), 'a');
    const head = await store.headPosition();
    const reuse = createLot(requestMeta('reused-key-01', 'CreateLotCommand', { name: 'b' }), 'b');
    await expect(reuse).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { field: 'commandId', reason: 'other-request' } });
    expect(decisions).toBe(1);
    expect(await store.headPosition()).toBe(head);
  });

  it('given the same key, another caller or another command type runs its own command', async () => {
    const mine = await createLot(requestMeta('shared-key-01', 'CreateLotCommand', { name: 'a' }), 'a');
    const other: Actor = { ...PRODUCER, userId: 'u-shandong', regionCode: '370686' };
    const theirs = await createLot(requestMeta('shared-key-01', 'CreateLotCommand', { name: 'a' }, other), 'a-sd');
    const anotherType = await createLot(requestMeta('shared-key-01', 'RegisterLotCommand', { name: 'a' }), 'a-type');
    expect([theirs.duplicate, anotherType.duplicate]).toEqual([false, false]);
    expect(new Set([mine.position, theirs.position, anotherType.position]).size).toBe(3);
    expect(decisions).toBe(3);
  });

  it('given stored events the result cannot be derived from (another command under the id), a replay is a 422, not an internal error', async () => {
    const system: CommandMeta = { commandId: 'system:legacy-0001', actor: PRODUCER };
    await runCommand(ledger, system, async () => [{ stream: ledger.fresh('account-x'), events: [{ type: 'AccountCreated', data: { secret: 'x' } }] }], () => null);
    const replay = createLot(system, 'a');
    await expect(replay).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { reason: 'other-command' } });
    await expect(replay).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('given a key that another request appended between the lookup and the append, a different body is still refused', async () => {
    // The racing request wins: its command is in the store, but our lookup ran before it (readCommand → null).
    const racing = requestMeta('race-key-0001', 'CreateLotCommand', { name: 'first' });
    await createLot(racing, 'first');
    const blind: EventStore = Object.create(store);
    blind.readCommand = async () => null;
    const lateLedger = new Ledger(blind, systemClock, systemIds);
    const late = runCommand(
      lateLedger,
      requestMeta('race-key-0001', 'CreateLotCommand', { name: 'second' }),
      async () => [{ stream: lateLedger.fresh('lot-second'), events: [{ type: 'LotCreated', data: { name: 'second' } }] }],
      (events) => dataOf(events, 'LotCreated'),
    );
    await expect(late).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await store.readStream('lot-second')).toEqual([]);
  });

  it('refuses a meta whose client key was never scoped, and appends nothing (the raw key never becomes a stored id)', async () => {
    const raw: CommandMeta = { commandId: 'raw-client-key', clientKey: { key: 'raw-client-key', field: 'commandId' }, actor: PRODUCER };
    await expect(createLot(raw, 'a')).rejects.toThrow(/not scoped/);
    expect(await store.headPosition()).toBe(0);
  });
});
