import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../../application/ledger/ledger';
import type { ReadStore } from '../../../application/ports/read-store';
import { SYSTEM_ACTOR } from '../../../domain/shared/actor';
import { SqliteEventStore } from '../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../../../infrastructure/sqlite/sqlite-search-index';
import { systemClock, systemIds } from '../../../infrastructure/system/system-clock';
import type { Projection } from '../../../projections/runner/projection';
import { ProjectionRunner } from '../../../projections/runner/projection-runner';

/** A counting projection: one document per stream with the number of events seen; 'Poison' events throw. */
const counter: Projection = {
  name: 'counter',
  version: 1,
  handles: ['Counted', 'Poison'],
  collections: ['counts'],
  async apply(event, ctx) {
    if (event.type === 'Poison') throw new Error('cannot fold this');
    const doc = await ctx.get('counts', event.streamId);
    ctx.put('counts', { _id: event.streamId, n: ((doc?.n as number) ?? 0) + 1 });
  },
};

describe('ProjectionRunner', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let search: SqliteSearchIndex;
  let ledger: Ledger;
  const errors: string[] = [];
  const log = { info: () => undefined, error: (m: string) => void errors.push(m) };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-runner-'));
    events = new SqliteEventStore(path.join(dir, 'e.sqlite'));
    reads = new SqliteReadStore(path.join(dir, 'r.sqlite'));
    search = new SqliteSearchIndex(path.join(dir, 's.sqlite'));
    ledger = new Ledger(events, systemClock, systemIds);
    errors.length = 0;
  });
  afterEach(async () => {
    await events.close();
    await reads.close();
    await search.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const append = async (streamId: string, type: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const head = await ledger.head(streamId);
      await ledger.commit([{ stream: head, events: [{ type, data: { i } }] }], { commandId: `${streamId}-${type}-${i}-${Math.random()}`, actor: SYSTEM_ACTOR });
    }
  };

  it('given events, when started, then it folds them and keeps up with new ones', async () => {
    await append('s-a', 'Counted', 3);
    const runner = new ProjectionRunner(events, reads, search, [counter], log);
    await runner.start();
    await append('s-a', 'Counted', 2);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect((await reads.get(runner.collection('counts'), 's-a'))?.n).toBe(5);
    await runner.stop();
  });

  it('parks a poison event in the dead-letter list, alerts, and goes on', async () => {
    await append('s-b', 'Counted', 1);
    await append('s-b', 'Poison', 1);
    await append('s-b', 'Counted', 1);
    const runner = new ProjectionRunner(events, reads, search, [counter], log);
    await runner.start();
    expect((await reads.get(runner.collection('counts'), 's-b'))?.n).toBe(2);
    const [status] = await runner.status();
    expect(status!.deadLetters).toBe(1);
    expect(errors.some((e) => e.includes('dead-lettered'))).toBe(true);
    await runner.stop();
  });

  it('when the read store fails, it resubscribes from its checkpoint and catches up without double counting', async () => {
    let failuresLeft = 0;
    const flaky: ReadStore = new Proxy(reads, {
      get(target, prop, receiver) {
        if (prop === 'applyChanges')
          return async (...args: Parameters<ReadStore['applyChanges']>) => {
            if (failuresLeft > 0) {
              failuresLeft--;
              throw new Error('read store unavailable');
            }
            return target.applyChanges(...args);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const runner = new ProjectionRunner(events, flaky, search, [counter], log);
    await runner.start();
    failuresLeft = 2;
    await append('s-c', 'Counted', 4);
    expect(await runner.waitFor(await events.headPosition(), 10_000)).toBe(true);
    expect((await reads.get(runner.collection('counts'), 's-c'))?.n).toBe(4);
    expect(errors.filter((e) => e.includes('resubscribing')).length).toBeGreaterThanOrEqual(1);
    await runner.stop();
  });
});
