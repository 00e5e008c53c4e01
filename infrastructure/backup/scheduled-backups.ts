import * as path from 'node:path';
import { registerBackupJob } from '../../application/backup/backup-schedule';
import type { Ledger } from '../../application/ledger/ledger';
import type { Clock } from '../../application/ports/clock';
import type { JobQueue } from '../../application/ports/job-queue';
import type { LedgerSigner } from '../../application/ports/signer';
import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { directoryBackupRepository } from './backup-repository';

/**
 * Registers the scheduled backup job when BACKUP_DIR is set on the embedded ledger (KurrentDB has its own
 * backups: docs/operations.md). Returns what starts the repeat once the queue runs, or null.
 */
export function registerScheduledBackups(config: AppConfig, queue: JobQueue, ledger: Ledger, signer: LedgerSigner, clock: Clock, logger: Logger): { schedule(): Promise<void> } | null {
  if (!config.BACKUP_DIR || config.BACKUP_INTERVAL_MS === 0 || config.EVENT_STORE !== 'sqlite') return null;
  const repo = directoryBackupRepository(path.resolve(config.BACKUP_DIR), { dataDir: config.dataDir, ledger, signer, now: () => clock.now() });
  return registerBackupJob(
    queue,
    repo,
    { everyMs: config.BACKUP_INTERVAL_MS, incrementsPerFull: config.BACKUP_INCREMENTS_PER_FULL, keepFull: config.BACKUP_KEEP_FULL },
    { info: (msg, extra) => logger.info(extra ?? {}, msg) },
  );
}
