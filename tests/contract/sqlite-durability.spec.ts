import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RecordedEvent } from '../../application/ports/event-store';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { uniqueName, waitFor } from './suites/contract-helpers';
import { envelopes, newCommandId } from './suites/event-fixtures';

/**
 * "An acknowledged append survives kill -9" (EventStore port), tested for real: a child process appends
 * in a tight loop and prints each acknowledged commandId; we SIGKILL it mid-stream, reopen the file and
 * check every acknowledged command is there, complete, with contiguous revisions, and that appending
 * continues. Meanwhile a subscription in this process follows the child's appends — appends from another
 * process reach it only through the polling fallback.
 */
const root = path.resolve(__dirname, '..', '..');
const hook = path.join(__dirname, 'fixtures', 'swc-register.js');
const child = path.join(__dirname, 'fixtures', 'append-until-killed.ts');

describe('SQLite event store durability across kill -9', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-durability-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append, whole, after SIGKILL; a reader in another process follows along', async () => {
    const file = path.join(dir, 'events.sqlite');
    const prefix = uniqueName('dur');
    // Create the file first so the follower can open it before the child starts.
    await new SqliteEventStore(file).close();

    const follower = new SqliteEventStore(file, { pollMs: 50 });
    const followed: RecordedEvent[] = [];
    const subscription = follower.subscribe({
      afterPosition: 0,
      onEvents: async (events) => {
        followed.push(...events);
      },
    });

    const acked = new Map<string, number>();
    let stderr = '';
    const proc = spawn(process.execPath, ['--require', hook, child, file, prefix], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let buffered = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [tag, commandId, count] = line.split(' ');
        if (tag === 'ACK') acked.set(commandId!, Number(count));
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

    try {
      await waitFor(`child to acknowledge 400 appends (stderr: ${stderr})`, () => acked.size >= 400 || proc.exitCode !== null, 30_000);
      await waitFor('follower to see the other process appending', () => followed.length > 0, 5000);
    } finally {
      proc.kill('SIGKILL');
    }
    const { signal } = await exited;
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    await subscription.close();
    await follower.close();

    const store = new SqliteEventStore(file);
    try {
      // Every acknowledged command is there with all its events.
      for (const [commandId, count] of acked) {
        const events = await store.readByCommandId(commandId);
        expect(events?.length).toBe(count);
      }

      // The log holds only whole commands (the one in flight at the kill is all there or absent).
      const all: RecordedEvent[] = [];
      for (let after = 0; ; ) {
        const page = await store.readAll({ afterPosition: after, maxCount: 1000 });
        if (page.length === 0) break;
        all.push(...page);
        after = page[page.length - 1]!.position;
      }
      expect(all.length).toBeGreaterThanOrEqual([...acked.values()].reduce((a, b) => a + b, 0));
      const perCommand = new Map<string, RecordedEvent[]>();
      for (const e of all) perCommand.set(e.commandId, [...(perCommand.get(e.commandId) ?? []), e]);
      for (const events of perCommand.values()) expect(events.length).toBe(events[0]!.data.planned);

      // Per stream: revisions 0..n without gaps, matching the stream's recorded revision.
      const streams = await store.listStreams(`${prefix}-`, null, 100);
      expect(streams.length).toBe(7);
      for (const streamId of streams) {
        const events = await store.readStream(streamId);
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
        expect(await store.streamRevision(streamId)).toBe(events.length - 1);
      }

      // What the follower received is a gap-free, duplicate-free prefix of the log.
      expect(followed.map((e) => e.position)).toEqual(all.slice(0, followed.length).map((e) => e.position));

      // And the ledger goes on.
      const streamId = streams[0]!;
      const revision = (await store.streamRevision(streamId)) as number;
      const commandId = newCommandId();
      const next = await store.append(
        [{ streamId, expectedRevision: revision, events: envelopes(streamId, revision + 1, commandId, [{ type: 'AfterCrash' }]) }],
        commandId,
      );
      expect(next.events[0]!.revision).toBe(revision + 1);
    } finally {
      await store.close();
    }

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
