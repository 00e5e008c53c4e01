import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { decider, normalizeDecimal, originStreamId, validateFields, type OriginRecordCommand, type OriginRecordFields, type OriginRecordInput, type OriginRecordState } from '../../../domain/origin';
import { DomainError, ValidationError } from '../../../domain/shared/errors';
import type { AccessPolicy } from '../../access/access-policy';
import { systemCommandId } from '../../ledger/idempotency';
import { Ledger, type LoadedStream, type StreamWrite } from '../../ledger/ledger';
import type { Clock, IdGenerator } from '../../ports/clock';
import { ConcurrencyError, type EventStore } from '../../ports/event-store';
import { assertMayCollect, resourceOfState } from '../origin-commands';
import { scopeRulesFor, type OriginSettings } from '../settings';
import { columnName, columnOfField, TEMPLATE_COLUMNS } from './columns';
import type { ImportFiles, ImportStatus, RowResult } from './import-files';
import { rowToInput, VillageResolver } from './row-input';
import { sheetRows, type ReadProgress, type SheetRow } from './spreadsheet-rows';

export const ORIGIN_IMPORT_JOB = 'origin-import';
/** Rows decided and appended per commit: one transaction (one fsync) per chunk, memory bounded by it. */
export const IMPORT_CHUNK_ROWS = 1000;

/**
 * The ledger an import writes through: the platform's store without the ledger's stream cache (decision 0020).
 * An import touches each record once; caching its 100,000 fresh streams would hold every event it appends (the
 * cache is bounded by events, ≈ 3 KB each here) and push the platform's hot streams out. The platform's cached
 * ledger stays right: it serves a stream only after the store's revision lookup.
 */
export function importLedger(store: EventStore, clock: Clock, ids: IdGenerator): Ledger {
  return new Ledger(store, clock, ids, { cacheStreams: false });
}

export interface OriginImportDeps {
  ledger: Ledger;
  clock: Clock;
  files: ImportFiles;
  settings: OriginSettings;
  policy: AccessPolicy;
}

/**
 * Row identity (the basis of an idempotent re-import): the same 主体名称, village, point and product are the
 * same base or plot, hence the same record id. Coordinates are compared as numbers written exactly
 * ('18.7421530' = '18.742153'); everything else the row says may change and is then 信息变更 of that record.
 */
export function importedRecordId(fields: OriginRecordFields): string {
  const key = [fields.producerName, fields.address.villageCode, normalizeDecimal(fields.point.lat), normalizeDecimal(fields.point.lon), fields.product.code].join('\u0000');
  return `imp-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/**
 * The record's stream for a decision. Most rows of a first import are new records: their stream's revision (one
 * key lookup) says so, and the stream is not read at all; an existing one is loaded and folded as usual. Either
 * way the append expects the revision seen, so a record created meanwhile fails the chunk's commit, which is
 * then decided again.
 */
async function loadRecord(ledger: Ledger, recordId: string): Promise<LoadedStream<OriginRecordState>> {
  const streamId = originStreamId(recordId);
  if ((await ledger.store.streamRevision(streamId)) === 'no_stream') return { ...ledger.fresh(streamId), state: decider.initialState(), events: [] };
  return ledger.load(streamId, decider);
}

interface Prepared {
  row: SheetRow;
  recordId?: string;
  /** The row's fields, validated (the decider's own validation of them is then a lookup). */
  input?: OriginRecordInput;
  /** The row as read (a change re-validates it with the record's entity filled in). */
  raw?: OriginRecordInput;
  provinceCode?: string;
  refused?: RowResult;
}

/** A domain refusal of one row, named by the template's column (a ValidationError's field → its column). */
export function refusalOf(row: SheetRow, err: unknown): RowResult {
  if (!(err instanceof DomainError)) throw err;
  const field = err instanceof ValidationError ? err.field : err.code === 'NOT_HOLDER' ? 'entityId' : 'address.villageCode';
  const column = columnOfField(field, row.cells.villageCode !== '');
  return { row: row.row, result: 'refused', column: column ? columnName(column) : field, field, code: err.code, rule: err.message, cells: row.cells };
}

/**
 * 表格方式批量采集: reads the uploaded 采集表 row by row, decides each row as the form would (the same decider,
 * the same access checks: the uploader may collect only where the policy lets it act), and appends the rows of
 * each chunk in one commit. A row equal to its record appends nothing; a row refused appends nothing and is
 * reported with its column and rule. Progress and counts go to the status file after every chunk.
 */
export async function runOriginImport(deps: OriginImportDeps, importId: string): Promise<ImportStatus | null> {
  const { files } = deps;
  const initial = await files.status(importId);
  if (!initial || initial.state === 'done' || initial.state === 'failed') return initial;
  const status: ImportStatus = { ...initial, state: 'running', startedAt: deps.clock.now().toISOString(), rowsRead: 0, accepted: 0, refused: 0, created: 0, updated: 0, unchanged: 0, bytesRead: 0, error: null };
  await files.writeStatus(status);
  const out = fs.createWriteStream(files.resultsPath(importId), { flags: 'w' });
  /** A chunk's results as one write (one line each). */
  const write = async (results: RowResult[]) => {
    let lines = '';
    for (const r of results) lines += `${JSON.stringify(r)}\n`;
    if (!out.write(lines)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const actor = status.uploadedBy;
  const villages = new VillageResolver(deps.settings.places);
  /** Record ids already seen in this file, with their row: a second row for the same base is refused (the file would not re-import to the same state). */
  const seen = new Map<string, number>();
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: status.bytesTotal };
  let chunkNo = 0;

  const prepare = (row: SheetRow): Prepared => {
    try {
      // A registered enterprise imports its own records only (decision 0016: the policy's party rule).
      const input = rowToInput(row.cells, villages, actor.role === 'producer' ? actor.orgId : null);
      const fields = validateFields(input, deps.settings.places);
      const recordId = importedRecordId(fields);
      const earlier = seen.get(recordId);
      if (earlier !== undefined) {
        const column = TEMPLATE_COLUMNS.find((c) => c.key === 'producerName')!;
        return { row, refused: { row: row.row, result: 'refused', column: columnName(column), field: 'producerName', code: 'DUPLICATE_ROW', rule: `the same base (主体名称, 村, 点位, 产品) as row ${earlier}`, cells: row.cells } };
      }
      seen.set(recordId, row.row);
      assertMayCollect(deps.policy, actor, recordId, fields.address.villageCode, fields.entityId);
      return { row, recordId, input: fields as unknown as OriginRecordInput, raw: input, provinceCode: fields.address.provinceCode };
    } catch (err) {
      return { row, refused: refusalOf(row, err) };
    }
  };

  const decideChunk = async (prepared: Prepared[]) => {
    // The scope rules in force in the chunk's provinces (their own thresholds, read once per chunk).
    const rules = await scopeRulesFor(deps.ledger, deps.settings, prepared.flatMap((p) => (p.provinceCode ? [p.provinceCode] : [])));
    const ctx = { now: deps.clock.now(), actor, places: deps.settings.places, rules };
    const writes: StreamWrite[] = [];
    const results: RowResult[] = [];
    for (const p of prepared) {
      if (p.refused) {
        results.push(p.refused);
        continue;
      }
      try {
        const stream = await loadRecord(deps.ledger, p.recordId!);
        const provenance = { channel: 'import' as const, importId, row: p.row.row };
        let command: OriginRecordCommand;
        if (stream.state.status === 'none') command = { type: 'CollectOriginRecord', data: { ...provenance, recordId: p.recordId!, fields: p.input! } };
        else {
          deps.policy.act(actor, resourceOfState(p.recordId!, stream.state));
          // A collector's row names no entity: the record keeps the one it belongs to.
          command = { type: 'ChangeOriginRecord', data: { ...provenance, fields: p.raw!.entityId ? p.input! : { ...p.raw!, entityId: stream.state.fields?.entityId ?? null } } };
        }
        const events = decider.decide(command, stream.state, ctx);
        if (events.length > 0) writes.push({ stream, events });
        results.push({ row: p.row.row, result: 'accepted', outcome: command.type === 'CollectOriginRecord' ? 'created' : events.length > 0 ? 'updated' : 'unchanged', recordId: p.recordId! });
      } catch (err) {
        results.push(refusalOf(p.row, err));
      }
    }
    return { writes, results };
  };

  const flush = async (rows: SheetRow[]) => {
    if (rows.length === 0) return;
    const prepared = rows.map(prepare);
    chunkNo++;
    for (let attempt = 1; ; attempt++) {
      const { writes, results } = await decideChunk(prepared);
      try {
        // Nothing to append (a re-import): no commit at all, so the log head stays where it was.
        if (writes.length > 0) await deps.ledger.commit(writes, { commandId: systemCommandId(`origin-import:${importId}:${chunkNo}:${attempt}`), actor, correlationId: `origin-import-${importId}` });
      } catch (err) {
        // A record changed by someone else meanwhile: decide the chunk again on the new state.
        if (err instanceof ConcurrencyError && attempt < 5) continue;
        throw err;
      }
      await write(results);
      for (const r of results) {
        if (r.result === 'refused') status.refused++;
        else {
          status.accepted++;
          status[r.outcome!]++;
        }
      }
      status.rowsRead += rows.length;
      status.bytesRead = progress.bytesRead;
      await files.writeStatus(status);
      return;
    }
  };

  try {
    let chunk: SheetRow[] = [];
    for await (const row of sheetRows(files.uploadPath(importId, status.format), status.format, progress)) {
      chunk.push(row);
      if (chunk.length >= IMPORT_CHUNK_ROWS) {
        await flush(chunk);
        chunk = [];
      }
    }
    await flush(chunk);
    status.state = 'done';
  } catch (err) {
    status.state = 'failed';
    status.error = err instanceof DomainError ? { code: err.code, message: err.message, details: err.details } : { code: 'IMPORT_FAILED', message: err instanceof Error ? err.message : String(err) };
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  status.bytesRead = status.bytesTotal;
  status.finishedAt = deps.clock.now().toISOString();
  await files.writeStatus(status);
  await files.removeUpload(importId, status.format);
  return status;
}
