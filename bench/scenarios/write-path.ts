import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccountCredentials } from '../../application/accounts/credentials';
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
/** `maxChainEvents` stops the supply chains after about that many events (the plan's own chains, cut short). */
export async function writePathAlone(dir: string, plan: DatasetPlan, batchSize: number, maxChainEvents?: number): Promise<{ events: number; seconds: number; eventsPerSecond: number; registrationSeconds: number; cpuSeconds: number; cappedAt?: number }> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  const settings = { traceCodeSecret: 'bench-trace-code-secret-0123456789', calendar: CN_HOLIDAYS, publicUrl: 'http://bench', readYourWritesMs: 0 };
  const credentials = new AccountCredentials(new SqliteCredentialStore(path.join(dir, 'credentials.sqlite')), store, systemClock);
  const handler = new RunBatchHandler(store, systemClock, systemIds, settings, argon2Hasher, credentials);
  const actor = { userId: 'bench-platform', orgId: 'platform', role: 'system' as const, regionCode: '' };
  const batcher = new Batcher(batchSize);
  const run = async (ops: Iterator<import('../generator/plan').Op>, size: number) => {
    batcher.use(ops);
    let events = 0;
    const start = now();
    const cpuStart = process.cpuUsage();
    for (let b = batcher.next(size); b; b = batcher.next(size)) {
      const outcome = await handler.execute(new RunBatchCommand({ items: b.items as BatchItem[], parse: parseBatchPayload }, { commandId: `wp-${b.items[0]!.commandId}`, actor }));
      const answers: ItemResponse[] = outcome.items.map((r) =>
        r.ok ? { commandId: r.commandId, status: 'ok', duplicate: r.duplicate, result: r.result as Record<string, unknown> } : { commandId: r.commandId, status: 'error', error: { code: (r.error as { code?: string }).code ?? r.error.name, message: r.error.message, field: null } },
      );
      events += batcher.record(b.ops, answers);
    }
    // Process CPU time (all threads: hashing workers included) is steadier than wall time on a shared machine.
    const cpu = process.cpuUsage(cpuStart);
    return { events, seconds: (now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  };
  const registration = await run(plan.registrations(), 200);
  const chains = await run(plan.chains(maxChainEvents), batchSize);
  await store.close();
  await credentials.close();
  return { events: chains.events, seconds: chains.seconds, eventsPerSecond: chains.events / chains.seconds, registrationSeconds: registration.seconds, cpuSeconds: chains.cpuSeconds, ...(maxChainEvents === undefined ? {} : { cappedAt: maxChainEvents }) };
}
