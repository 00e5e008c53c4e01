import type { AppConfig } from '../config/config';
import { createPlatform } from '../composition/platform';
import type { Logger } from '../logging/logger';
import { SqliteJobQueue } from '../sqlite/sqlite-job-queue';

/**
 * Builds every read model from the restored ledger (into whatever read store and search the configuration
 * names), then sets the reactors' checkpoints to where the backup found them, so they resume there instead of
 * reacting to the whole history again. The restored job queue is not run here: the jobs are the server's.
 */
export async function rebuildAfterRestore(config: AppConfig, logger: Logger, reactorCheckpoints: Record<string, number>): Promise<{ ms: number; head: number }> {
  const started = Date.now();
  const platform = await createPlatform({ ...config, CHECKPOINT_INTERVAL_MS: 0, BACKUP_DIR: undefined }, logger, {
    startProjections: false,
    jobQueue: new SqliteJobQueue(':memory:'),
  });
  try {
    await platform.runner.start();
    const head = await platform.adapters.eventStore.headPosition();
    while (!(await platform.runner.waitFor(head, 60_000))) {
      /* a large ledger takes minutes */
    }
    for (const [name, position] of Object.entries(reactorCheckpoints))
      if ((await platform.adapters.readStore.getCheckpoint(name)) === null) await platform.adapters.readStore.applyChanges(name, [], Math.min(position, head));
    return { ms: Date.now() - started, head };
  } finally {
    await platform.close();
  }
}
