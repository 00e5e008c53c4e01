import fs from 'node:fs';
import { decider, originStreamId, trustValidatedFields, type OriginRecordCommand, type OriginRecordEvent, type OriginRecordInput, type OriginRecordState } from '../../../domain/origin';
import { DomainError } from '../../../domain/shared/errors';
import type { AccessPolicy } from '../../access/access-policy';
import { systemCommandId } from '../../ledger/idempotency';
import { upcast } from '../../ledger/registered-upcasters';
import { Ledger, type LoadedStream, type StreamWrite } from '../../ledger/ledger';
import type { Clock, IdGenerator } from '../../ports/clock';
import { ConcurrencyError, type EventStore } from '../../ports/event-store';
import { assertMayCollect, resourceOfState } from '../origin-commands';
import { scopeRulesFor, type OriginSettings } from '../settings';
import type { ImportFiles, ImportStatus, RowResult } from './import-files';
import { preparedChunks } from './prepared-chunks';
import { rowToInput, VillageResolver } from './row-input';
import { refusalOf, type PreparedRow } from './row-preparer';
import type { ReadProgress } from './spreadsheet-rows';

export { importedRecordId, refusalOf } from './row-preparer';

export const ORIGIN_IMPORT_JOB = 'origin-import';
/** Rows decided and appended per commit: one transaction (one fsync) per chunk, memory bounded by it. */
export const IMPORT_CHUNK_ROWS = 1000;
/**
 * From this upload size on, the rows are read and prepared on a row worker (row-worker.ts) while this thread
 * decides and appends (decision 0016); below it, starting the worker costs more than it saves.
 */
export const ROW_WORKER_MIN_BYTES = 2 * 1024 * 1024;

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
  /** Where the rows are prepared: 'auto' (a row worker for uploads of ROW_WORKER_MIN_BYTES and more), or always / never. */
  rowWorker?: 'auto' | 'always' | 'never';
}

/**
 * The records' streams for a chunk's decisions, by record id. Most rows of a first import are new records: one
 * query for the chunk's streams (the store's readStreams, where it has one) says so, and nothing else is read;
 * existing ones are folded as Ledger.load folds them (upcast, evolve). A store without readStreams: one revision
 * look-up per record, and a load of the existing ones. Either way the append expects the revision seen, so a
 * record created meanwhile fails the chunk's commit, which is then decided again.
 */
async function loadRecords(ledger: Ledger, recordIds: string[]): Promise<Map<string, LoadedStream<OriginRecordState>>> {
  const out = new Map<string, LoadedStream<OriginRecordState>>();
  const fresh = (streamId: string) => ({ ...ledger.fresh(streamId), state: decider.initialState(), events: [] });
  const store = ledger.store;
  if (!store.readStreams) {
    for (const id of recordIds) {
      const streamId = originStreamId(id);
      out.set(id, (await store.streamRevision(streamId)) === 'no_stream' ? fresh(streamId) : await ledger.load(streamId, decider));
    }
    return out;
  }
  const read = await store.readStreams(recordIds.map((id) => ({ streamId: originStreamId(id) })));
  recordIds.forEach((id, i) => {
    const streamId = originStreamId(id);
    const events = read[i]!.map(upcast);
    const last = events[events.length - 1];
    if (!last) return out.set(id, fresh(streamId));
    const state = events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as OriginRecordEvent), decider.initialState());
    out.set(id, { streamId, state, revision: last.revision, lastHash: last.hash, events });
  });
  return out;
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
  /** A registered enterprise imports its own records only (decision 0016: the policy's party rule). */
  const entityId = actor.role === 'producer' ? actor.orgId : null;
  const villages = new VillageResolver(deps.settings.places);
  let chunkNo = 0;
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: status.bytesTotal };
  const file = files.uploadPath(importId, status.format);
  const inWorker = () => deps.rowWorker === 'always' || (deps.rowWorker !== 'never' && fs.statSync(file).size >= ROW_WORKER_MIN_BYTES);

  /** The policy's part of a prepared row (where this uploader may collect); its fields marked as validated for the decider. */
  const admit = (p: PreparedRow): PreparedRow => {
    if (p.refused) return p;
    try {
      trustValidatedFields(p.fields!, p.fingerprint!);
      assertMayCollect(deps.policy, actor, p.recordId!, p.fields!.address.villageCode, p.fields!.entityId);
      return p;
    } catch (err) {
      return { row: p.row, refused: refusalOf(p.row, err) };
    }
  };

  const decideChunk = async (prepared: PreparedRow[]) => {
    // The scope rules in force in the chunk's provinces (their own thresholds, read once per chunk).
    const rules = await scopeRulesFor(deps.ledger, deps.settings, prepared.flatMap((p) => (p.fields ? [p.fields.address.provinceCode] : [])));
    const ctx = { now: deps.clock.now(), actor, places: deps.settings.places, rules };
    const streams = await loadRecords(deps.ledger, prepared.flatMap((p) => (p.refused ? [] : [p.recordId!])));
    const writes: StreamWrite[] = [];
    const results: RowResult[] = [];
    for (const p of prepared) {
      if (p.refused) {
        results.push(p.refused);
        continue;
      }
      try {
        const stream = streams.get(p.recordId!)!;
        const provenance = { channel: 'import' as const, importId, row: p.row.row };
        let command: OriginRecordCommand;
        const input = p.fields as unknown as OriginRecordInput;
        if (stream.state.status === 'none') command = { type: 'CollectOriginRecord', data: { ...provenance, recordId: p.recordId!, fields: input } };
        else {
          deps.policy.act(actor, resourceOfState(p.recordId!, stream.state));
          // A collector's row names no entity: the record keeps the one it belongs to.
          const raw = p.raw ?? rowToInput(p.row.cells, villages, entityId);
          command = { type: 'ChangeOriginRecord', data: { ...provenance, fields: raw.entityId ? input : { ...raw, entityId: stream.state.fields?.entityId ?? null } } };
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

  const flush = async (rows: PreparedRow[]) => {
    const prepared = rows.map(admit);
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
    const options = { file, format: status.format, places: deps.settings.places, entityId, chunkRows: IMPORT_CHUNK_ROWS, inWorker: inWorker() };
    for await (const chunk of preparedChunks(options, progress)) await flush(chunk);
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
