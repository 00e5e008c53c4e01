import 'reflect-metadata';
import * as path from 'node:path';
import { rebuildAfterRestore } from '../backup/rebuild-after-restore';
import { restoreLedger, RestoreRefused } from '../backup/sqlite-restore';
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';

/**
 * `npm run restore -- <backup dir | one backup | export.json>` into an EMPTY DATA_DIR: verifies the hash
 * chains and checkpoint signatures first (refusing, with the first bad event named, and leaving DATA_DIR
 * empty), then rebuilds the read models. Exit 0 restored, 1 refused or failed, 2 usage.
 */
async function main(): Promise<void> {
  const source = process.argv[2];
  if (!source) {
    process.stderr.write('usage: restore <backup-dir | backup-dir/<id> | suyuan-ledger.json>   (DATA_DIR must be empty)\n');
    process.exit(2);
  }
  const config = loadConfig();
  if (config.EVENT_STORE !== 'sqlite') throw new Error('npm run restore restores the embedded ledger; for KurrentDB see docs/operations.md');
  const restored = await restoreLedger(path.resolve(source), config.dataDir);
  const v = restored.verdict;
  process.stdout.write(
    `verified ${v.eventsChecked} events, ${v.checkpointsChecked} signed checkpoints` +
      (v.unsealedEvents ? ` (${v.unsealedEvents} newest chained, not yet sealed)` : '') +
      ` in ${(restored.ms / 1000).toFixed(2)} s` +
      (restored.chain.length ? ` from ${restored.chain.join(' + ')}` : ' from the export') +
      '\n',
  );
  const rebuilt = await rebuildAfterRestore(config, createLogger(config.LOG_LEVEL), restored.reactorCheckpoints);
  process.stdout.write(`read models rebuilt to position ${rebuilt.head} in ${(rebuilt.ms / 1000).toFixed(2)} s\nrestore OK into ${config.dataDir}\n`);
  for (const note of restored.notes) process.stdout.write(`NOTE: ${note}\n`);
}

main().catch((err) => {
  if (err instanceof RestoreRefused) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
