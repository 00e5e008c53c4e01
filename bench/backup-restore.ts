/**
 * `node -r ./bench/support/swc-register.js bench/backup-restore.ts [--size XS|S|M] [--from DIR] [--writer-eps N] [--writer-seconds N] [--increment-events N]`:
 * the figures of docs/reliability.md (RPO / RTO).
 *
 * Without `--from` it generates the dataset through the batch endpoint. With `--from DIR` it COPIES a ledger
 * built by `npm run bench:ledger` (DIR/READY.json gives its size and seed; DIR itself is never written) and
 * serves the copy. Then:
 *  1. a full backup while the server serves and nothing writes;
 *  2. a full backup while a paced writer keeps writing (`--writer-eps`, default 500 events/s);
 *  3. more events (`--increment-events`, default 5 % of the size), then an increment;
 *  4. the server stopped, a restore of the newest full + its increment into an empty directory (verify, then
 *     rebuild), and the restored server started until GET /health/ready answers 200 — the RTO;
 *  5. one byte flipped in the middle of the full backup's ledger: the restore must refuse, naming the event.
 * Every step timed, with the machine's load beside it. Results to bench/results/backup-*.json.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES } from './generator/plan';
import { machineInfo, machineLoad } from './lib/machine';
import { HttpClient } from './lib/http';
import { BENCH_DATA, headPosition, ROOT, startServer, SYSTEM_HEADERS, waitForProjections, type RunningServer } from './lib/server';
import { ingest } from './scenarios/ingest';

const REGISTER = path.join(ROOT, 'bench', 'support', 'swc-register.js');
const argv = process.argv.slice(2);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const from = value('--from') ? path.resolve(value('--from')!) : null;
const log = (msg: string) => process.stderr.write(`[backup-bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const load = () => machineLoad().loadavg;

/** Runs a CLI as a child process without blocking this process (the writer must go on during the backup). */
function cli(name: 'backup' | 'restore', args: string[], dataDir: string, expectFailure = false): Promise<{ ms: number; stdout: string; stderr: string; load: string }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--max-old-space-size=4096', '-r', REGISTER, path.join(ROOT, `infrastructure/cli/${name}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', TRACE_CODE_SECRET: 'bench-trace-code-secret-0123456789', CHECKPOINT_INTERVAL_MS: '0' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const run = { ms: Date.now() - started, stdout, stderr, load: load() };
      if ((code === 0) !== expectFailure) resolve(run);
      else reject(new Error(`${name} ${expectFailure ? 'succeeded, a failure was expected' : `failed (${code})`}: ${stderr}`));
    }),
  );
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

const mib = (dir: string): number =>
  Math.round(
    fs.readdirSync(dir, { recursive: true, withFileTypes: true }).reduce((n, f) => (f.isFile() ? n + fs.statSync(path.join(f.parentPath, f.name)).size : n), 0) / 2 ** 20,
  );

/** Starts the server on `dataDir` and times it until GET /health/ready answers 200 (projections at the head seen at start). */
async function startUntilReady(dataDir: string): Promise<{ server: RunningServer; readyMs: number }> {
  const started = Date.now();
  const server = await startServer({ dataDir, port: await freePort() });
  // A benchmark may poll: this is a measurement, not a test's assertion.
  for (;;) {
    const res = await server.client.get('/health/ready');
    if (res.status === 200) return { server, readyMs: Date.now() - started };
    if (Date.now() - started > 3_600_000) throw new Error('the server did not become ready within an hour');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Byte offset of `needle` in a file, read in chunks (a 1 GB ledger is not read into memory at once). */
function findInFile(file: string, needle: Buffer): number {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(64 * 2 ** 20);
    for (let offset = 0; ; ) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, offset);
      if (read < needle.length) return -1;
      const at = chunk.subarray(0, read).indexOf(needle);
      if (at >= 0) return offset + at;
      offset += read - needle.length + 1;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A copy of the newest full backup and its increments with one byte of the event at mid-ledger flipped; restoring it must be refused. */
async function flippedByteRefusal(backups: string, work: string): Promise<Record<string, unknown>> {
  const ids = fs.readdirSync(backups).filter((d) => /-(full|incr)$/.test(d)).sort();
  const newestFull = ids.filter((d) => d.endsWith('-full')).pop()!;
  const copy = path.join(work, 'flipped-backups');
  fs.mkdirSync(copy, { recursive: true });
  for (const id of ids.filter((d) => d >= newestFull)) fs.cpSync(path.join(backups, id), path.join(copy, id), { recursive: true });
  const file = path.join(copy, newestFull, 'events.sqlite');
  const db = new Database(file, { readonly: true });
  const { head } = db.prepare('SELECT max(position) AS head FROM events').get() as { head: number };
  const victim = db.prepare('SELECT position, event_id FROM events WHERE position = ?').get(Math.round(head / 2)) as { position: number; event_id: string };
  db.close();
  // An event id appears once in the file (event_id has no index): flip one of its characters.
  const at = findInFile(file, Buffer.from(victim.event_id));
  if (at < 0) throw new Error(`event id ${victim.event_id} not found in ${file}`);
  const fd = fs.openSync(file, 'r+');
  const byte = Buffer.alloc(1);
  fs.readSync(fd, byte, 0, 1, at + victim.event_id.length - 1);
  byte[0]! ^= 0x01;
  fs.writeSync(fd, byte, 0, 1, at + victim.event_id.length - 1);
  fs.closeSync(fd);
  const target = path.join(work, 'flipped-target');
  fs.mkdirSync(target, { recursive: true });
  const run = await cli('restore', [copy], target, true);
  const named = run.stderr.includes(`position ${victim.position}`) && run.stderr.includes('hash-mismatch');
  const result = { victimPosition: victim.position, head, refusedMs: run.ms, namedTheEvent: named, dataDirLeftEmpty: fs.readdirSync(target).length === 0, message: run.stderr.trim().slice(0, 400), load: run.load };
  fs.rmSync(copy, { recursive: true, force: true });
  fs.rmSync(target, { recursive: true, force: true });
  if (!named || !result.dataDirLeftEmpty) throw new Error(`the flipped byte was not refused as expected: ${JSON.stringify(result)}`);
  return result;
}

async function main(): Promise<void> {
  const ready = from ? (JSON.parse(fs.readFileSync(path.join(from, 'READY.json'), 'utf8')) as { size: keyof typeof SIZES; seed: number; events: number }) : null;
  const size = (ready?.size ?? (value('--size') ?? 'S').toUpperCase()) as keyof typeof SIZES;
  const spec = SIZES[size];
  const seed = ready?.seed ?? 42;
  const writerEps = Number(value('--writer-eps') ?? 500);
  const incrementEvents = Number(value('--increment-events') ?? Math.round(spec.events * 0.05));
  // How long the writer beside the second full backup writes, at most (it must span the backup).
  const writerSeconds = Number(value('--writer-seconds') ?? 90);
  const work = path.join(BENCH_DATA, `backup-${size}${from ? '-copy' : ''}`);
  const live = path.join(work, 'live');
  const backups = path.join(work, 'backups');
  const restored = path.join(work, 'restored');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const result: Record<string, unknown> = { size, spec, from, machine: machineInfo(), started: new Date().toISOString() };

  const plan = new DatasetPlan(spec, seed);
  const batcher = new Batcher(1000);
  if (from) {
    log(`copying ${from} (${mib(from)} MiB) …`);
    const t = Date.now();
    fs.cpSync(from, live, { recursive: true });
    fs.rmSync(path.join(live, 'READY.json'), { force: true });
    result.copy = { ms: Date.now() - t, mib: mib(live) };
  }
  const boot = await startUntilReady(live);
  const server = boot.server;
  // A new keep-alive client for every phase: a backup CLI starting on a busy machine can leave the sockets idle
  // past the server's keep-alive timeout, and the next request on a socket it closed fails with ECONNRESET.
  const fresh = () => new HttpClient(server.url, SYSTEM_HEADERS);
  result.liveStart = { readyMs: boot.readyMs, load: load() };
  log(`server ready in ${(boot.readyMs / 1000).toFixed(1)} s`);
  let writerPlan = plan;
  try {
    if (from) {
      // The registrations again: every one is answered as a duplicate with its first answer, which gives the
      // batcher the entity ids and eids the new chains need. The new chains come from a second plan (its own
      // command-id prefix: the copy's chains already used this plan's ids) over the same entities.
      const again = await ingest(fresh(), plan.registrations(), { batchSize: 200, batcher });
      if (batcher.stats.duplicates !== again.commands) throw new Error(`expected ${again.commands} duplicates from the registrations, got ${batcher.stats.duplicates}`);
      writerPlan = new DatasetPlan(spec, seed, `relbk${seed}`);
      for (const e of plan.entities) writerPlan.adopt(e);
    } else {
      log(`generating ${size} (≈${spec.events} events) …`);
      await ingest(fresh(), plan.registrations(), { batchSize: 200, batcher });
      await ingest(fresh(), plan.chains(Math.round(spec.events * 0.9)), { batchSize: 1000, batcher });
    }
    await waitForProjections(fresh());
    result.headBeforeFull = await headPosition(fresh());

    log('full backup while serving, nothing written …');
    const idle = await cli('backup', [backups, '--full'], live);
    result.fullBackupIdle = { ms: idle.ms, out: idle.stdout.trim(), load: idle.load };
    log(idle.stdout.trim());

    log(`full backup while a writer sends ${writerEps} events/s …`);
    // `--writer-seconds` of writing (a plan's trees run to their end, so the writer is also cut in time): it spans the backup.
    const writer = ingest(fresh(), writerPlan.chains(writerEps * writerSeconds, 3), { batchSize: 50, batcher, eventsPerSecond: writerEps, maxSeconds: writerSeconds });
    const full = await cli('backup', [backups, '--full'], live);
    const written = await writer;
    result.fullBackup = {
      ms: full.ms,
      out: full.stdout.trim(),
      load: full.load,
      writer: { eventsPerSecond: writerEps, events: written.events, seconds: written.seconds, p99BatchMs: written.batchLatencyMs.p99, maxBatchMs: written.batchLatencyMs.max },
    };
    log(full.stdout.trim());

    await ingest(fresh(), writerPlan.chains(incrementEvents, 4), { batchSize: 1000, batcher, maxSeconds: writerSeconds });
    const incr = await cli('backup', [backups], live);
    result.incrementalBackup = { ms: incr.ms, out: incr.stdout.trim(), load: incr.load };
    log(incr.stdout.trim());
    // (The server's keep-alive socket may have closed while the increment ran: the head is in its output.)
    result.head = Number(/–(\d+) \(/.exec(incr.stdout)?.[1]);
  } finally {
    await server.stop();
  }
  log('restore into an empty directory …');
  fs.mkdirSync(restored, { recursive: true });
  const restore = await cli('restore', [backups], restored);
  const verifyS = Number(/in ([\d.]+) s from/.exec(restore.stdout)?.[1]);
  const rebuildS = Number(/rebuilt to position \d+ in ([\d.]+) s/.exec(restore.stdout)?.[1]);
  result.restore = { totalMs: restore.ms, verifyAndCopyS: verifyS, rebuildS, out: restore.stdout.trim(), load: restore.load };
  log(restore.stdout.trim());
  log('starting the restored server …');
  const back = await startUntilReady(restored);
  const restoredHead = await headPosition(new HttpClient(back.server.url, SYSTEM_HEADERS));
  await back.server.stop();
  if (restoredHead !== result.head) throw new Error(`the restored server's head is ${restoredHead}, the backup's ${String(result.head)}`);
  result.restoredStart = { readyMs: back.readyMs, head: restoredHead, load: load() };
  result.rtoSeconds = Math.round((restore.ms + back.readyMs) / 100) / 10;
  log(`restored server ready in ${(back.readyMs / 1000).toFixed(1)} s: RTO ${String(result.rtoSeconds)} s`);

  log('one flipped byte in the full backup …');
  result.flippedByte = await flippedByteRefusal(backups, work);
  log(JSON.stringify(result.flippedByte));

  result.sizesMiB = { live: mib(live), restored: mib(restored), backups: Object.fromEntries(fs.readdirSync(backups).map((d) => [d, mib(path.join(backups, d))])) };
  result.finished = new Date().toISOString();
  const file = path.join(ROOT, 'bench', 'results', `backup-${new Date().toISOString().replace(/[:.]/g, '-')}-${size}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
