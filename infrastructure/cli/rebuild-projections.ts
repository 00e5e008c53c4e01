import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createPlatform } from '../composition/platform';
import { createLogger } from '../logging/logger';

/**
 * `npm run rebuild [-- <projection>]`: rebuilds read models from the event log, blue/green, with the server
 * stopped (for a running server use `POST /api/v1/admin/projections/rebuild`). Prints the rate.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const platform = await createPlatform(config, logger);
  const head = await platform.adapters.eventStore.headPosition();
  const started = Date.now();
  await platform.runner.rebuild(name);
  const seconds = (Date.now() - started) / 1000;
  const status = await platform.runner.status();
  process.stdout.write(
    `rebuilt ${name ?? 'all projections'} over ${head} events in ${seconds.toFixed(2)} s` +
      ` (${Math.round(head / Math.max(seconds, 0.001))} events/s per projection pass)\n` +
      status.map((s) => `  ${s.name} v${s.version} generation ${s.generation} checkpoint ${s.checkpoint}`).join('\n') +
      '\n',
  );
  await platform.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
