/**
 * Whether a failure is the disk (or quota) being full: SQLite's SQLITE_FULL, or ENOSPC/EDQUOT from the file
 * system (blobs, backups). SQLite rolls the transaction back, so nothing of the refused write is kept;
 * the client is told to retry later (HTTP 503 STORAGE_FULL) rather than that the request was wrong.
 */
export function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}
