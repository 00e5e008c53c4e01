import type { BackupRepository } from '../../application/backup/backup-schedule';
import type { StoredBackup } from '../../application/backup/backup-manifest';
import { listBackups } from './backup-files';
import { deleteBackup, takeBackup, type BackupSource } from './sqlite-backup';

/** Backups of the embedded stack in one directory (BACKUP_DIR), for the scheduled job. */
export function directoryBackupRepository(root: string, source: BackupSource): BackupRepository {
  return {
    list: () => listBackups(root),
    take: (kind) => takeBackup(root, kind, source),
    delete: (backup: StoredBackup) => deleteBackup(backup),
  };
}
