import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LedgerExport } from '../../application/audit/export-verifier';
import type { SearchQuery } from '../../application/ports/search-index';
import { creditCodeCheckChar } from '../../domain/registration';
import { loadConfig } from '../../infrastructure/config/config';
import { machineInfo } from '../lib/machine';
import { call, county, PLATFORM, producer } from './client';
import { awaitIntegrityChecks, checkLedger, resendUnanswered, retryAll } from './ledger-checks';
import { accept, CycleLoad, type SentCommand, type Setup } from './load';
import { compareDigests, digestReadSide, effectiveCheckpoint, freshRebuild, openReadSide, type LoggedEvent, type ReadSide } from './read-model-digest';
import { ROOT, ServerProcess } from './server-process';
import { dropSharedNames, type SharedNames } from './shared-servers';

/** How long a whole-ledger call (verify, export) may take before the run counts it as hung. */
const LEDGER_CALL_TIMEOUT_MS = 300_000;

/**
 * `npm run faults [-- --cycles N | --short] [--config embedded|mixed] [--cycles-per-dir N]`
 *
 * The fault-injection harness (issue 16). Each cycle: writers send keyed single commands (lots, shipments and
 * their confirmations, faults and their resolution), a platform sends batches, a reader reads; the server is
 * killed with SIGKILL at a chosen moment — inside a batch request, right after a batch was answered (its
 * events being projected: READ_YOUR_WRITES_MS=0), while a checkpoint is being sealed, or at a random time —
 * and started again. Then: every command is accounted for exactly once, nothing half-applied, each resolved
 * fault's integrity-check job recorded exactly once, the ledger and its signed checkpoints verify, and the
 * read models and search index equal a fresh rebuild from a copy of the same ledger.
 * Exit code 1 on any loss, duplicate, half-applied command, divergence or failed verification.
 */
type KillMode = 'inside-batch' | 'projection-batch' | 'sealing' | 'random';
const MODES: KillMode[] = ['inside-batch', 'projection-batch', 'sealing', 'random'];

interface Options {
  cycles: number;
  config: 'embedded' | 'mixed';
  cyclesPerDir: number;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const config = (value('--config') ?? 'embedded') as Options['config'];
  if (config !== 'embedded' && config !== 'mixed') throw new Error(`--config embedded|mixed, not ${config}`);
  const cycles = argv.includes('--short') ? 10 : Number(value('--cycles') ?? 100);
  return { cycles, config, cyclesPerDir: Number(value('--cycles-per-dir') ?? 25) };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

interface CycleReport {
  cycle: number;
  mode: KillMode;
  acknowledged: number;
  resent: number;
  committedUnanswered: number;
  lost: number;
  duplicated: number;
  halfApplied: number;
  divergences: number;
  jobLost: number;
  jobTwice: number;
  ledgerOk: boolean;
  restartMs: number;
  cycleMs: number;
  events: number;
  problems: string[];
}

function serverEnv(options: Options, dataDir: string, names: string): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DEMO_DATA: 'off',
    AUTH: 'dev-headers',
    LOG_LEVEL: 'error',
    // Sealing only when the harness asks (POST /audit/checkpoints): a seal at a time the harness does not
    // know would move the log under the read-model comparison.
    CHECKPOINT_INTERVAL_MS: '0',
    // Nor the minute's upload counts (UploadsCounted): appended between the export the served read side is
    // compared at and the ledger copy the rebuild starts from, it showed as a one-event "divergence" (mixed
    // run, cycle 18 of 20; a race of the harness, not a loss).
    UPLOAD_COUNT_INTERVAL_MS: '0',
    // Answers do not wait for the projections: right after a batch's answer its events are being projected.
    READ_YOUR_WRITES_MS: '0',
    RATE_LIMIT_PUBLIC_PER_MIN: '100000000',
    ADMIN_PASSWORD: 'Faults-Admin-Pass-2026',
    TRACE_CODE_SECRET: 'faults-trace-code-secret-0123456789',
  };
  if (options.config === 'mixed') {
    const missing = ['MONGODB_URL', 'ELASTICSEARCH_URL', 'REDIS_URL'].filter((v) => !process.env[v]);
    if (missing.length) throw new Error(`--config mixed needs ${missing.join(', ')} (scripts/services/start.sh, then source .ci/services.env)`);
    Object.assign(env, { READ_STORE: 'mongodb', SEARCH: 'elasticsearch', QUEUE: 'bullmq', MONGODB_DB: `suyuan_faults_${names}`, ELASTICSEARCH_INDEX_PREFIX: `suyuan-faults-${names}-`, QUEUE_PREFIX: `suyuan-faults-${names}` });
  }
  return env;
}

/** Two registered producers and the lot the transfer writer ships from; their commands are counted like the rest. */
async function setUp(base: string): Promise<{ setup: Setup; commands: SentCommand[] }> {
  const commands: SentCommand[] = [];
  const send = async (cmd: Omit<SentCommand, 'result' | 'ackedBeforeKill'>) => {
    const full: SentCommand = { ...cmd, result: null, ackedBeforeKill: true };
    accept(full, await call(base, 'POST', cmd.path, { ...cmd.headers, 'Idempotency-Key': cmd.key }, cmd.body));
    commands.push(full);
    return full.result!;
  };
  const entity = async (name: string) => {
    const first17 = `93469027MA${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const body = {
      name, entityType: 'cooperative', regionCode: '469027', address: '海南省乐东黎族自治县佛罗镇', legalRepresentative: '符海生', contactPhone: '13807610001',
      creditCode: first17 + creditCodeCheckChar(first17), products: ['豇豆'],
      bases: [{ name: '佛罗豇豆基地', regionCode: '469027', address: '佛罗镇丹村', lat: 18.601234, lon: 108.780512, products: ['豇豆'] }],
    };
    const applied = await send({ key: `setup-apply-${first17}`, kind: 'entity', path: '/api/v1/entities', headers: {}, body });
    const entityId = String(applied.entityId);
    const approved = await send({ key: `setup-approve-${entityId}`, kind: 'approve', path: `/api/v1/entities/${entityId}/approve`, headers: county('469027'), body: {} });
    return { entityId, eid: String(approved.eid) };
  };
  const a = await entity('故障注入合作社甲');
  const b = await entity('故障注入合作社乙');
  // The batches use their own producers: a lot's sequence number is per producer and day, so two writers
  // creating lots for one producer would meet in optimistic-concurrency conflicts (409, nothing appended).
  const c = await entity('故障注入合作社丙');
  const d = await entity('故障注入合作社丁');
  const lot = await send({ key: `setup-source-${a.entityId}`, kind: 'lot', path: '/api/v1/lots', headers: producer(a.entityId), body: { entityId: a.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 1_000_000, unit: 'kg' }, productionDate: '2026-11-20' } });
  return { setup: { a, b, c, d, shipSource: String(lot.traceCode) }, commands };
}

/** Kills the server at the cycle's chosen moment; the load keeps running until then. */
async function killAt(mode: KillMode, server: ServerProcess, load: CycleLoad): Promise<void> {
  await sleep(between(600, 2_000));
  if (mode === 'inside-batch') {
    const deadline = Date.now() + 10_000;
    while (!load.batchInFlight && Date.now() < deadline) await sleep(1);
    await sleep(between(0, 25));
  } else if (mode === 'projection-batch') {
    await Promise.race([load.nextBatchAck(), sleep(10_000)]);
    await sleep(between(0, 10));
  } else if (mode === 'sealing') {
    void call(server.url, 'POST', '/api/v1/audit/checkpoints', PLATFORM).catch(() => undefined);
    await sleep(between(0, 15));
  }
  await server.kill9();
}

/**
 * Polls the served read side until no projection (but the search one: see digestReadSide) has an event it
 * handles after its stored checkpoint (see effectiveCheckpoint). Answers null then, or, at the deadline, the
 * lowest checkpoint still behind.
 */
async function awaitCheckpoints(side: ReadSide, events: readonly LoggedEvent[], timeoutMs = 60_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  const { projectionsFor } = await import('../../projections');
  // Each projection's last handled event of the whole log: what its checkpoint must reach.
  const targets = projectionsFor('sqlite')
    .filter((x) => !x.search)
    .map((p) => ({ p, head: effectiveCheckpoint(p.handles, Number.MAX_SAFE_INTEGER, events) }));
  for (;;) {
    let lowest: number | null = null;
    for (const { p, head } of targets) {
      const meta = await side.reads.get('_projections', p.name);
      const cp = (meta ? await side.reads.getCheckpoint(`${p.name}@g${String(meta.generation)}`) : null) ?? -1;
      if (effectiveCheckpoint(p.handles, cp, events) < head) lowest = Math.min(lowest ?? cp, cp);
    }
    if (lowest === null) return null;
    if (Date.now() > deadline) return lowest;
    await sleep(100);
  }
}

const SEARCH_QUERIES = (sample: string[]): Record<string, SearchQuery> => ({
  everything: { size: 1, facets: ['kind', 'province', 'city', 'county', 'product', 'type'] },
  keyword: { q: '豇豆', size: 1, facets: ['kind', 'product'] },
  region: { region: '469027', size: 1, facets: ['kind'] },
  entities: { kind: ['entity'], size: 1000 },
  ...Object.fromEntries(sample.map((code, i) => [`lot${i}`, { q: code, size: 1000 }])),
});

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const runId = `${process.pid}${Date.now().toString(36)}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-faults-'));
  const reports: CycleReport[] = [];
  const started = Date.now();
  let server: ServerProcess | null = null;
  process.once('exit', () => server && void server.kill9());
  process.stdout.write(`faults: ${options.cycles} cycles, ${options.config} configuration, data under ${root}\n`);

  let aborted: string | null = null;
  const shared = new SharedLeftovers();
  try {
    await runCycles(options, root, runId, reports, (s) => (server = s), shared);
  } catch (err) {
    // A wrong answer (a 5xx, a refused retry) ends the run; the figures so far are still written, marked.
    aborted = err instanceof Error ? (err.stack ?? err.message) : String(err);
    // What the server printed last says what it was doing (a hung export names no route of its own).
    const running = server as ServerProcess | null;
    if (running) aborted += `\nserver output (last 4,000 characters):\n${running.tail()}`;
    process.stderr.write(`faults: aborted in cycle ${reports.length + 1}: ${aborted}\n`);
    await (server as ServerProcess | null)?.kill9();
  }
  await shared.dropAll();
  writeSummary(options, reports, started, root, aborted);
}

/** This run's names on the shared servers (mixed configuration), dropped when done with — and all of them at the end, aborted or not. */
class SharedLeftovers {
  private readonly pending = new Set<SharedNames>();

  /** The names a configuration uses on the shared servers, registered for dropping (none for the embedded one). */
  register(env: Record<string, string>): SharedNames | null {
    if (env.READ_STORE !== 'mongodb') return null;
    const names: SharedNames = {
      mongoUrl: process.env.MONGODB_URL,
      mongoDb: env.MONGODB_DB,
      elasticsearchUrl: process.env.ELASTICSEARCH_URL,
      indexPrefix: env.ELASTICSEARCH_INDEX_PREFIX,
      redisUrl: process.env.REDIS_URL,
      queuePrefix: env.QUEUE_PREFIX,
    };
    this.pending.add(names);
    return names;
  }

  async drop(names: SharedNames | null): Promise<void> {
    if (!names) return;
    await dropSharedNames(names);
    this.pending.delete(names);
  }

  async dropAll(): Promise<void> {
    for (const names of [...this.pending]) await this.drop(names).catch((err) => process.stderr.write(`faults: could not drop ${names.mongoDb}: ${String(err)}\n`));
  }
}

async function runCycles(options: Options, root: string, runId: string, reports: CycleReport[], current: (s: ServerProcess) => void, shared: SharedLeftovers): Promise<void> {
  let server: ServerProcess;
  for (let epoch = 0; reports.length < options.cycles; epoch++) {
    const dataDir = path.join(root, `dir${epoch}`);
    const names = `${runId}_${epoch}`;
    const env = serverEnv(options, dataDir, names);
    const servedNames = shared.register(env);
    server = new ServerProcess(await freePort(), env);
    current(server);
    await server.start();
    const { setup, commands: setupCommands } = await setUp(server.url);
    let answeredBefore = setupCommands.length;
    const served = loadConfig({ ...process.env, ...env });

    for (let c = 0; c < options.cyclesPerDir && reports.length < options.cycles; c++) {
      const cycle = reports.length + 1;
      const mode = MODES[(cycle - 1) % MODES.length]!;
      const cycleStarted = Date.now();
      const load = new CycleLoad(server.url, setup, `${epoch}.${c}`, '2026-11-20');
      const writers = Promise.all(load.run());
      await killAt(mode, server, load);
      load.stop();
      await writers;

      const restartMs = await server.start();
      const acknowledged = load.commands.filter((x) => x.ackedBeforeKill).length + load.batches.filter((b) => b.ackedBeforeKill).reduce((n, b) => n + b.items.length, 0);
      const { resent, committedUnanswered } = await resendUnanswered(server.url, load.commands, load.batches);
      const resolved = load.commands.filter((x) => x.kind === 'resolve').map((x) => String(x.result!.faultId));
      await awaitIntegrityChecks(server.url, resolved);
      const duplicated = await retryAll(server.url, load.commands, load.batches);
      // Verify and export read the whole ledger (export seals first): a guard against a hang, not a time budget —
      // 60 s was too short at load 15 on the mixed configuration (an aborted 10-cycle run, session 8).
      const verify = await call(server.url, 'GET', '/api/v1/audit/verify', PLATFORM, undefined, LEDGER_CALL_TIMEOUT_MS);
      const exported = await call(server.url, 'GET', '/api/v1/audit/export', PLATFORM, undefined, LEDGER_CALL_TIMEOUT_MS); // seals first
      if (exported.status !== 200) throw new Error(`export answered ${exported.status}: ${JSON.stringify(exported.body).slice(0, 500)}\nserver output:\n${server.tail()}`);
      const exp = exported.body as LedgerExport;
      const ledger = checkLedger(exp, load.commands, load.batches, answeredBefore);
      answeredBefore += load.commands.length + load.batches.reduce((n, b) => n + b.items.length, 0);

      // Read models: the served ones (after the kill, the restart and the catch-up) against a fresh rebuild.
      const head = Math.max(...exp.events.map((e) => e.position));
      const servedSide = await openReadSide(served);
      const sample = load.commands.filter((x) => x.kind === 'lot').slice(-3).map((x) => String(x.result!.traceCode));
      const lagging = await awaitCheckpoints(servedSide, exp.events);
      if (lagging !== null) {
        // Which events the served side never folded names the cause (a source that does not wake the runner, say).
        const tail = exp.events.filter((e) => e.position > lagging).map((e) => `${e.position} ${e.type} ${e.streamId}`);
        process.stdout.write(`    !! served read side stuck at ${lagging} (head ${head}): ${tail.slice(0, 12).join('; ')}\n`);
      }
      const servedDigest = await digestReadSide(servedSide, SEARCH_QUERIES(sample), exp.events);
      await servedSide.close();
      const copyDir = path.join(root, `rebuild${cycle}`);
      const copyEnv = { ...env, DATA_DIR: copyDir, MONGODB_DB: `suyuan_faults_${names}_rb`, ELASTICSEARCH_INDEX_PREFIX: `suyuan-faults-${names}-rb-`, QUEUE_PREFIX: `suyuan-faults-${names}-rb` };
      const copyNames = shared.register(copyEnv);
      const copy = loadConfig({ ...process.env, ...copyEnv });
      const rebuilt = await freshRebuild(path.join(dataDir, 'events.sqlite'), copy);
      const rebuiltDigest = await digestReadSide(rebuilt, SEARCH_QUERIES(sample), exp.events);
      await rebuilt.close();
      await shared.drop(copyNames);
      fs.rmSync(copyDir, { recursive: true, force: true });
      const divergences = compareDigests(servedDigest, rebuiltDigest);

      const problems = [
        ...ledger.lost,
        ...duplicated,
        ...ledger.duplicatedInLedger,
        ...ledger.halfApplied,
        ...divergences,
        ...ledger.jobEffects.missing.map((f) => `${f}: integrity-check job never ran`),
        ...ledger.jobEffects.twice,
        ...(ledger.ledgerOk ? [] : ['the export does not verify']),
        ...(verify.status === 200 && verify.body.ok === true ? [] : [`GET /audit/verify: ${JSON.stringify(verify.body).slice(0, 300)}`]),
      ];
      const report: CycleReport = {
        cycle,
        mode,
        acknowledged,
        resent,
        committedUnanswered,
        lost: ledger.lost.length,
        duplicated: duplicated.length + ledger.duplicatedInLedger.length,
        halfApplied: ledger.halfApplied.length,
        divergences: divergences.length,
        jobLost: ledger.jobEffects.missing.length,
        jobTwice: ledger.jobEffects.twice.length,
        ledgerOk: ledger.ledgerOk && verify.body?.ok === true,
        restartMs,
        cycleMs: Date.now() - cycleStarted,
        events: ledger.events,
        problems,
      };
      reports.push(report);
      process.stdout.write(
        `cycle ${String(cycle).padStart(3)} ${mode.padEnd(16)} acked ${String(acknowledged).padStart(4)} resent ${String(resent).padStart(3)} (committed unanswered ${committedUnanswered})` +
          ` lost ${report.lost} dup ${report.duplicated} half ${report.halfApplied} div ${report.divergences} jobs ${ledger.jobEffects.integrityChecks}/${ledger.jobEffects.resolvedFaults}` +
          ` verify ${report.ledgerOk ? 'ok' : 'FAIL'} restart ${(restartMs / 1000).toFixed(1)} s cycle ${(report.cycleMs / 1000).toFixed(1)} s, ${ledger.events} events\n`,
      );
      for (const p of problems.slice(0, 10)) process.stdout.write(`    !! ${p}\n`);
    }
    await server.stop();
    await shared.drop(servedNames);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function writeSummary(options: Options, reports: CycleReport[], started: number, root: string, aborted: string | null): void {
  const sum = (f: (r: CycleReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const summary = {
    machine: machineInfo(),
    config: options.config,
    cycles: reports.length,
    acknowledged: sum((r) => r.acknowledged),
    resentAfterKill: sum((r) => r.resent),
    committedButUnanswered: sum((r) => r.committedUnanswered),
    lost: sum((r) => r.lost),
    duplicated: sum((r) => r.duplicated),
    halfApplied: sum((r) => r.halfApplied),
    divergences: sum((r) => r.divergences),
    jobEffectsLost: sum((r) => r.jobLost),
    jobEffectsTwice: sum((r) => r.jobTwice),
    verifyFailures: reports.filter((r) => !r.ledgerOk).length,
    aborted,
    byMode: Object.fromEntries(MODES.map((m) => [m, reports.filter((r) => r.mode === m).length])),
    restartSeconds: { median: median(reports.map((r) => r.restartMs / 1000)), max: Math.max(...reports.map((r) => r.restartMs / 1000)) },
    cycleSeconds: { median: median(reports.map((r) => r.cycleMs / 1000)), max: Math.max(...reports.map((r) => r.cycleMs / 1000)) },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    cyclesDetail: reports,
  };
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const out = path.join(ROOT, 'bench', 'results', `faults-${new Date().toISOString().replace(/[:.]/g, '-')}-${options.config}.json`);
  fs.writeFileSync(out, JSON.stringify(summary, null, 2));
  fs.rmSync(root, { recursive: true, force: true });
  const bad = (aborted ? 1 : 0) + summary.lost + summary.duplicated + summary.halfApplied + summary.divergences + summary.jobEffectsLost + summary.jobEffectsTwice + summary.verifyFailures;
  process.stdout.write(
    `faults ${options.config}${aborted ? ' (ABORTED)' : ''}: ${summary.cycles} cycles, ${summary.acknowledged} commands acknowledged before a kill, ${summary.resentAfterKill} resent after it (${summary.committedButUnanswered} had committed), ` +
      `lost ${summary.lost}, duplicated ${summary.duplicated}, half-applied ${summary.halfApplied}, divergences ${summary.divergences}, job effects lost ${summary.jobEffectsLost} / twice ${summary.jobEffectsTwice}, ` +
      `verify failures ${summary.verifyFailures}; ${summary.durationSeconds} s (${path.relative(ROOT, out)})\n`,
  );
  process.exit(bad === 0 ? 0 : 1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.floor(s.length / 2)]! * 10) / 10 : 0;
}

main().catch((err) => {
  process.stderr.write(`faults: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
