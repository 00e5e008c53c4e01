import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccountCredentials } from '../../application/accounts/credentials';
import { withStreamCache } from '../../application/ledger/cached-event-store';
import { RunBatchCommand, RunBatchHandler, type BatchItem } from '../../application/batch/run-batch';
import { CN_HOLIDAYS } from '../../domain/shared/holidays-cn';
import { parseBatchPayload } from '../../infrastructure/http/batch/batch.schemas';
import { SqliteCredentialStore } from '../../infrastructure/sqlite/sqlite-credential-store';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { systemClock, systemIds } from '../../infrastructure/system/system-clock';
import { Batcher, type ItemResponse } from '../generator/batcher';
import type { DatasetPlan } from '../generator/plan';
import { now } from '../lib/stats';

/**
 * The write path alone, in-process: the batch handler (staging store, deciders, hashing, group commit)
 * over a fresh SqliteEventStore — no HTTP, no JSON, no projections competing for the CPU. The same plan
 * as the HTTP run; the difference between the two is what the rest of the server costs.
 */
/** One stretch of the supply chains: how the cost per event moves as the ledger grows (issue 17, flat with size). */
export interface WritePathChunk {
  /** Chain events appended when the stretch ended, and the ledger file's size then. */
  eventsSoFar: number;
  ledgerMb: number;
  eventsPerSecond: number;
  cpuMicrosPerEvent: number;
  /**
   * Bytes the process read and wrote through system calls per event (/proc/self/io rchar, wchar): SQLite's
   * page reads that miss its own cache land here even when the OS serves them from memory, so a growing figure
   * is B-tree pages evicted from SQLite's cache and read back.
   */
  readBytesPerEvent?: number;
  writtenBytesPerEvent?: number;
}

export interface WritePathOptions {
  /** Stop the supply chains after about that many events (the plan's own chains, cut short). */
  maxChainEvents?: number;
  /** Record a WritePathChunk every that many chain events. */
  timelineEvery?: number;
  /** An experiment's knob: the ledger connection's page cache in MiB instead of better-sqlite3's default 16 MiB (SQLITE_DEFAULT_CACHE_SIZE -16000). */
  cacheMiB?: number;
  /**
   * An experiment's knob: the ledger's `wal_autocheckpoint` in pages instead of SQLite's 1,000. A page dirtied
   * by many commits is copied into the file once per checkpoint, so the difference is what copying it at every
   * batch costs the writer. (Turning the checkpoint off would not measure that: a WAL of gigabytes slows every
   * page lookup through the wal-index.)
   */
  autocheckpointPages?: number;
  /** An experiment's knob: the write side's stream cache budget in events instead of 30,000 (cached-event-store.ts). */
  streamCacheEvents?: number;
}

/** Linux's per-process I/O counters; undefined elsewhere. */
function processIo(): { rchar: number; wchar: number } | undefined {
  try {
    const text = fs.readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { rchar: field('rchar'), wchar: field('wchar') };
  } catch {
    return undefined;
  }
}

export async function writePathAlone(
  dir: string,
  plan: DatasetPlan,
  batchSize: number,
  options: WritePathOptions = {},
): Promise<{ events: number; seconds: number; eventsPerSecond: number; registrationSeconds: number; cpuSeconds: number; cappedAt?: number; cacheMiB?: number; autocheckpointPages?: number; streamCacheEvents?: number; timeline?: WritePathChunk[] }> {
  const maxChainEvents = options.maxChainEvents;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ledgerFile = path.join(dir, 'events.sqlite');
  const store = new SqliteEventStore(ledgerFile);
  const ledgerDb = (store as unknown as { db: import('better-sqlite3').Database }).db;
  if (options.cacheMiB !== undefined) ledgerDb.pragma(`cache_size = -${Math.round(options.cacheMiB * 1024)}`);
  if (options.streamCacheEvents !== undefined) withStreamCache(store, options.streamCacheEvents);
  if (options.autocheckpointPages !== undefined) ledgerDb.pragma(`wal_autocheckpoint = ${Math.round(options.autocheckpointPages)}`);
  const settings = { traceCodeSecret: 'bench-trace-code-secret-0123456789', calendar: CN_HOLIDAYS, publicUrl: 'http://bench', readYourWritesMs: 0 };
  const credentials = new AccountCredentials(new SqliteCredentialStore(path.join(dir, 'credentials.sqlite')), store, systemClock);
  const handler = new RunBatchHandler(store, systemClock, systemIds, settings, argon2Hasher, credentials);
  const actor = { userId: 'bench-platform', orgId: 'platform', role: 'system' as const, regionCode: '' };
  const batcher = new Batcher(batchSize);
  const timeline: WritePathChunk[] = [];
  const run = async (ops: Iterator<import('../generator/plan').Op>, size: number, every?: number) => {
    batcher.use(ops);
    let events = 0;
    const start = now();
    const cpuStart = process.cpuUsage();
    let mark = { events: 0, at: start, cpu: cpuStart, io: processIo() };
    const chunk = () => {
      const at = now();
      const cpu = process.cpuUsage();
      const io = processIo();
      const n = events - mark.events;
      timeline.push({
        eventsSoFar: events,
        ledgerMb: Math.round(fs.statSync(ledgerFile).size / 2 ** 20),
        eventsPerSecond: Math.round(n / ((at - mark.at) / 1000)),
        cpuMicrosPerEvent: Math.round((cpu.user + cpu.system - mark.cpu.user - mark.cpu.system) / n),
        ...(io && mark.io ? { readBytesPerEvent: Math.round((io.rchar - mark.io.rchar) / n), writtenBytesPerEvent: Math.round((io.wchar - mark.io.wchar) / n) } : {}),
      });
      mark = { events, at, cpu, io };
    };
    for (let b = batcher.next(size); b; b = batcher.next(size)) {
      const outcome = await handler.execute(new RunBatchCommand({ items: b.items as BatchItem[], parse: parseBatchPayload }, { commandId: `wp-${b.items[0]!.commandId}`, actor }));
      const answers: ItemResponse[] = outcome.items.map((r) =>
        r.ok ? { commandId: r.commandId, status: 'ok', duplicate: r.duplicate, result: r.result as Record<string, unknown> } : { commandId: r.commandId, status: 'error', error: { code: (r.error as { code?: string }).code ?? r.error.name, message: r.error.message, field: null } },
      );
      events += batcher.record(b.ops, answers);
      if (every && events - mark.events >= every) chunk();
    }
    // Process CPU time (all threads: hashing workers included) is steadier than wall time on a shared machine.
    const cpu = process.cpuUsage(cpuStart);
    return { events, seconds: (now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  };
  const registration = await run(plan.registrations(), 200);
  const chains = await run(plan.chains(maxChainEvents), batchSize, options.timelineEvery);
  await store.close();
  await credentials.close();
  return { events: chains.events, seconds: chains.seconds, eventsPerSecond: chains.events / chains.seconds, registrationSeconds: registration.seconds, cpuSeconds: chains.cpuSeconds, ...(maxChainEvents === undefined ? {} : { cappedAt: maxChainEvents }), ...(options.cacheMiB === undefined ? {} : { cacheMiB: options.cacheMiB }), ...(options.autocheckpointPages === undefined ? {} : { autocheckpointPages: options.autocheckpointPages }), ...(options.streamCacheEvents === undefined ? {} : { streamCacheEvents: options.streamCacheEvents }), ...(timeline.length ? { timeline } : {}) };
}
