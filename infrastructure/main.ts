import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import { displayTraceCode } from '../domain/lots';
import { ensureBootstrapAdmin } from '../application/accounts/bootstrap-admin';
import { loadConfig } from './config/config';
import { argon2Hasher } from './system/argon2-hasher';
import { createPlatform } from './composition/platform';
import { loadDemoData } from './demo/load-demo-data';
import { createHttpApp } from './http/create-http-app';
import { createLogger } from './logging/logger';
import { findCjkFont } from './http/labels/cjk-font';
import { reportFont } from '../application/reports/pdf/report-font';

/** `npm start`: the API, the web page and the projections on the configured stack (embedded by default). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const platform = await createPlatform(config, logger);
  const app = await createHttpApp(platform);
  await app.listen(config.PORT, config.HOST);
  const emptyLedger = (await platform.adapters.eventStore.headPosition()) === 0;
  const admin = await ensureBootstrapAdmin(platform, argon2Hasher, config.ADMIN_PASSWORD);
  if (config.AUTH === 'dev-headers')
    logger.warn('AUTH=dev-headers: identities are taken from X-Role/X-Org-Id headers without proof. Never use this in production.');

  let tryCode: string | null = null;
  let demoAccounts: string[] = [];
  if (config.DEMO_DATA === 'on' && emptyLedger) {
    const started = Date.now();
    const summary = await loadDemoData(app.get(CommandBus), platform.clock.now());
    tryCode = summary.showcaseTraceCode;
    demoAccounts = [
      `  Demo accounts (password ${summary.password}):`,
      ...summary.accounts.map((a) => `    ${a.username.padEnd(16)} ${a.role.padEnd(15)} ${a.name}`),
    ];
    logger.info({ ...summary, ms: Date.now() - started }, 'demo data loaded');
  }
  // Ready (GET /health/ready) once every projection has folded the log up to here: the bootstrap admin can
  // sign in and the demo is searchable. The start message below is printed only then.
  // Parse the CJK font of the PDF reports once now, before ready, instead of in the first report's request.
  const cjk = findCjkFont();
  if (cjk) reportFont(cjk.file, cjk.face);
  await platform.readiness.begin(platform.runner, await platform.adapters.eventStore.headPosition(), () => platform.clock.now());
  if (!tryCode) {
    const [lot] = await platform.readModels.find('lots', { depth: { $gte: 1 } }, { sort: { depth: -1 }, limit: 1 });
    tryCode = lot?._id ?? null;
  }

  const url = config.publicUrl;
  const lines = [
    '',
    `  溯源 Suyuan is running at ${url}`,
    `  data: ${config.dataDir} (event store ${config.EVENT_STORE}, read store ${config.READ_STORE}, search ${config.SEARCH}, queue ${config.QUEUE})`,
    `  API docs: ${url}/api/docs    ready: ${url}/health/ready`,
  ];
  if (tryCode) {
    lines.push(
      `  Try a trace code: ${displayTraceCode(tryCode)}`,
      `    consumer page: ${url}/t/${tryCode}`,
      `    API:           curl ${url}/api/v1/trace/${tryCode}`,
      `    full chain:    curl -H 'Authorization: Bearer …' '${url}/api/v1/trace/${tryCode}/chain?direction=both'`,
    );
  }
  lines.push(...demoAccounts);
  if (admin.created && !config.ADMIN_PASSWORD)
    lines.push(`  Admin account created: admin / ${admin.password}  (shown once; change it: POST /api/v1/auth/password)`);
  lines.push(
    `  Sign in: curl -X POST ${url}/api/v1/auth/login -H 'content-type: application/json' -d '{"username":"admin","password":"…"}'`,
    `  Search (signed in): curl -H 'Authorization: Bearer …' '${url}/api/v1/search?q=豇豆'`,
    '',
  );
  process.stdout.write(lines.join('\n') + '\n');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
