// Emmett's SQLite event store (@event-driven-io/emmett-sqlite), measured in its own process on the same
// workload as bench/peers/own-store.ts: commands of two events on a new stream, then reads.
// Usage: node emmett-peer.cjs <data-dir> <commands>   → one JSON line on stdout.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
// node-sqlite3 finalizes a statement asynchronously after its callback has run, so emmett-sqlite's next
// statement (its COMMIT) can reach SQLite while the previous SELECT is still stepped: "SQLITE_BUSY: cannot
// commit transaction - SQL statements in progress" within 182–482 appends here, which lost the peer in 18 of
// the 19 bench runs beside session 9's CI loop (on both tries). In serialized mode the driver runs each
// connection's operations, finalizes included, in the order they were queued; emmett awaits every operation
// anyway, so this removes the race without changing what is measured. The patch must precede emmett's
// require: emmett reads `sqlite3.Database` when it opens a connection.
const sqlite3 = require('sqlite3');
const UnorderedDatabase = sqlite3.Database;
sqlite3.Database = class SerializedDatabase extends UnorderedDatabase {
  constructor(...args) {
    super(...args);
    this.serialize();
  }
};
const { getSQLiteEventStore, sqliteConnection, readMessagesBatch } = require('@event-driven-io/emmett-sqlite');
const { payload } = require('./workload.cjs');

async function main() {
  const [dir, count] = [process.argv[2], Number(process.argv[3] ?? 5000)];
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const fileName = path.join(dir, 'emmett.sqlite');
  const store = getSQLiteEventStore({ fileName });
  const now = () => Number(process.hrtime.bigint()) / 1e6;

  // Append: one call per command, a new stream each (expected: no stream yet), two events.
  let t = now();
  for (let i = 0; i < count; i++) {
    await store.appendToStream(`lot-${i}`, [
      { type: 'LotNumberAssigned', data: { traceCode: `T${i}`, sequence: i } },
      { type: 'LotCreated', data: payload(i) },
    ], { expectedStreamVersion: 0n });
  }
  const appendMs = now() - t;

  // Append in bulk: 100 events per call on one stream (Emmett's best case; it has no multi-command group commit).
  const bulkCalls = Math.max(1, Math.floor(count / 50));
  t = now();
  for (let i = 0; i < bulkCalls; i++) {
    await store.appendToStream(`bulk-${i}`, Array.from({ length: 100 }, (_, k) => ({ type: 'LotCreated', data: payload(i * 100 + k) })));
  }
  const bulkMs = now() - t;

  // Read every stream of the first phase.
  t = now();
  let read = 0;
  for (let i = 0; i < count; i++) read += (await store.readStream(`lot-${i}`)).events.length;
  const readStreamMs = now() - t;

  // Read the whole log in batches of 1000 (what a projection catch-up does).
  const db = sqliteConnection({ fileName });
  t = now();
  let all = 0;
  for (let after = -1n; ; ) {
    const { messages } = await readMessagesBatch(db, { after, batchSize: 1000 });
    if (messages.length === 0) break;
    all += messages.length;
    after = messages[messages.length - 1].metadata.globalPosition;
  }
  const readAllMs = now() - t;
  db.close();

  const events = count * 2;
  process.stdout.write(
    JSON.stringify({
      store: 'emmett-sqlite 0.38.5 (node sqlite3 5.1.7)',
      commands: count,
      appendEventsPerSecond: events / (appendMs / 1000),
      appendCommandsPerSecond: count / (appendMs / 1000),
      bulkEventsPerSecond: (bulkCalls * 100) / (bulkMs / 1000),
      readStreamEventsPerSecond: read / (readStreamMs / 1000),
      readAllEventsPerSecond: all / (readAllMs / 1000),
      readAllEvents: all,
      fileMb: Math.round(fs.statSync(fileName).size / 2 ** 20),
    }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
