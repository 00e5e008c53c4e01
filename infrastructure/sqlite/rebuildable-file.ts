import * as fs from 'node:fs';
import Database from 'better-sqlite3';

export interface SetAside {
  file: string;
  /** Where the damaged file (and its -wal/-shm) now are, for a post-mortem. */
  movedTo: string;
  reason: string;
}

/**
 * A file that holds only what the log can rebuild (read models, the search index) is checked before it is
 * opened: missing is fine (the runner builds it), damaged is set aside so the server starts on an empty file
 * and the projection runner rebuilds from the log — no operator needed. `PRAGMA quick_check` reads every
 * page but skips the index-content checks of integrity_check (seconds for a gigabyte, once per start).
 * Returns what was set aside, or null when the file is intact or absent.
 */
export function setAsideIfDamaged(file: string, now: Date = new Date()): SetAside | null {
  if (!fs.existsSync(file)) return null;
  const reason = damage(file);
  if (!reason) return null;
  const movedTo = `${file}.damaged-${now.toISOString().replace(/[-:.]/g, '')}`;
  fs.renameSync(file, movedTo);
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, movedTo + suffix);
  return { file, movedTo, reason };
}

function damage(file: string): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
    const rows = db.pragma('quick_check(20)', { simple: false }) as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return problems.length ? problems.join('; ') : null;
  } catch (err) {
    // Not a database any more (a damaged header), or damaged beyond opening.
    return err instanceof Error ? err.message : String(err);
  } finally {
    try {
      db?.close();
    } catch {
      /* a damaged file may refuse even to close cleanly */
    }
  }
}
