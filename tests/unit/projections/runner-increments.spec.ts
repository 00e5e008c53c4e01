import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../../application/ledger/ledger';
import type { Change, ReadStore } from '../../../application/ports/read-store';
import { SYSTEM_ACTOR } from '../../../domain/shared/actor';
import { SqliteEventStore } from '../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../../../infrastructure/sqlite/sqlite-search-index';
import { systemClock, systemIds } from '../../../infrastructure/system/system-clock';
import type { Projection, ProjectionContext } from '../../../projections/runner/projection';
import { ProjectionRunner } from '../../../projections/runner/projection-runner';
import { StatisticsProgress } from '../../../application/statistics/statistics-progress';

/**
 * The runner with a projection that counts by increments (ProjectionContext.inc, decision 0025): one counter
 * per stream and one for all streams, never read by the projection. A crash between a batch's documents and
 * its checkpoint (what a store without transactions can leave) followed by a restart whose first batch reaches
 * further must count every event exactly once — on a store that increments in place and on one without
 * increments (the runner writes them as puts).
 */
function countIn(events: readonly { streamId: string }[], ctx: ProjectionContext): void {
  for (const e of events) {
    ctx.inc!('tallies', e.streamId, { n: 1 }, { init: { stream: e.streamId } });
    ctx.inc!('tallies', '*', { n: 1 }, { init: { stream: '*' } });
  }
}
const counting: Projection = {
  name: 'tallies',
  version: 1,
  handles: ['Counted'],
  collections: ['tallies'],
  async apply(event, ctx) {
    countIn([event], ctx);
  },
  async applyBatch(events, ctx) {
    countIn(events, ctx);
  },
};

/**
 * The read store as a process killed between writing a batch's documents and its checkpoint would leave it:
 * when `crashNext` is set, the next commit stores the documents with the checkpoint where it was, then fails.
 * No applyChangesMany (like MongoDB): the runner commits each projection on its own.
 */
function crashing(inner: SqliteReadStore, increments: boolean): ReadStore & { crashNext: boolean; crashed: Promise<void> } {
  let signal = () => undefined as void;
  const crashed = new Promise<void>((resolve) => (signal = resolve));
  const state = { crashNext: false, crashed };
  const applyChanges = async (name: string, changes: Change[], position: number) => {
    if (!state.crashNext) return inner.applyChanges(name, changes, position);
    state.crashNext = false;
    await inner.applyChanges(name, changes, (await inner.getCheckpoint(name)) ?? 0);
    signal();
    throw new Error('killed between documents and checkpoint');
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'crashNext') return state.crashNext;
      if (prop === 'crashed') return state.crashed;
      if (prop === 'increments') return increments;
      if (prop === 'applyChanges') return applyChanges;
      if (prop === 'applyChangesMany') return undefined;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
    set(_target, prop, value) {
      if (prop !== 'crashNext') return false;
      state.crashNext = value as boolean;
      return true;
    },
  }) as unknown as ReadStore & { crashNext: boolean; crashed: Promise<void> };
}

describe.each([
  ['a store that increments in place (SQLite)', true, 'read-your-writes'],
  ['a store without increments (the runner reads and puts)', false, 'read-your-writes'],
  ['a store that increments in place, the projection in the eventual lane', true, 'eventual'],
  ['a store without increments, the projection in the eventual lane', false, 'eventual'],
] as const)('ProjectionRunner with increments: %s', (_name, increments, consistency) => {
  const projection: Projection = { ...counting, consistency };
  let dir: string;
  let events: SqliteEventStore;
  let inner: SqliteReadStore;
  let search: SqliteSearchIndex;
  let ledger: Ledger;
  const infos: string[] = [];
  const log = { info: (m: string) => void infos.push(m), error: () => undefined };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-runner-inc-'));
    events = new SqliteEventStore(path.join(dir, 'e.sqlite'));
    inner = new SqliteReadStore(path.join(dir, 'r.sqlite'));
    search = new SqliteSearchIndex(path.join(dir, 's.sqlite'));
    ledger = new Ledger(events, systemClock, systemIds);
    infos.length = 0;
  });
  afterEach(async () => {
    await events.close();
    await inner.close();
    await search.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `n` events on `streamId`, committed together (one position each). */
  const append = async (streamId: string, n: number) => {
    const head = await ledger.head(streamId);
    await ledger.commit([{ stream: head, events: Array.from({ length: n }, (_, i) => ({ type: 'Counted', data: { i } })) }], { commandId: `${streamId}-${n}-${Math.random()}`, actor: SYSTEM_ACTOR });
  };
  const tally = async (runner: ProjectionRunner, id: string) => (await inner.get(runner.collection('tallies'), id))?.c;
  /** Caught up with the head: read-your-writes, or an eventual projection's stored checkpoint (its readers' wait). */
  const caughtUp = async (runner: ProjectionRunner) => {
    const head = await events.headPosition();
    if (consistency === 'read-your-writes') return runner.waitFor(head, 5000);
    const source = { head: () => events.headPosition(), checkpoint: () => inner.getCheckpoint(ProjectionRunner.checkpointOf('tallies', ProjectionRunner.generationOf(runner.collection('tallies')))), rebuilding: () => false };
    return new StatisticsProgress(source, 5000).waitFor(head);
  };

  it('given events, when folded in batches and live, then each counter holds every event once', async () => {
    const reads = crashing(inner, increments);
    await append('s-a', 3);
    await append('s-b', 2);
    const runner = new ProjectionRunner(events, reads, search, [projection], log);
    await runner.start();
    try {
      await append('s-a', 4);
      expect(await caughtUp(runner)).toBe(true);
      expect(await tally(runner, 's-a')).toEqual({ n: 7 });
      expect(await tally(runner, 's-b')).toEqual({ n: 2 });
      expect(await tally(runner, '*')).toEqual({ n: 9 });
      expect((await inner.get(runner.collection('tallies'), 's-b'))?.stream).toBe('s-b');
    } finally {
      await runner.stop();
    }
  });

  it('given a crash after a live batch’s documents were stored but not its checkpoint, when restarted with more events, then the replayed batch is folded in parts and nothing counts twice', async () => {
    const reads = crashing(inner, increments);
    await append('s-a', 2);
    const first = new ProjectionRunner(events, reads, search, [projection], log);
    await first.start();
    reads.crashNext = true;
    await append('s-a', 3); // this batch's counters are stored, its checkpoint is not
    await append('s-b', 1);
    await reads.crashed;
    await first.stop();
    // After the restart the log reaches further: the first batch (from the stored checkpoint) covers the crashed
    // batch and more, and `*` folds only its first part.
    await append('s-b', 2);
    await append('s-a', 1);
    const second = new ProjectionRunner(events, reads, search, [projection], log);
    await second.start();
    try {
      expect(await caughtUp(second)).toBe(true);
      expect(await tally(second, 's-a')).toEqual({ n: 6 });
      expect(await tally(second, 's-b')).toEqual({ n: 3 });
      expect(await tally(second, '*')).toEqual({ n: 9 });
      expect(infos.some((m) => m.includes('folding it in parts'))).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
