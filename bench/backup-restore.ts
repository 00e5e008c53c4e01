/**
 * `node -r ./bench/support/swc-register.js bench/backup-restore.ts [--size XS|S|M]`: the figures of
 * docs/reliability.md. Generates the dataset through the batch endpoint, takes a full backup while a paced
 * writer keeps writing (online), ingests 5 % more and takes an increment, stops the server, restores full +
 * increment into an empty directory (verify, then rebuild) and times every step. Results to bench/results/.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Batcher } from './generator/batcher';
import { DatasetPlan, SIZES } from './generator/plan';
import { ingest } from './scenarios/ingest';
import { BENCH_DATA, headPosition, ROOT, startServer, waitForProjections } from './lib/server';

const REGISTER = path.join(ROOT, 'bench', 'support', 'swc-register.js');
const size = (process.argv[process.argv.indexOf('--size') + 1] ?? 'S').toUpperCase() as keyof typeof SIZES;
const log = (msg: string) => process.stderr.write(`[backup-bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** Runs a CLI as a child process without blocking this process (the writer must go on during the backup). */
function cli(name: 'backup' | 'restore', args: string[], dataDir: string): Promise<{ ms: number; stdout: string }> {
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
    child.once('exit', (code) => (code === 0 ? resolve({ ms: Date.now() - started, stdout }) : reject(new Error(`${name} failed (${code}): ${stderr}`)))),
  );
}

const mib = (dir: string) => Math.round(fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0) / 2 ** 20);

async function main(): Promise<void> {
  const spec = SIZES[size];
  const live = path.join(BENCH_DATA, `backup-${size}`);
  const backups = `${live}-backups`;
  const restored = `${live}-restored`;
  for (const d of [live, backups, restored]) fs.rmSync(d, { recursive: true, force: true });
  const server = await startServer({ dataDir: live, port: 3917 });
  const result: Record<string, unknown> = { size, spec, started: new Date().toISOString() };
  try {
    const plan = new DatasetPlan(spec, 42);
    const batcher = new Batcher(1000);
    log(`generating ${size} (≈${spec.events} events) …`);
    await ingest(server.client, plan.registrations(), { batchSize: 200, batcher });
    await ingest(server.client, plan.chains(Math.round(spec.events * 0.9)), { batchSize: 1000, batcher });
    await waitForProjections(server.client);
    result.headBeforeFull = await headPosition(server.client);

    log('full backup while a writer sends 500 events/s …');
    const writer = ingest(server.client, plan.chains(Math.round(spec.events * 0.05), 3), { batchSize: 50, batcher, eventsPerSecond: 500 });
    const full = await cli('backup', [backups, '--full'], live);
    const written = await writer;
    result.fullBackup = { ms: full.ms, out: full.stdout.trim(), writerDuringBackup: { events: written.events, p99BatchMs: written.batchLatencyMs.p99, maxBatchMs: written.batchLatencyMs.max } };
    log(full.stdout.trim());

    await ingest(server.client, plan.chains(Math.round(spec.events * 0.05), 4), { batchSize: 1000, batcher });
    const incr = await cli('backup', [backups], live);
    result.incrementalBackup = { ms: incr.ms, out: incr.stdout.trim() };
    log(incr.stdout.trim());
    // (The server's keep-alive socket may have closed while the increment ran: the head is in its output.)
    result.head = Number(/–(\d+) \(/.exec(incr.stdout)?.[1]);
  } finally {
    await server.stop();
  }
  log('restore into an empty directory …');
  const restore = await cli('restore', [backups], restored);
  const verifyS = Number(/in ([\d.]+) s from/.exec(restore.stdout)?.[1]);
  const rebuildS = Number(/rebuilt to position \d+ in ([\d.]+) s/.exec(restore.stdout)?.[1]);
  result.restore = { totalMs: restore.ms, verifyAndCopyS: verifyS, rebuildS, out: restore.stdout.trim() };
  log(restore.stdout.trim());
  result.sizesMiB = { live: mib(live), backups: Object.fromEntries(fs.readdirSync(backups).map((d) => [d, mib(path.join(backups, d))])) };
  const file = path.join(ROOT, 'bench', 'results', `backup-${new Date().toISOString().replace(/[:.]/g, '-')}-${size}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  for (const d of [live, backups, restored]) fs.rmSync(d, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
