import type { PlaceRef } from '../../../domain/origin';
import { DomainError, ValidationError } from '../../../domain/shared/errors';
import type { PreparedRow } from './row-preparer';
import type { AddressCells, RowCells } from './row-input';
import type { SheetFormat, SheetRow } from './spreadsheet-rows';

/**
 * The messages between an import job and its row worker (row-worker.ts reads and prepares the file's rows,
 * row-worker-host.ts decides and appends them). The place directory stays on the job's thread (it may be
 * any PlaceDirectory, a test fixture too): the worker asks for the villages and address names a chunk
 * needs, once each, and validates against the answers.
 */
export interface RowWorkerData {
  file: string;
  format: SheetFormat;
  entityId: string | null;
  /** Rows per chunk (the job's commit size). */
  chunkRows: number;
  /** Chunks the worker may prepare ahead of the job (memory bound: these, one being decided, one being read). */
  chunksAhead: number;
}

/** What the directory says about a village code: the village and its township (what validateFields asks). */
export interface VillageFacts {
  village: PlaceRef & { townshipCode: string };
  township: (PlaceRef & { countyCode: string }) | null;
}

/** A ValidationError or other domain error as plain data (it crosses threads; the receiver rebuilds it). */
export interface ErrorData {
  domain: boolean;
  code: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

export type NameAnswer = { code: string } | { error: ErrorData };

/**
 * A prepared row as it crosses threads: its cells as one JSON text, not an object of 30 strings. The job reads
 * them only for the rare row it refuses or changes (receivedRow parses them then); for every other row, cloning
 * 31 objects into the job's thread cost its time and its garbage collector more than the text does.
 */
export interface WireRow extends Omit<PreparedRow, 'row' | 'raw'> {
  row: number;
  cells: string;
}

export type FromRowWorker =
  | { type: 'lookup'; codes: string[]; names: [string, AddressCells][] }
  | { type: 'chunk'; rows: WireRow[]; bytesRead: number; bytesTotal: number }
  | { type: 'end'; bytesRead: number; bytesTotal: number }
  | { type: 'failed'; error: ErrorData };

export type ToRowWorker =
  | { type: 'answers'; villages: [string, VillageFacts | null][]; names: [string, NameAnswer][] }
  | { type: 'credit' };

/** A thrown error as ErrorData (a domain error keeps its code, field and details; anything else its message). */
export function errorData(err: unknown): ErrorData {
  if (err instanceof DomainError) return { domain: true, code: err.code, message: err.message, details: err.details, ...(err instanceof ValidationError ? { field: err.field } : {}) };
  return { domain: false, code: 'IMPORT_FAILED', message: err instanceof Error ? err.message : String(err) };
}

/** The error ErrorData describes, rebuilt on this thread (refusalOf and the job's status read it as they read the original). */
export function rebuildError(e: ErrorData): Error {
  if (!e.domain) return new Error(e.message);
  return e.field !== undefined ? new ValidationError(e.field, e.message, e.details) : new DomainError(e.code, e.message, e.details);
}

/** A sheet row whose cells are parsed from their JSON text when first read. */
class ReceivedRow implements SheetRow {
  private parsed: RowCells | null = null;

  constructor(
    readonly row: number,
    private readonly text: string,
  ) {}

  get cells(): RowCells {
    return (this.parsed ??= JSON.parse(this.text) as RowCells);
  }
}

/** A row prepared on the row worker, as the job takes it. */
export function receivedRow(w: WireRow): PreparedRow {
  const p: PreparedRow = { row: new ReceivedRow(w.row, w.cells) };
  if (w.refused) p.refused = w.refused;
  else {
    p.recordId = w.recordId;
    p.fields = w.fields;
    p.fingerprint = w.fingerprint;
  }
  return p;
}

/** What the row worker sends of a prepared row (the row as read stays there: see PreparedRow.raw). */
export function wireRow(p: PreparedRow): WireRow {
  const w: WireRow = { row: p.row.row, cells: JSON.stringify(p.row.cells) };
  if (p.refused) w.refused = p.refused;
  else {
    w.recordId = p.recordId;
    w.fields = p.fields;
    w.fingerprint = p.fingerprint;
  }
  return w;
}
