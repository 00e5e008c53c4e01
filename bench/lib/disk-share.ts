import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AUDIT_INDEXES } from '../../infrastructure/sqlite/event-store-schema';

/** The indexes that serve the audit query inside the ledger's file (decision 0027): read-side bytes, not log. */
const AUDIT_INDEX_NAMES = Object.keys(AUDIT_INDEXES);

export interface DiskShare {
  /** events.sqlite (and its WAL) without the audit indexes, MB. */
  logMb: number;
  /** read-models.sqlite + search.sqlite (and their WALs) + the audit indexes, MB. */
  readModelsMb: number;
  /** The audit indexes inside events.sqlite, MB (counted in readModelsMb). */
  auditIndexesMb: number;
  ratio: number;
}

/**
 * What issue 17's disk goal compares (read models ≤ 1.5× the log), measured on a stopped server's data directory.
 * The audit query's indexes live in the ledger's file but exist only for a query, so they count as read side.
 */
export function diskShare(dataDir: string): DiskShare {
  const size = (name: string) => [name, `${name}-wal`].reduce((n, f) => n + (fs.existsSync(path.join(dataDir, f)) ? fs.statSync(path.join(dataDir, f)).size : 0), 0);
  const db = new Database(path.join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  let auditBytes: number;
  try {
    const rows = db.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name IN (${AUDIT_INDEX_NAMES.map(() => '?').join(', ')}) GROUP BY name`).all(...AUDIT_INDEX_NAMES) as { bytes: number }[];
    auditBytes = rows.reduce((n, r) => n + r.bytes, 0);
  } finally {
    db.close();
  }
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const log = size('events.sqlite') - auditBytes;
  const reads = size('read-models.sqlite') + size('search.sqlite') + auditBytes;
  return { logMb: mb(log), readModelsMb: mb(reads), auditIndexesMb: mb(auditBytes), ratio: reads / log };
}
