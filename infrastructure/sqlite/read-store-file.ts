import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import type { SqliteDatabase } from './sqlite-database';
import { isFileBacked } from './sqlite-database';

/**
 * A new read-model file is created with `auto_vacuum = INCREMENTAL` (decision 0021). Blue/green rebuilds
 * drop whole generations of read models; without it their pages stay in the file as free pages forever
 * (the S benchmark ended with most of its 834 MB read-model file free after the rebuilds). The setting
 * only takes on an empty file and before WAL mode, so it is made here, before `openDatabase`. A file made
 * by an earlier version keeps its mode (a VACUUM would change it; nothing here runs one).
 */
export function createReadStoreFile(filePath: string): void {
  if (!isFileBacked(filePath) || (fs.existsSync(filePath) && fs.statSync(filePath).size > 0)) return;
  const db = new Database(filePath);
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    // Any table fixes the mode in the header; the store creates its own tables after.
    db.exec('CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID');
  } finally {
    db.close();
  }
}

/** Hands the free pages of an incremental-vacuum file back to the file system, a slice at a time. */
export async function releaseFreePages(db: SqliteDatabase, pagesPerStep = 4096): Promise<void> {
  if (Number(db.pragma('auto_vacuum', { simple: true })) !== 2) return;
  // `db.open` again after each pause: the store may have been closed meanwhile.
  while (db.open && Number(db.pragma('freelist_count', { simple: true })) > 0) {
    db.pragma(`incremental_vacuum(${pagesPerStep})`);
    // Let requests in between: a dropped generation can be hundreds of megabytes.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
