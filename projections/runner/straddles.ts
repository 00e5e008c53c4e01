import { IncrementsStraddle } from '../../application/ports/read-store';

/**
 * Folds and commits `batch` with `run`; when the store answers that some increments straddle stored versions
 * (a batch replayed after a crash reaches past the crashed batch's end: some counter documents fold only its
 * first part, their `_v` — application/ports/read-store.ts Increment), folds it again cut at those positions,
 * so that each part is either wholly in a document or wholly not (decision 0025). A cut is strictly inside the
 * batch it cuts, so this ends; a straddle that names no position inside the batch is thrown on.
 */
export async function foldInParts<E extends { position: number }>(batch: readonly E[], run: (part: readonly E[]) => Promise<void>, onCut?: (cuts: number[]) => void): Promise<void> {
  try {
    await run(batch);
  } catch (err) {
    if (!(err instanceof IncrementsStraddle) || batch.length === 0) throw err;
    const first = batch[0]!.position;
    const last = batch[batch.length - 1]!.position;
    const cuts = err.positions.filter((p) => p >= first && p < last);
    if (cuts.length === 0) throw err;
    onCut?.(cuts);
    let start = 0;
    for (const cut of [...cuts, Infinity]) {
      let end = start;
      while (end < batch.length && batch[end]!.position <= cut) end++;
      if (end > start) await foldInParts(batch.slice(start, end), run, onCut);
      start = end;
    }
  }
}
