import { effectiveCheckpoint } from '../../../bench/faults/read-model-digest';

/**
 * The fault harness compares a served read side with a rebuild by their checkpoints seen through each
 * projection's filter: the commands' lane stores no progress over events it does not handle, so a served
 * checkpoint may stop before such a tail (stop 24's CI failed on exactly that: DataAccessed + TreeHeadSealed).
 */
describe('effectiveCheckpoint (bench/faults)', () => {
  const log = [
    { position: 1, type: 'LotCreated' },
    { position: 2, type: 'LotShipped' },
    { position: 3, type: 'DataAccessed' },
    { position: 4, type: 'TreeHeadSealed' },
  ];
  const lots = ['LotCreated', 'LotShipped'];

  it('given a tail of events the projection does not handle, a checkpoint before it and one at the head are the same', () => {
    expect(effectiveCheckpoint(lots, 2, log)).toBe(2);
    expect(effectiveCheckpoint(lots, 4, log)).toBe(2);
  });

  it('given a handled event after the checkpoint, the checkpoint is still behind the head', () => {
    expect(effectiveCheckpoint(lots, 1, log)).toBe(1);
    expect(effectiveCheckpoint(lots, 1, log)).toBeLessThan(effectiveCheckpoint(lots, Number.MAX_SAFE_INTEGER, log));
  });

  it('a projection that handles everything (no filter) and a checkpoint before any event', () => {
    expect(effectiveCheckpoint([], 3, log)).toBe(3);
    expect(effectiveCheckpoint(lots, -1, log)).toBe(-1);
  });
});
