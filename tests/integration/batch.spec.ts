import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConcurrencyError, type CommandAppend } from '../../application/ports/event-store';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { envelopes } from '../contract/suites/event-fixtures';

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
    const sub = store.subscribe({ afterPosition: 0, onEvents: async (events) => void seen.push(...events.map((e) => e.commandId)) });
    await store.appendMany([command('cmd-sub-0001', 'lot-i', 'no_stream', ['Created']), command('cmd-sub-0002', 'lot-j', 'no_stream', ['Created'])]);
    for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await sub.close();
    expect(seen).toEqual(['cmd-sub-0001', 'cmd-sub-0002']);
  });
});
