import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RecordedEvent } from '../../application/ports/event-store';
import { ReactorRunner, type Reaction } from '../../application/reactions/reactor';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../infrastructure/sqlite/sqlite-read-store';
import { envelopes } from '../contract/suites/event-fixtures';
import { eventually } from './support/quality-fixtures';

/**
 * The process-manager runner on the embedded stores: reactions see events in log order, the checkpoint
 * survives a restart (no event is handed over twice after it), a reaction that keeps failing is parked as a
 * dead letter without stopping the others, and it never runs ahead of the projections.
 */
describe('ReactorRunner', () => {
  let dir: string;
  let store: SqliteEventStore;
  let reads: SqliteReadStore;
  let projected = Infinity;
  /** "Not yet" answers are held until released, so a test sees the reactor's waits one by one. */
  const held: (() => void)[] = [];
  let asked = 0;
  let onAsk: (() => void) | null = null;
  const progress = {
    waitFor: async (position: number) => {
      if (projected >= position) return true;
      const answer = new Promise<void>((resolve) => held.push(resolve));
      asked++;
      onAsk?.();
      await answer;
      return projected >= position;
    },
  };
  const releaseHeld = () => held.splice(0).forEach((answer) => answer());
  /** Resolves once the reactor has heard "not yet" and asked again: it handled that answer without reacting. */
  const reactorAskedTwice = () =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (asked < 2) return releaseHeld();
        onAsk = null;
        resolve();
      };
      onAsk = check;
      check();
    });
  const log = { info: () => undefined, error: () => undefined };
  const append = async (stream: string, types: string[]) => {
    const revision = await store.streamRevision(stream);
    const first = revision === 'no_stream' ? 0 : revision + 1;
    const id = `cmd-${stream}-${first}-${Math.random()}`;
    return (await store.append([{ streamId: stream, expectedRevision: revision, events: envelopes(stream, first, id, types.map((type) => ({ type }))) }], id)).events;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-reactor-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    reads = new SqliteReadStore(path.join(dir, 'reads.sqlite'));
    projected = Infinity;
  });
  afterEach(async () => {
    await store.close();
    await reads.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reacts in log order, resumes after its checkpoint, parks a failing reaction and goes on', async () => {
    const seen: string[] = [];
    const recorder: Reaction = { name: 'recorder', handles: ['A', 'B'], react: async (e: RecordedEvent) => void seen.push(`${e.type}@${e.position}`) };
    const broken: Reaction = { name: 'broken', handles: ['B'], react: async () => Promise.reject(new Error('boom')) };
    await append('s-1', ['A', 'X', 'B']);
    let runner = new ReactorRunner('test', store, reads, progress, [recorder, broken], log);
    await runner.start();
    const head = await store.headPosition();
    expect(await runner.waitFor(head)).toBe(true);
    expect(seen.map((s) => s.split('@')[0])).toEqual(['A', 'B']);
    expect(runner.deadLetters).toBe(1);
    await runner.stop();

    await append('s-2', ['A']);
    runner = new ReactorRunner('test', store, reads, progress, [recorder], log);
    await runner.start();
    expect(await runner.waitFor(await store.headPosition())).toBe(true);
    expect(seen.map((s) => s.split('@')[0])).toEqual(['A', 'B', 'A']); // the first three were not handed over again
    expect(await reads.getCheckpoint('reactor:test')).toBe(await store.headPosition());
    await runner.stop();
  });

  it('runs its durability barrier (the job queue flush) after the reactions and before each checkpoint write', async () => {
    const order: string[] = [];
    const checkpoints = jest.spyOn(reads, 'applyChanges').mockImplementation(async (name, changes, position) => {
      order.push(`checkpoint ${name}`);
      return SqliteReadStore.prototype.applyChanges.call(reads, name, changes, position);
    });
    const reaction: Reaction = { name: 'r', handles: ['A'], react: async (e) => void order.push(`react ${e.type}`) };
    const runner = new ReactorRunner('barrier', store, reads, progress, [reaction], log, async () => void order.push('flush'));
    await runner.start();
    await append('s-4', ['A', 'A']);
    expect(await runner.waitFor(await store.headPosition())).toBe(true);
    await runner.stop();
    checkpoints.mockRestore();
    expect(order.slice(0, 4)).toEqual(['react A', 'react A', 'flush', 'checkpoint reactor:barrier']);
    expect(order.filter((o) => o.startsWith('checkpoint')).length).toBe(order.filter((o) => o === 'flush').length);
  });

  it('waits for the projections to include an event before reacting to it', async () => {
    const seen: number[] = [];
    projected = 0;
    const runner = new ReactorRunner('wait', store, reads, progress, [{ name: 'r', handles: ['A'], react: async (e) => void seen.push(e.position) }], log);
    await runner.start();
    const [event] = await append('s-3', ['A']);
    // The reactor asked whether the projections include the event, heard "not yet", and asked again:
    // it has handled the first answer without reacting.
    await reactorAskedTwice();
    expect(seen).toEqual([]);
    projected = event!.position;
    releaseHeld();
    await eventually(async () => seen.length === 1);
    await runner.stop();
  });
});
