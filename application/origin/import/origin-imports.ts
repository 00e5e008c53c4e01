import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Actor } from '../../../domain/shared/actor';
import { ValidationError } from '../../../domain/shared/errors';
import type { AccessPolicy } from '../../access/access-policy';
import { originRecordResource } from '../../access/resources';
import type { Ledger } from '../../ledger/ledger';
import type { Clock, IdGenerator } from '../../ports/clock';
import type { JobQueue } from '../../ports/job-queue';
import type { OriginSettings } from '../settings';
import { ImportFiles, type ImportStatus, type RowResult } from './import-files';
import { importLedger, ORIGIN_IMPORT_JOB, runOriginImport } from './import-job';
import type { SheetFormat } from './spreadsheet-rows';

/** The largest upload taken (a 100,000-row 采集表 is ≈ 15 MB as XLSX, ≈ 25 MB as CSV). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export class UploadTooLargeError extends ValidationError {
  constructor() {
    super('file', `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`, { maxBytes: MAX_IMPORT_BYTES });
  }
}

/**
 * The import side of origin collection: takes an upload (streamed to DATA_DIR, never held in memory), queues
 * its job, and answers its status and row results. Who may see an import: the policy, with the import as a
 * record collected by the uploader in the uploader's region (the uploader, and supervision above it).
 */
export class OriginImports {
  readonly files: ImportFiles;

  constructor(
    private readonly deps: {
      ledger: Ledger;
      clock: Clock;
      ids: IdGenerator;
      queue: JobQueue;
      settings: OriginSettings;
      policy: AccessPolicy;
      dataDir: string;
      /** Told of every finished import (数据传输监控 counts its rows). */
      onFinished?: (status: ImportStatus) => void;
    },
  ) {
    this.files = new ImportFiles(deps.dataDir);
    this.ledger = importLedger(deps.ledger.store, deps.clock, deps.ids);
  }

  /** The jobs' own ledger (import-job.ts importLedger: no stream cache). */
  private readonly ledger: Ledger;

  /** Registers the job on the queue (before it starts). */
  register(): void {
    this.deps.queue.register<{ importId: string }>(ORIGIN_IMPORT_JOB, async (job) => {
      const status = await runOriginImport({ ledger: this.ledger, clock: this.deps.clock, files: this.files, settings: this.deps.settings, policy: this.deps.policy }, job.data.importId);
      if (status) this.deps.onFinished?.(status);
    });
  }

  async start(actor: Actor, upload: { fileName: string; format: SheetFormat; body: Readable }): Promise<ImportStatus> {
    const importId = this.deps.ids.uuid();
    const status: ImportStatus = {
      importId,
      state: 'queued',
      fileName: upload.fileName.slice(0, 200),
      format: upload.format,
      uploadedBy: actor,
      uploadedAt: this.deps.clock.now().toISOString(),
      startedAt: null,
      finishedAt: null,
      rowsRead: 0,
      accepted: 0,
      refused: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      bytesRead: 0,
      bytesTotal: 0,
      error: null,
    };
    await this.files.create(status);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > MAX_IMPORT_BYTES ? new UploadTooLargeError() : null, chunk);
      },
    });
    try {
      await pipeline(upload.body, limit, fs.createWriteStream(this.files.uploadPath(importId, upload.format)));
    } catch (err) {
      await fs.promises.rm(this.files.dir(importId), { recursive: true, force: true });
      throw err;
    }
    if (bytes === 0) {
      await fs.promises.rm(this.files.dir(importId), { recursive: true, force: true });
      throw new ValidationError('file', 'the upload is empty');
    }
    status.bytesTotal = bytes;
    await this.files.writeStatus(status);
    await this.deps.queue.add(ORIGIN_IMPORT_JOB, { importId }, { jobId: `origin-import-${importId}`, attempts: 1 });
    return status;
  }

  /** The status, if the actor may see it (the policy; an unknown id and a refused one both answer null/throw). */
  async status(actor: Actor, importId: string): Promise<ImportStatus | null> {
    const status = /^[A-Za-z0-9-]{1,64}$/.test(importId) ? await this.files.status(importId) : null;
    if (!status) return null;
    await this.deps.policy.read(actor, importResource(status));
    return status;
  }

  results(importId: string): AsyncGenerator<RowResult> {
    return this.files.results(importId);
  }
}

/** The import as the policy sees it: collected by its uploader, in the uploader's region. */
export function importResource(status: ImportStatus) {
  return originRecordResource({ _id: status.importId, villageCode: status.uploadedBy.regionCode ?? '', collectorOrgId: status.uploadedBy.orgId, collectorUserId: status.uploadedBy.userId });
}
