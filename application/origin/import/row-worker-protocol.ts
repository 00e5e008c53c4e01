import type { PlaceRef } from '../../../domain/origin';
import { DomainError, ValidationError } from '../../../domain/shared/errors';
import type { PreparedRow } from './row-preparer';
import type { AddressCells } from './row-input';
import type { SheetFormat } from './spreadsheet-rows';

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

export type FromRowWorker =
  | { type: 'lookup'; codes: string[]; names: [string, AddressCells][] }
  | { type: 'chunk'; rows: PreparedRow[]; bytesRead: number; bytesTotal: number }
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
