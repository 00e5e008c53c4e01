import * as fs from 'node:fs';
import * as path from 'node:path';
import { backupId, chainHead, MANIFEST_FILE, BACKUP_FORMAT, type BackupManifest, type StoredBackup } from '../../application/backup/backup-manifest';
import { CHECKPOINT_EVENT, CHECKPOINT_STREAM, sealCheckpoints, type Checkpoint } from '../../application/audit/checkpoints';
import type { Ledger } from '../../application/ledger/ledger';
import type { LedgerSigner } from '../../application/ports/signer';
import { EVENT_COLUMNS } from '../sqlite/event-store-schema';
import { DATA_FILES, INCREMENT_COMMANDS, INCREMENT_EVENTS, listBackups, onlineCopy, openLiveReadOnly, sha256File } from './backup-files';

export interface BackupSource {
  /** DATA_DIR of the (possibly running) embedded stack. */
  dataDir: string;
  /** Seals a checkpoint before copying, so the backup ends with signed history. */
  ledger: Ledger;
  signer: LedgerSigner;
  now: () => Date;
}

export type BackupKind = 'auto' | 'full' | 'incremental';

export interface BackupOutcome {
  manifest: BackupManifest;
  dir: string;
  /** false: nothing was appended since the last backup, no increment was written (`manifest` is that backup). */
  written: boolean;
  ms: number;
}

/**
 * Takes a backup of the embedded stack into `root` while it serves: seals a checkpoint, then copies — the
 * whole ledger (online backup API) for a full backup, or the rows appended since the chain's last backup for
 * an increment — plus fresh copies of the mutable side files. `auto` is an increment when a chain exists.
 */
export async function takeBackup(root: string, kind: BackupKind, source: BackupSource): Promise<BackupOutcome> {
  const started = Date.now();
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  await sealCheckpoints(source.ledger, source.signer, source.now);
  const head = chainHead(listBackups(root));
  const full = kind === 'full' || !head;
  if (kind === 'incremental' && !head) throw new Error(`no full backup in ${root} to continue: take a full backup first`);
  const at = source.now();
  const id = backupId(at, full ? 'full' : 'incremental');
  const partial = path.join(root, `.partial-${id}`);
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { mode: 0o700 });
  const file = (name: string) => path.join(source.dataDir, name);
  try {
    // Reactor checkpoints first, then the job queue: every job a reactor added before its checkpoint is in the copy.
    const reactorCheckpoints = readReactorCheckpoints(file(DATA_FILES.readModels));
    await onlineCopy(file(DATA_FILES.jobs), path.join(partial, DATA_FILES.jobs));
    await onlineCopy(file(DATA_FILES.credentials), path.join(partial, DATA_FILES.credentials));
    if (fs.existsSync(file(DATA_FILES.secrets))) fs.copyFileSync(file(DATA_FILES.secrets), path.join(partial, DATA_FILES.secrets));

    const events = full ? await copyLedger(file(DATA_FILES.events), partial) : copyIncrement(file(DATA_FILES.events), partial, head!.manifest.toPosition);
    if (!full && events.count === 0) {
      fs.rmSync(partial, { recursive: true, force: true });
      return { manifest: head!.manifest, dir: head!.dir, written: false, ms: Date.now() - started };
    }
    const files: BackupManifest['files'] = {};
    for (const name of fs.readdirSync(partial)) files[name] = sha256File(path.join(partial, name));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      id,
      kind: full ? 'full' : 'incremental',
      createdAt: at.toISOString(),
      basedOn: full ? null : head!.manifest.id,
      fromPosition: full ? 0 : head!.manifest.toPosition,
      toPosition: events.toPosition,
      eventCount: events.count,
      lastCheckpoint: events.lastCheckpoint ?? (full ? null : head!.manifest.lastCheckpoint),
      keyId: source.signer.keyId,
      reactorCheckpoints,
      files,
    };
    // The manifest last, then one rename: a backup is either complete or invisible.
    fs.writeFileSync(path.join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    const dir = path.join(root, id);
    fs.renameSync(partial, dir);
    return { manifest, dir, written: true, ms: Date.now() - started };
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

/** Deletes a backup directory (retention). */
export function deleteBackup(backup: StoredBackup): void {
  fs.rmSync(backup.dir, { recursive: true, force: true });
}

interface CopiedEvents {
  toPosition: number;
  count: number;
  lastCheckpoint: { sequence: number; toPosition: number } | null;
}

async function copyLedger(eventsFile: string, into: string): Promise<CopiedEvents> {
  const target = path.join(into, DATA_FILES.events);
  if (!(await onlineCopy(eventsFile, target))) throw new Error(`no ledger at ${eventsFile}`);
  const db = openLiveReadOnly(target)!;
  try {
    const { head, count } = db.prepare('SELECT coalesce(max(position), 0) AS head, count(*) AS count FROM events').get() as { head: number; count: number };
    const last = db.prepare('SELECT data FROM events WHERE stream_id = ? AND type = ? ORDER BY revision DESC LIMIT 1').pluck().get(CHECKPOINT_STREAM, CHECKPOINT_EVENT) as string | undefined;
    return { toPosition: head, count, lastCheckpoint: last ? checkpointRef(JSON.parse(last) as Checkpoint) : null };
  } finally {
    db.close();
  }
}

/**
 * The rows appended after `fromPosition`, read in one snapshot of the live file: the log is append-only, so
 * they are exactly what the previous backup lacks. Rows are written as stored (no re-encoding).
 */
function copyIncrement(eventsFile: string, into: string, fromPosition: number): CopiedEvents {
  const db = openLiveReadOnly(eventsFile);
  if (!db) throw new Error(`no ledger at ${eventsFile}`);
  const eventsOut = fs.openSync(path.join(into, INCREMENT_EVENTS), 'w', 0o600);
  const commandsOut = fs.openSync(path.join(into, INCREMENT_COMMANDS), 'w', 0o600);
  try {
    return db.transaction((): CopiedEvents => {
      const head = db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number;
      let count = 0;
      let lastCheckpoint: CopiedEvents['lastCheckpoint'] = null;
      const rows = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`).iterate(fromPosition, head);
      for (const row of rows as Iterable<{ stream_id: string; type: string; data: string }>) {
        fs.writeSync(eventsOut, JSON.stringify(row) + '\n');
        count++;
        if (row.stream_id === CHECKPOINT_STREAM && row.type === CHECKPOINT_EVENT) lastCheckpoint = checkpointRef(JSON.parse(row.data) as Checkpoint);
      }
      for (const row of db.prepare('SELECT * FROM commands WHERE last_position > ? AND last_position <= ?').iterate(fromPosition, head))
        fs.writeSync(commandsOut, JSON.stringify(row) + '\n');
      return { toPosition: count ? head : fromPosition, count, lastCheckpoint };
    })();
  } finally {
    fs.closeSync(eventsOut);
    fs.closeSync(commandsOut);
    db.close();
  }
}

function checkpointRef(cp: Checkpoint): { sequence: number; toPosition: number } {
  return { sequence: cp.sequence, toPosition: cp.toPosition };
}

/** `reactor:*` checkpoints of the embedded read store (empty when there is none). */
function readReactorCheckpoints(readModelsFile: string): Record<string, number> {
  const db = openLiveReadOnly(readModelsFile);
  if (!db) return {};
  try {
    const rows = db.prepare("SELECT name, position FROM checkpoints WHERE name LIKE 'reactor:%' AND name NOT LIKE '%:dead'").all() as { name: string; position: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.position]));
  } catch {
    return {}; // a read store without the table yet
  } finally {
    db.close();
  }
}
