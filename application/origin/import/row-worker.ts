import { parentPort, workerData } from 'node:worker_threads';
import type { PlaceDirectory } from '../../../domain/origin';
import type { AddressCells, VillageCodes } from './row-input';
import { villageNamesKey } from './row-input';
import { RowPreparer } from './row-preparer';
import { errorData, rebuildError, wireRow, type FromRowWorker, type NameAnswer, type RowWorkerData, type ToRowWorker, type VillageFacts } from './row-worker-protocol';
import { sheetRows, type ReadProgress, type SheetRow } from './spreadsheet-rows';

/**
 * An import's row worker (a worker thread, decision 0016): reads the upload and prepares its rows (cells →
 * validated fields → record id, RowPreparer) on the second core while the job's thread decides and appends the
 * chunks before. It sends at most `chunksAhead` chunks the job has not taken, so memory stays bounded by chunks,
 * not by the file. The directory lives on the job's thread: before preparing a chunk, the worker asks for the
 * villages and address names it has not seen (a file names the same few thousand villages again and again, so
 * this is a handful of round trips at the start).
 */
const port = parentPort!;
const data = workerData as RowWorkerData;
const send = (message: FromRowWorker) => port.postMessage(message);

/** Village facts and name answers from the job's thread; cleared between chunks past a bound (a nationwide file). */
const villages = new Map<string, VillageFacts | null>();
const townships = new Map<string, VillageFacts['township']>();
const names = new Map<string, NameAnswer>();
const MAX_ANSWERS = 50_000;

const answeredPlaces: PlaceDirectory = {
  village: (code) => villages.get(code)?.village,
  township: (code) => townships.get(code) ?? undefined,
  townshipByName: () => {
    throw new Error('the row worker resolves names through the job (villageNamesKey)');
  },
  villageByName: () => {
    throw new Error('the row worker resolves names through the job (villageNamesKey)');
  },
};

const answeredCodes: VillageCodes = {
  resolve(cells: AddressCells): string {
    if (cells.villageCode !== '') return cells.villageCode;
    const answer = names.get(villageNamesKey(cells));
    if (!answer) throw new Error(`no answer for the address ${villageNamesKey(cells)}`);
    if ('code' in answer) return answer.code;
    throw rebuildError(answer.error);
  },
};

let credits = data.chunksAhead;
let creditWaiter: (() => void) | null = null;
let answerWaiter: ((m: Extract<ToRowWorker, { type: 'answers' }>) => void) | null = null;
port.on('message', (m: ToRowWorker) => {
  if (m.type === 'credit') {
    credits++;
    creditWaiter?.();
    creditWaiter = null;
  } else answerWaiter?.(m);
});

const VILLAGE_CODE = /^\d{12}$/;

/** Asks the job for what the chunk's rows need and the worker does not know yet. */
async function lookUp(rows: SheetRow[]): Promise<void> {
  if (villages.size > MAX_ANSWERS || names.size > MAX_ANSWERS) {
    villages.clear();
    townships.clear();
    names.clear();
  }
  const codes = new Set<string>();
  const asked = new Map<string, AddressCells>();
  for (const { cells } of rows) {
    if (cells.villageCode !== '') {
      // validateFields asks the directory only about well-formed codes.
      if (VILLAGE_CODE.test(cells.villageCode) && !villages.has(cells.villageCode)) codes.add(cells.villageCode);
    } else {
      // Every name tuple, an incomplete one too: the job's VillageResolver gives the refusal naming the level.
      const key = villageNamesKey(cells);
      if (!names.has(key) && !asked.has(key)) asked.set(key, { villageCode: '', province: cells.province, city: cells.city, county: cells.county, township: cells.township, village: cells.village });
    }
  }
  if (codes.size === 0 && asked.size === 0) return;
  const answers = await new Promise<Extract<ToRowWorker, { type: 'answers' }>>((resolve) => {
    answerWaiter = resolve;
    send({ type: 'lookup', codes: [...codes], names: [...asked] });
  });
  answerWaiter = null;
  for (const [code, facts] of answers.villages) {
    villages.set(code, facts);
    if (facts?.township) townships.set(facts.township.code, facts.township);
  }
  for (const [key, answer] of answers.names) names.set(key, answer);
}

async function handOver(rows: SheetRow[], preparer: RowPreparer, progress: ReadProgress): Promise<void> {
  await lookUp(rows);
  // The row as read stays here: the job rebuilds it from the cells in the rare case it needs it (a change), and the
  // chunk crosses threads a third smaller; the cells cross as one text (WireRow).
  const prepared = rows.map((r) => wireRow(preparer.prepare(r)));
  while (credits === 0) await new Promise<void>((resolve) => (creditWaiter = resolve));
  credits--;
  send({ type: 'chunk', rows: prepared, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
}

async function run(): Promise<void> {
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: 0 };
  const preparer = new RowPreparer(answeredCodes, answeredPlaces, data.entityId);
  let chunk: SheetRow[] = [];
  for await (const row of sheetRows(data.file, data.format, progress)) {
    chunk.push(row);
    if (chunk.length >= data.chunkRows) {
      await handOver(chunk, preparer, progress);
      chunk = [];
    }
  }
  if (chunk.length > 0) await handOver(chunk, preparer, progress);
  send({ type: 'end', bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal });
}

run().catch((err: unknown) => send({ type: 'failed', error: errorData(err) }));
