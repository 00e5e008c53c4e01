import { CommandBus } from '@nestjs/cqrs';
import type { AddressInfo } from 'node:net';
import { ensureBootstrapAdmin } from '../../../application/accounts/bootstrap-admin';
import { loadDemoData, type DemoSummary } from '../../../infrastructure/demo/load-demo-data';
import { argon2Hasher } from '../../../infrastructure/system/argon2-hasher';
import { startTestApp, type TestApp } from '../../integration/support/test-app';

/** The ministry admin `admin` (national supervisor), created as `npm start` does, with a known password. */
export const ADMIN_PASSWORD = 'Browser-Test-Admin-2026';

export interface DemoServer {
  /** http://127.0.0.1:{port} — where the browser goes. */
  url: string;
  summary: DemoSummary;
  t: TestApp;
  close(): Promise<void>;
}

/**
 * The real HTTP app (API + built web app) on a fresh data directory with the demo loaded, listening on a
 * free port. Real accounts and tokens (AUTH=tokens, the production default): the browser tests sign in
 * with the demo accounts like a user would.
 */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const t = await startTestApp({
    AUTH: 'tokens',
    // Several sign-ins per run from the same address; the production limit (10/min) would trip.
    RATE_LIMIT_LOGIN_PER_MIN: '1000',
    // One demo account opens dozens of pages a minute (the accessibility tour: 41 pages, each with its second
    // requests): on a quiet machine it passed the per-account limit (600/min, issue 11), got 429s and a page never
    // became ready. The limit has its own tests (tests/integration); here it would only make the suites flaky.
    RATE_LIMIT_ACCOUNT_PER_MIN: '100000',
    READ_YOUR_WRITES_MS: '3000',
    ...env,
  });
  const summary = await loadDemoData(t.app.get(CommandBus), new Date());
  await ensureBootstrapAdmin(t.platform, argon2Hasher, ADMIN_PASSWORD);
  await settle(t);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, summary, t, close: () => t.close() };
}

/**
 * Waits until the read models hold everything, including what the quality reactor appends in reaction to the
 * demo (a failed sample → warnings → holds downstream), which in turn has to be projected.
 */
async function settle(t: TestApp): Promise<void> {
  for (let head = -1; ; ) {
    const now = await t.platform.adapters.eventStore.headPosition();
    if (now === head) return;
    head = now;
    await t.platform.quality.reactor.waitFor(head, 30_000);
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition(), 30_000);
  }
}
