import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { MANIFEST_FILE, restoreChain, type StoredBackup } from '../../application/backup/backup-manifest';
import { describeFirstBad, LedgerStreamVerifier } from '../../application/backup/ledger-stream-verifier';
import { EXPORT_FORMAT, type ExportVerdict, type LedgerExport } from '../../application/audit/export-verifier';
import { EXPORT_FORMAT_V2, exportRecordEvents, type LedgerExportV2 } from '../../application/audit/export-v2';
import type { RecordedEvent } from '../../application/ports/event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { ed25519Signer } from '../system/ed25519-signer';
import type { Secrets } from '../system/secrets';
import { DATA_FILES, INCREMENT_COMMANDS, INCREMENT_EVENTS, listBackups, sha256File } from './backup-files';

/** A backup (or export) that fails verification: nothing was restored. */
export class RestoreRefused extends Error {
  constructor(
    message: string,
    readonly verdict: ExportVerdict | null,
  ) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

export interface VerifiedLedger {
  source: 'backup' | 'export';
  /** The backups applied, full first (empty for an export). */
  chain: string[];
  verdict: ExportVerdict;
  headPosition: number;
  reactorCheckpoints: Record<string, number>;
  /** What the operator must know about what this source could not bring back. */
  notes: string[];
  ms: number;
}

const STAGING = '.restoring';

/**
 * Restores the ledger (and the side files a backup carries) into an EMPTY data directory, and verifies it
 * before anything is left there: hash chains, checkpoint signatures, Merkle roots, the expected head, and
 * the files' checksums. A source that fails is refused naming the first bad event, and the directory stays
 * empty. `source`: a backup root (newest full + its increments), one backup directory in it (restore up to
 * that backup), or an `/audit/export` file. Read models are not touched here (see restore CLI).
 */
export async function restoreLedger(source: string, dataDir: string): Promise<VerifiedLedger> {
  const started = Date.now();
  assertEmpty(dataDir);
  const staging = path.join(dataDir, STAGING);
  fs.mkdirSync(staging, { recursive: true, mode: 0o700 });
  try {
    const staged = fs.statSync(source).isFile() ? await stageExport(source, staging) : stageBackups(source, staging);
    const verdict = await verifyStaged(path.join(staging, DATA_FILES.events), staged.publicKeyPem, staged.damagedFiles);
    if (!verdict.ok) throw new RestoreRefused(`refused: the ${staged.source} fails verification, ${describeFirstBad(verdict.firstBad!)}`, verdict);
    const head = headOf(path.join(staging, DATA_FILES.events));
    if (head !== staged.expectedHead)
      throw new RestoreRefused(`refused: the ledger ends at position ${head}, the backup recorded ${staged.expectedHead} (events missing at the end)`, verdict);
    if (staged.damagedFiles.length)
      throw new RestoreRefused(`refused: checksum mismatch in ${staged.damagedFiles.join(', ')} (the events verify, but the file is not the one backed up)`, verdict);
    for (const name of fs.readdirSync(staging)) fs.renameSync(path.join(staging, name), path.join(dataDir, name));
    fs.rmdirSync(staging);
    return { source: staged.source, chain: staged.chain, verdict, headPosition: head, reactorCheckpoints: staged.reactorCheckpoints, notes: staged.notes, ms: Date.now() - started };
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

interface Staged {
  source: 'backup' | 'export';
  chain: string[];
  publicKeyPem: string;
  expectedHead: number;
  damagedFiles: string[];
  reactorCheckpoints: Record<string, number>;
  notes: string[];
}

function stageBackups(source: string, staging: string): Staged {
  const single = fs.existsSync(path.join(source, MANIFEST_FILE));
  const root = single ? path.dirname(path.resolve(source)) : source;
  let backups = listBackups(root);
  if (single) {
    const until = path.basename(path.resolve(source));
    backups = backups.filter((b) => b.manifest.id <= until);
  }
  const chain = restoreChain(backups);
  if (chain.length === 0) throw new RestoreRefused(`refused: no full backup in ${root}`, null);
  const last = chain[chain.length - 1]!;
  const damagedFiles: string[] = [];
  const checked = (b: StoredBackup, name: string): string => {
    const file = path.join(b.dir, name);
    const expected = b.manifest.files[name];
    if (!expected || !fs.existsSync(file) || sha256File(file).sha256 !== expected.sha256) damagedFiles.push(`${b.manifest.id}/${name}`);
    return file;
  };

  const events = path.join(staging, DATA_FILES.events);
  fs.copyFileSync(checked(chain[0]!, DATA_FILES.events), events);
  const db = new Database(events);
  try {
    for (const incr of chain.slice(1)) {
      applyRows(db, 'events', checked(incr, INCREMENT_EVENTS));
      applyRows(db, 'commands', checked(incr, INCREMENT_COMMANDS));
    }
    rebuildStreamHeads(db);
  } finally {
    db.close();
  }
  // The mutable side files as of the newest backup of the chain.
  const notes: string[] = [];
  for (const name of [DATA_FILES.credentials, DATA_FILES.jobs, DATA_FILES.secrets]) {
    if (last.manifest.files[name]) fs.copyFileSync(checked(last, name), path.join(staging, name));
    else if (name === DATA_FILES.credentials) notes.push('the backup holds no credential store: every account needs a password reset');
  }
  if (!last.manifest.files[DATA_FILES.secrets]) throw new RestoreRefused('refused: the backup has no secrets.json, its checkpoints cannot be verified', null);
  const secrets = JSON.parse(fs.readFileSync(path.join(staging, DATA_FILES.secrets), 'utf8')) as Partial<Secrets>;
  if (!secrets.traceCodeSecret) notes.push('secrets.json holds no trace-code secret (it was given as TRACE_CODE_SECRET): set the same value for the restored server');
  const signer = ed25519Signer(secrets.signingKeyPem!);
  if (signer.keyId !== last.manifest.keyId) throw new RestoreRefused(`refused: secrets.json holds key ${signer.keyId}, the backup was signed by ${last.manifest.keyId}`, null);
  return {
    source: 'backup',
    chain: chain.map((b) => b.manifest.id),
    publicKeyPem: signer.publicKeyPem,
    expectedHead: last.manifest.toPosition,
    damagedFiles,
    reactorCheckpoints: last.manifest.reactorCheckpoints,
    notes,
  };
}

/**
 * An `/audit/export` file: its events become the ledger (positions kept), the idempotency keys are derived
 * from them. An export carries no secrets and no credentials — say so.
 */
async function stageExport(file: string, staging: string): Promise<Staged> {
  let exp: LedgerExport | LedgerExportV2;
  try {
    exp = JSON.parse(fs.readFileSync(file, 'utf8')) as LedgerExport | LedgerExportV2;
  } catch (err) {
    throw new RestoreRefused(`refused: ${file} is not JSON (${err instanceof Error ? err.message : String(err)})`, null);
  }
  if ((exp?.format !== EXPORT_FORMAT && exp?.format !== EXPORT_FORMAT_V2) || !Array.isArray(exp.events)) throw new RestoreRefused(`refused: ${file} is not a Suyuan ledger export`, null);
  // Format 2 carries each event as its hashed text: the event stored is what that text parses to. A text that
  // was altered still parses, and the staged ledger's verification (which re-hashes every stored event) names it.
  let recorded: RecordedEvent[];
  if (exp.format === EXPORT_FORMAT_V2) {
    const { events: parsed, badIndex } = exportRecordEvents(exp.events);
    if (badIndex !== null) throw new RestoreRefused(`refused: record ${badIndex} of ${file} is not an event's text (format ${EXPORT_FORMAT_V2})`, null);
    recorded = parsed;
  } else recorded = exp.events;
  const events = path.join(staging, DATA_FILES.events);
  // The adapter creates (and migrates) the schema; the rows are then written as the adapter would store them.
  await new SqliteEventStore(events).close();
  const db = new Database(events);
  try {
    const insert = db.prepare(
      `INSERT INTO events (position, event_id, type, schema_version, stream_id, revision, occurred_at, recorded_at, actor,
                           command_id, correlation_id, causation_id, data, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction((all: RecordedEvent[]) => {
      for (const e of all)
        insert.run(e.position, e.eventId, e.type, e.schemaVersion, e.streamId, e.revision, e.occurredAt, e.recordedAt, JSON.stringify(e.actor), e.commandId, e.correlationId, e.causationId, JSON.stringify(e.data), e.prevHash, e.hash);
      db.exec('INSERT INTO commands (command_id, first_position, last_position) SELECT command_id, min(position), max(position) FROM events GROUP BY command_id');
    })(recorded);
    rebuildStreamHeads(db);
  } catch (err) {
    // A malformed event (a missing field) cannot even be stored: refuse like any other bad event.
    throw new RestoreRefused(`refused: the export's events cannot be stored (${err instanceof Error ? err.message : String(err)})`, null);
  } finally {
    db.close();
  }
  return {
    source: 'export',
    chain: [],
    publicKeyPem: exp.publicKeyPem,
    expectedHead: recorded[recorded.length - 1]?.position ?? 0,
    damagedFiles: [],
    reactorCheckpoints: {},
    notes: [
      'an export carries no secrets: the restored server signs new checkpoints with a NEW key (the old public key still verifies the old ones)',
      'set TRACE_CODE_SECRET to the original value, or the check segment of every existing trace code fails',
      'an export carries no credentials: every account needs a password reset',
      'request fingerprints of idempotency keys are not in an export: a retried key is answered as a ledger older than decision 0010 would',
    ],
  };
}

/** Inserts an increment's rows into a table, with the columns the rows carry (the schema may have grown). */
function applyRows(db: Database.Database, table: 'events' | 'commands', file: string): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  if (lines.length === 0) return;
  const statements = new Map<string, Database.Statement>();
  db.transaction(() => {
    for (const [n, line] of lines.entries()) {
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch {
        // Name the event as far as the damaged line still tells it.
        const position = /"position":(\d+)/.exec(line)?.[1];
        const eventId = /"event_id":"([^"]+)"/.exec(line)?.[1];
        throw new RestoreRefused(
          `refused: ${file} line ${n + 1} is damaged (not JSON)` + (position ? `: the event at position ${position}` : '') + (eventId ? ` (event ${eventId})` : ''),
          null,
        );
      }
      const columns = Object.keys(row);
      const key = columns.join(',');
      let stmt = statements.get(key);
      if (!stmt) {
        stmt = db.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c.replace(/"/g, '')}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        statements.set(key, stmt);
      }
      stmt.run(...columns.map((c) => row[c] as string | number | null));
    }
  })();
}

function rebuildStreamHeads(db: Database.Database): void {
  db.exec('DELETE FROM streams; INSERT INTO streams (stream_id, revision) SELECT stream_id, max(revision) FROM events GROUP BY stream_id');
}

async function verifyStaged(eventsFile: string, publicKeyPem: string, damagedFiles: readonly string[]): Promise<ExportVerdict> {
  const verifier = new LedgerStreamVerifier(publicKeyPem);
  let store: SqliteEventStore | null = null;
  let after = 0;
  try {
    store = new SqliteEventStore(eventsFile);
    for (;;) {
      const batch = await store.readAll({ afterPosition: after, maxCount: 5000 });
      if (batch.length === 0) break;
      for (const e of batch) if (!verifier.feed(e)) return verifier.verdict();
      after = batch[batch.length - 1]!.position;
    }
    return verifier.verdict();
  } catch (err) {
    // The damage broke the file's structure or an event's JSON: find the first row that cannot be read.
    const unreadable = firstUnreadableRow(eventsFile, after);
    const where = unreadable ? `the event at position ${unreadable.position}, stream ${unreadable.stream_id} revision ${unreadable.revision} (event ${unreadable.event_id}) cannot be read` : 'the ledger file cannot be read';
    throw new RestoreRefused(`refused: ${where}: ${err instanceof Error ? err.message : String(err)}` + (damagedFiles.length ? `; checksum mismatch in ${damagedFiles.join(', ')}` : ''), null);
  } finally {
    await store?.close().catch(() => undefined);
  }
}

interface RowName {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
}

function firstUnreadableRow(eventsFile: string, after: number): RowName | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(eventsFile, { readonly: true });
    for (const row of db.prepare('SELECT position, event_id, stream_id, revision, actor, data FROM events WHERE position > ? ORDER BY position').iterate(after) as Iterable<RowName & { actor: string; data: string }>) {
      try {
        JSON.parse(row.actor);
        JSON.parse(row.data);
      } catch {
        return row;
      }
    }
    return null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

function headOf(eventsFile: string): number {
  const db = new Database(eventsFile, { readonly: true });
  try {
    return db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}

function assertEmpty(dataDir: string): void {
  if (!fs.existsSync(dataDir)) return;
  const present = fs.readdirSync(dataDir).filter((n) => n !== STAGING);
  if (present.length) throw new RestoreRefused(`refused: DATA_DIR ${dataDir} is not empty (${present.slice(0, 5).join(', ')}): restore only into an empty directory`, null);
}
