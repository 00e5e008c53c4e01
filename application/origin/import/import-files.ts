import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Actor } from '../../../domain/shared/actor';
import type { SheetFormat } from './spreadsheet-rows';

/** An import's state as the status route answers it (and the web page's progress bar reads). */
export interface ImportStatus {
  importId: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  fileName: string;
  format: SheetFormat;
  uploadedBy: Actor;
  uploadedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Data rows read so far (blank rows not counted). */
  rowsRead: number;
  accepted: number;
  refused: number;
  /** Of the accepted: new records, 信息变更 appended, and rows equal to their record (nothing appended). */
  created: number;
  updated: number;
  unchanged: number;
  /** Bytes of the upload read: the progress while the total row count is not known yet. */
  bytesRead: number;
  bytesTotal: number;
  /** Why the whole file was refused (no header, unreadable file), when state is failed. */
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
}

/** One row's outcome, one JSON line each in the import's results file. */
export interface RowResult {
  row: number;
  result: 'accepted' | 'refused';
  outcome?: 'created' | 'updated' | 'unchanged';
  recordId?: string;
  /** Refused: the column (as the template names it), the record field and the rule broken. */
  column?: string;
  field?: string;
  code?: string;
  rule?: string;
  /** Refused: the row's cells as read, for the error workbook. */
  cells?: Record<string, string>;
}

/**
 * Where an import keeps its files while it runs and after: `DATA_DIR/origin-imports/{importId}/` with the upload
 * (removed once the job is done), `status.json` (rewritten atomically after each chunk) and `results.jsonl`.
 * There is no blob-store port; the embedded stack runs the job in the process that received the upload.
 */
export class ImportFiles {
  constructor(private readonly root: string) {}

  dir(importId: string): string {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(importId)) throw new Error(`not an import id: ${importId}`);
    return path.join(this.root, 'origin-imports', importId);
  }
  uploadPath(importId: string, format: SheetFormat): string {
    return path.join(this.dir(importId), `upload.${format}`);
  }
  resultsPath(importId: string): string {
    return path.join(this.dir(importId), 'results.jsonl');
  }

  async create(status: ImportStatus): Promise<void> {
    await fs.promises.mkdir(this.dir(status.importId), { recursive: true });
    await this.writeStatus(status);
  }

  async writeStatus(status: ImportStatus): Promise<void> {
    const file = path.join(this.dir(status.importId), 'status.json');
    await fs.promises.writeFile(`${file}.tmp`, JSON.stringify(status));
    await fs.promises.rename(`${file}.tmp`, file);
  }

  async status(importId: string): Promise<ImportStatus | null> {
    try {
      return JSON.parse(await fs.promises.readFile(path.join(this.dir(importId), 'status.json'), 'utf8')) as ImportStatus;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** The row results in file order, streamed (an import of 100,000 rows has as many lines). */
  async *results(importId: string): AsyncGenerator<RowResult> {
    const file = this.resultsPath(importId);
    if (!fs.existsSync(file)) return;
    const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) if (line !== '') yield JSON.parse(line) as RowResult;
  }

  async removeUpload(importId: string, format: SheetFormat): Promise<void> {
    await fs.promises.rm(this.uploadPath(importId, format), { force: true });
  }
}
