import type { JobQueue } from '../ports/job-queue';
import { restoreChain, type BackupManifest, type StoredBackup } from './backup-manifest';
import { backupsToDelete } from './retention';

export const BACKUP_JOB = 'take-backup';

export interface BackupPolicy {
  everyMs: number;
  /** Increments between two full backups (0: every backup is full). */
  incrementsPerFull: number;
  /** Full backups kept (each with its increments). */
  keepFull: number;
}

/** Where backups go and how one is taken (the embedded adapter: infrastructure/backup). */
export interface BackupRepository {
  list(): StoredBackup[];
  take(kind: 'full' | 'incremental'): Promise<{ manifest: BackupManifest; written: boolean; ms: number }>;
  delete(backup: StoredBackup): void;
}

export interface BackupLog {
  info(msg: string, extra?: object): void;
}

/** One scheduled run: an increment, or a full backup when the chain has as many increments as the policy allows; then retention. */
export async function runScheduledBackup(repo: BackupRepository, policy: BackupPolicy, log: BackupLog): Promise<void> {
  const chain = restoreChain(repo.list());
  const kind = chain.length === 0 || chain.length - 1 >= policy.incrementsPerFull ? 'full' : 'incremental';
  const taken = await repo.take(kind);
  const m = taken.manifest;
  if (taken.written) log.info('backup taken', { id: m.id, kind: m.kind, events: m.eventCount, toPosition: m.toPosition, ms: taken.ms });
  for (const old of backupsToDelete(repo.list(), policy.keepFull)) {
    repo.delete(old);
    log.info('backup deleted by retention', { id: old.manifest.id });
  }
}

/** Registers the backup job and its repeat on the job queue (call before the queue starts; repeat after). */
export function registerBackupJob(queue: JobQueue, repo: BackupRepository, policy: BackupPolicy, log: BackupLog): { schedule(): Promise<void> } {
  queue.register(BACKUP_JOB, () => runScheduledBackup(repo, policy, log));
  return { schedule: () => queue.repeat(BACKUP_JOB, {}, policy.everyMs, BACKUP_JOB) };
}
