/**
 * Development helper, not a test: the same in-process demo server the browser tests use, kept running.
 *   node -r ./tests/support/swc-register.js tests/browser/support/run-demo-server.ts [port]
 * (npm start does the same with persistent data; this one starts from an empty ledger every time.)
 */
import 'reflect-metadata';
import { ADMIN_PASSWORD, startDemoServer } from './demo-server';

async function main() {
  const server = await startDemoServer({ LOG_LEVEL: 'warn' });
  process.stdout.write(
    [
      `demo server at ${server.url}`,
      `  consumer: ${server.url}/t/${server.summary.showcaseTraceCode}`,
      `  failed lab test (on hold): ${server.url}/t/${server.summary.quality.failedTraceCode}`,
      `  admin password: ${ADMIN_PASSWORD}`,
      `  accounts (password ${server.summary.password}):`,
      ...server.summary.accounts.map((a) => `    ${a.username}  ${a.role}  ${a.name}`),
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
