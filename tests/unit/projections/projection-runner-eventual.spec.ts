import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../../application/ledger/ledger';
import { StatisticsProgress } from '../../../application/statistics/statistics-progress';
import { SYSTEM_ACTOR } from '../../../domain/shared/actor';
import { SqliteEventStore } from '../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../../../infrastructure/sqlite/sqlite-search-index';
import { systemClock, systemIds } from '../../../infrastructure/system/system-clock';
import type { Change, ReadStore } from '../../../application/ports/read-store';
import type { Projection, ProjectionContext } from '../../../projections/runner/projection';
import { ProjectionRunner } from '../../../projections/runner/projection-runner';
import { appendEvents } from './support/append-events';

/** A gate the test opens: the eventual projection's fold waits on it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const counting = (name: string, collection: string, extra: Partial<Projection> = {}): Projection => ({
  name,
  version: 1,
  handles: ['Counted'],
  collections: [collection],
  async apply(event, ctx) {
    const doc = await ctx.get(collection, event.streamId);
    ctx.put(collection, { _id: event.streamId, n: ((doc?.n as number) ?? 0) + 1 });
  },
  ...extra,
});

describe('ProjectionRunner: eventual projections (decision 0025)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let search: SqliteSearchIndex;
  let ledger: Ledger;
  const log = { info: () => undefined, error: () => undefined };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-runner-eventual-'));
    events = new SqliteEventStore(path.join(dir, 'e.sqlite'));
    reads = new SqliteReadStore(path.join(dir, 'r.sqlite'));
    search = new SqliteSearchIndex(path.join(dir, 's.sqlite'));
    ledger = new Ledger(events, systemClock, systemIds);
  });
  afterEach(async () => {
    await events.close();
    await reads.close();
    await search.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const append = (streamId: string, type: string, n: number) => appendEvents(ledger, streamId, type, n);
  const progressOf = (runner: ProjectionRunner, name: string, collection: string) =>
    new StatisticsProgress(
      {
        head: () => events.headPosition(),
        checkpoint: () => reads.getCheckpoint(ProjectionRunner.checkpointOf(name, ProjectionRunner.generationOf(runner.collection(collection)))),
        rebuilding: () => runner.rebuildingNames().includes(name),
      },
      10_000,
    );

  it('a command waits for the other projections only; the eventual one folds in its own lane, and its readers wait for its stored checkpoint', async () => {
    const held = gate();
    const slowApply = counting('slow', 'slow_counts').apply;
    const slow = counting('slow', 'slow_counts', {
      consistency: 'eventual',
      async apply(event, ctx) {
        await held.opened;
        await slowApply(event, ctx);
      },
    });
    const runner = new ProjectionRunner(events, reads, search, [counting('fast', 'fast_counts'), slow], log);
    await runner.start();
    await append('s-1', 'Counted', 3);
    const head = await events.headPosition();
    // The eventual projection is held: read-your-writes is not.
    expect(await runner.waitFor(head, 5000)).toBe(true);
    expect((await reads.get(runner.collection('fast_counts'), 's-1'))?.n).toBe(3);
    expect(await reads.get(runner.collection('slow_counts'), 's-1')).toBeNull();
    const progress = progressOf(runner, 'slow', 'slow_counts');
    expect(await progress.waitFor(head, 50)).toBe(false);
    const lagging = (await runner.status()).find((s) => s.name === 'slow')!;
    expect(lagging.lag).toBeGreaterThan(0);
    held.open();
    expect(await progress.caughtUp()).toBe(true);
    expect((await reads.get(runner.collection('slow_counts'), 's-1'))?.n).toBe(3);
    // Events it does not handle: its stored checkpoint follows the head over them, so a reader does not wait in vain.
    await append('s-2', 'Ignored', 2);
    expect(await progress.caughtUp()).toBe(true);
    expect(await reads.getCheckpoint('slow@g1')).toBe(await events.headPosition());
    await runner.stop();
  });

  it('commits a large batch in slices; killed between two slices, the replay counts every event exactly once', async () => {
    // One counter per event position modulo 1,200 and one for all: 1,500 events make 1,201 increments, two slices.
    const countIn = (list: readonly { position: number }[], ctx: ProjectionContext) => {
      for (const e of list) {
        ctx.inc!('slices', `k${e.position % 1200}`, { n: 1 });
        ctx.inc!('slices', '*', { n: 1 });
      }
    };
    const sliced: Projection = { name: 'sliced', version: 1, handles: ['Counted'], collections: ['slices'], consistency: 'eventual', apply: async (e, ctx) => countIn([e], ctx), applyBatch: async (l, ctx) => countIn(l, ctx) };
    let calls = 0;
    let killed = false;
    const store = new Proxy(reads, {
      get(target, prop) {
        if (prop === 'applyChangesMany') return undefined;
        if (prop === 'applyChanges')
          return async (name: string, changes: Change[], position: number) => {
            // The second slice of the big batch: the process dies before it is written.
            if (name.startsWith('sliced@') && changes.length > 0 && ++calls === 2 && !killed) {
              killed = true;
              throw new Error('killed between two slices');
            }
            return target.applyChanges(name, changes, position);
          };
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as ReadStore;
    const runner = new ProjectionRunner(events, store, search, [sliced], log, {}, 500, Date.now, {}, 2000, 0);
    await runner.start();
    const head = await ledger.head('s-big');
    await ledger.commit([{ stream: head, events: Array.from({ length: 1500 }, (_, i) => ({ type: 'Counted', data: { i } })) }], { commandId: 'big', actor: SYSTEM_ACTOR });
    expect(await progressOf(runner, 'sliced', 'slices').caughtUp()).toBe(true);
    expect(killed).toBe(true);
    const positions = (await events.readAll({ afterPosition: 0, maxCount: 5000 })).map((e) => e.position);
    const expected = new Map<string, number>();
    for (const p of positions) expected.set(`k${p % 1200}`, (expected.get(`k${p % 1200}`) ?? 0) + 1);
    for (const [id, n] of expected) expect(((await reads.get(runner.collection('slices'), id))?.c as { n: number }).n).toBe(n);
    expect(((await reads.get(runner.collection('slices'), '*'))?.c as { n: number }).n).toBe(1500);
    await runner.stop();
  });

  it('the eventual lane folds what accumulated in one batch, exactly once, and resumes from its stored checkpoint after a restart', async () => {
    const batches: number[] = [];
    const eventual = counting('ev', 'ev_counts', { consistency: 'eventual' });
    const recorded: Projection = {
      ...eventual,
      async applyBatch(list, ctx) {
        batches.push(list.length);
        for (const e of list) await eventual.apply(e, ctx);
      },
    };
    let runner = new ProjectionRunner(events, reads, search, [counting('fast', 'fast_counts'), recorded], log, {}, 500, Date.now, {}, 2000, 500);
    await runner.start();
    await append('s-1', 'Counted', 1);
    const progress = () => progressOf(runner, 'ev', 'ev_counts');
    // A command's few events: folded at once (no pause), so a reader of the projection waits little.
    expect(await progress().caughtUp()).toBe(true);
    expect(batches).toEqual([1]);
    // The status says which lane folds each projection, so that a lag can be read per lane (bench/scenarios/projections.ts).
    expect(Object.fromEntries((await runner.status()).map((s) => [s.name, s.consistency]))).toEqual({ fast: 'commands', ev: 'eventual' });
    // A burst (an ingest: 150 events in one commit), then 30 appends one at a time while the lane pauses after
    // the burst's short batch: those are folded in fewer, larger batches.
    batches.length = 0;
    const head = await ledger.head('s-1');
    await ledger.commit([{ stream: head, events: Array.from({ length: 150 }, (_, i) => ({ type: 'Counted', data: { i } })) }], { commandId: 'burst', actor: SYSTEM_ACTOR });
    await append('s-1', 'Counted', 30);
    expect(await runner.waitFor(await events.headPosition(), 5000)).toBe(true);
    expect(await progress().caughtUp()).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(180);
    expect(batches.length).toBeLessThan(31);
    expect((await reads.get(runner.collection('ev_counts'), 's-1'))?.n).toBe(181);
    await runner.stop();
    await append('s-1', 'Counted', 4);
    runner = new ProjectionRunner(events, reads, search, [counting('fast', 'fast_counts'), recorded], log, {}, 500, Date.now, {}, 2000, 200);
    await runner.start();
    expect(await progress().caughtUp()).toBe(true);
    expect((await reads.get(runner.collection('ev_counts'), 's-1'))?.n).toBe(185);
    expect((await reads.get(runner.collection('fast_counts'), 's-1'))?.n).toBe(185);
    await runner.stop();
  });
});
