import fc from 'fast-check';
import type { ReadDoc } from '../../../../application/ports/read-store';
import { applied, approved, certified, lotCreated, warningClosed, warningRaised } from './events';
import { FoldStore, type FoldMode, type LoggedEvent, type LogFold } from './fold';
import { buildLog, logArb } from './log-arbitrary';

/**
 * The statistics projection's batch-level fold (applyBatch) against its event-by-event fold (apply), through
 * the runner's BatchContext over an embedded SQLite read store: whatever batches the log is cut into, and
 * whatever batch a crash between documents and checkpoint makes the runner replay, the documents are the
 * ones folding each event alone leaves.
 */
const store = new FoldStore();
afterAll(() => store.close());

/** Documents without `_v`: a batch stamps every write with its last position, one event at a time with its own. */
function strip(docs: Map<string, ReadDoc>): Map<string, Omit<ReadDoc, '_v'>> {
  return new Map([...docs].map(([k, { _v: _, ...rest }]) => [k, rest]));
}

/** The reference: each event its own batch, folded with `apply`. */
async function oneByOne(log: LoggedEvent[]): Promise<Map<string, ReadDoc>> {
  const f = store.open();
  for (const e of log) await f.batch([e], 'event');
  return f.docs();
}

interface Crash {
  /** Which batch the crash follows (modulo the number of batches). */
  batch: number;
  /** How the crashed batch was folded. */
  mode: FoldMode;
  /** The replayed batch's length, from the same position (a different batch size after the restart). */
  replay: number;
}

/** Folds `log` cut by `sizes` (cycled) with applyBatch; a crash after one batch replays from its start. */
async function cutAndFold(f: LogFold, log: LoggedEvent[], sizes: number[], crash: Crash | null): Promise<void> {
  let i = 0;
  for (let b = 0; i < log.length; b++) {
    const n = sizes[b % sizes.length]!;
    if (crash && b === crash.batch % Math.max(1, Math.ceil(log.length / n))) {
      await f.crashAfter(log.slice(i, i + n), crash.mode);
      await f.batch(log.slice(i, i + crash.replay), 'batch');
      i += crash.replay;
      crash = null;
      continue;
    }
    await f.batch(log.slice(i, i + n), 'batch');
    i += n;
  }
}

const sizesArb = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 });
const crashArb: fc.Arbitrary<Crash> = fc.record({ batch: fc.nat(10), mode: fc.constantFrom<FoldMode>('batch', 'event'), replay: fc.integer({ min: 1, max: 60 }) });

describe('statistics projection: the batch fold equals folding event by event', () => {
  it('given a log cut into any batches, when each batch is folded with applyBatch, then the documents are those of apply on each event', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, sizesArb, async ([actions, steps], sizes) => {
        const log = buildLog(actions, steps);
        const f = store.open();
        await cutAndFold(f, log, sizes, null);
        expect(strip(await f.docs())).toEqual(strip(await oneByOne(log)));
      }),
      { numRuns: 60 },
    );
  });

  it('given a crash after a batch’s documents were stored but not its checkpoint, when the runner replays from there (any batch size), then nothing is counted twice', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, sizesArb, crashArb, async ([actions, steps], sizes, crash) => {
        const log = buildLog(actions, steps);
        const f = store.open();
        await cutAndFold(f, log, sizes, crash);
        expect(strip(await f.docs())).toEqual(strip(await oneByOne(log)));
      }),
      { numRuns: 80 },
    );
  });

  it('given a replayed batch, then each document skips only the events it already folds (a bucket stored later, a new bucket counted)', async () => {
    const kg = (amount: number) => ({ amount, unit: 'kg' });
    const first = [
      applied('e1', '460105', '2026-03-02T02:00:00Z', '2026-03-09T15:59:59Z'),
      lotCreated('L1', 'e1', '460105', '豇豆', kg(10), '2026-03-05T01:00:00Z'),
      warningRaised('W1', '460105', '豇豆', 'red', '2026-03-05T02:00:00Z'),
    ];
    // After the restart the replayed batch goes further: a review, a certificate on a new day, the warning closed.
    const more = [approved('e1', '2026-03-04T03:00:00Z'), certified('L1', '440305', kg(5), '2026-03-06T02:00:00Z'), warningClosed('W1', '2026-03-06T03:00:00Z')];
    const crashed = store.open();
    await crashed.crashAfter(first);
    await crashed.batch([...first, ...more]);
    const docs = await crashed.docs();
    expect(strip(docs)).toEqual(strip(await oneByOne([...first, ...more])));
    // The month bucket was stored by the crashed batch and counts the replayed events once…
    expect(docs.get('stats\u0000month:2026-03|460105|*')!.c).toMatchObject({ entitiesApplied: 1, lotsCreated: 1, warningsRaised: 1, warningsClosed: 1, certificates: 1 });
    // …and the certificate's day bucket, new in the replay, counts it.
    expect(docs.get('stats\u0000day:2026-03-06|460105|豇豆')!.c).toMatchObject({ certificates: 1, 'certifiedQty:g': 5000 });
  });
});
