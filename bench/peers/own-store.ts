/**
 * The ledger's own SqliteEventStore on the Emmett peer's workload (bench/peers/emmett/workload.cjs), in
 * its own process: commands of two events on a new stream — one append per command, then group commit
 * (appendMany, 500 commands per transaction) — and the same reads. Envelopes (with their hash chain) are
 * built before the clock starts, as the Ledger builds them before it calls the store; the hashing cost is
 * measured on its own. Usage: node -r bench/support/swc-register.js bench/peers/own-store.ts <dir> <commands>
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { computeEventHash, GENESIS_HASH } from '../../application/ledger/event-hash';
import type { CommandAppend, EventEnvelope } from '../../application/ports/event-store';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { payload } = require('./emmett/workload.cjs') as { payload: (i: number) => Record<string, unknown> };

const now = () => Number(process.hrtime.bigint()) / 1e6;
const actor = { userId: 'bench', orgId: 'platform', role: 'system' as const, regionCode: '' };

function command(stream: string, i: number): CommandAppend {
  const commandId = `${stream}-cmd`;
  let prevHash = GENESIS_HASH;
  const at = new Date().toISOString();
  const events = [
    { type: 'LotNumberAssigned', data: { traceCode: `T${i}`, sequence: i } },
    { type: 'LotCreated', data: payload(i) },
  ].map((e, revision): EventEnvelope => {
    const unhashed = { eventId: uuidv7(), type: e.type, schemaVersion: 1, streamId: stream, revision, occurredAt: at, recordedAt: at, actor, commandId, correlationId: commandId, causationId: null, data: e.data, prevHash };
    const hash = computeEventHash(unhashed);
    prevHash = hash;
    return { ...unhashed, hash };
  });
  return { commandId, appends: [{ streamId: stream, expectedRevision: 'no_stream', events }] };
}

async function main(): Promise<void> {
  const [dir, countArg] = process.argv.slice(2);
  const count = Number(countArg ?? 5000);
  fs.rmSync(dir!, { recursive: true, force: true });
  fs.mkdirSync(dir!, { recursive: true });
  const store = new SqliteEventStore(path.join(dir!, 'events.sqlite'));

  let t = now();
  const single = Array.from({ length: count }, (_, i) => command(`lot-${i}`, i));
  const hashMsPerEvent = (now() - t) / (count * 2);
  t = now();
  for (const c of single) await store.append(c.appends, c.commandId);
  const appendMs = now() - t;

  const grouped = Array.from({ length: count }, (_, i) => command(`group-${i}`, i));
  t = now();
  for (let i = 0; i < grouped.length; i += 500) await store.appendMany!(grouped.slice(i, i + 500));
  const groupMs = now() - t;

  t = now();
  let read = 0;
  for (let i = 0; i < count; i++) read += (await store.readStream(`lot-${i}`)).length;
  const readStreamMs = now() - t;

  t = now();
  let all = 0;
  for (let after = 0; ; ) {
    const batch = await store.readAll({ afterPosition: after, maxCount: 1000 });
    if (batch.length === 0) break;
    all += batch.length;
    after = batch[batch.length - 1]!.position;
  }
  const readAllMs = now() - t;
  await store.close();
  const events = count * 2;
  process.stdout.write(
    JSON.stringify({
      store: 'suyuan SqliteEventStore (better-sqlite3, WAL, synchronous=FULL)',
      commands: count,
      appendEventsPerSecond: events / (appendMs / 1000),
      appendCommandsPerSecond: count / (appendMs / 1000),
      groupEventsPerSecond: events / (groupMs / 1000),
      readStreamEventsPerSecond: read / (readStreamMs / 1000),
      readAllEventsPerSecond: all / (readAllMs / 1000),
      readAllEvents: all,
      hashMicrosecondsPerEvent: hashMsPerEvent * 1000,
      fileMb: Math.round(fs.statSync(path.join(dir!, 'events.sqlite')).size / 2 ** 20),
    }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
