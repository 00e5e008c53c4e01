/**
 * What one backup is (容灾备份): a full copy of the embedded stack, or an increment — the events appended since
 * the backup it is based on. The manifest is written last, so a directory without one is an interrupted
 * backup and never part of a chain.
 */
export const BACKUP_FORMAT = 'suyuan-backup/1';
export const MANIFEST_FILE = 'manifest.json';

export interface BackupFile {
  sha256: string;
  bytes: number;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  /** Sortable: `YYYYMMDDTHHMMSSmmmZ-full` / `-incr`; also the directory name. */
  id: string;
  kind: 'full' | 'incremental';
  createdAt: string;
  /** The backup this increment continues (null for a full backup). */
  basedOn: string | null;
  /** Exclusive: the events of this backup have positions in (fromPosition, toPosition]. 0 for a full backup. */
  fromPosition: number;
  toPosition: number;
  eventCount: number;
  /** The last signed checkpoint inside this backup's events (the backup seals one before it copies). */
  lastCheckpoint: { sequence: number; toPosition: number } | null;
  /** Key that signed the checkpoints (the full secret is in secrets.json of the backup). */
  keyId: string;
  /**
   * Process-manager checkpoints (`reactor:*`) when the backup was taken: after a restore the reactors resume
   * there instead of reacting to the whole history again (which would re-send every webhook).
   */
  reactorCheckpoints: Record<string, number>;
  files: Record<string, BackupFile>;
}

/** A backup found on disk: its manifest and the directory that holds its files. */
export interface StoredBackup {
  manifest: BackupManifest;
  dir: string;
}

/**
 * The chain to restore: the newest full backup and, in order, the increments that continue it without a
 * gap. An increment whose predecessor is missing ends the chain (what comes after it cannot be applied).
 */
export function restoreChain(backups: readonly StoredBackup[]): StoredBackup[] {
  const sorted = [...backups].sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));
  const fullIndex = sorted.map((b) => b.manifest.kind).lastIndexOf('full');
  if (fullIndex < 0) return [];
  const chain = [sorted[fullIndex]!];
  for (const next of sorted.slice(fullIndex + 1)) {
    const last = chain[chain.length - 1]!.manifest;
    if (next.manifest.kind !== 'incremental' || next.manifest.basedOn !== last.id || next.manifest.fromPosition !== last.toPosition) break;
    chain.push(next);
  }
  return chain;
}

/** The backup a new increment continues: the end of the current chain (null: take a full backup). */
export function chainHead(backups: readonly StoredBackup[]): StoredBackup | null {
  const chain = restoreChain(backups);
  return chain[chain.length - 1] ?? null;
}

export function backupId(at: Date, kind: BackupManifest['kind']): string {
  return `${at.toISOString().replace(/[-:.]/g, '')}-${kind === 'full' ? 'full' : 'incr'}`;
}
