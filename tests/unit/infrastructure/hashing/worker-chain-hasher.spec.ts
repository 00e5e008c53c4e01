import { hashChain, inlineChainHasher, sealChains, PENDING_HASH_PREFIX, type UnhashedChain } from '../../../../application/ledger/chain-hasher';
import { computeEventHash, GENESIS_HASH, verifyStreamChain } from '../../../../application/ledger/event-hash';
import type { CommandAppend, EventEnvelope, RecordedEvent } from '../../../../application/ports/event-store';
import { chainHasherFromEnv, WorkerChainHasher } from '../../../../infrastructure/hashing/worker-chain-hasher';

const actor = { userId: 'u', orgId: 'o', role: 'system' as const, regionCode: '' };
const envelope = (streamId: string, revision: number, n: number): Omit<EventEnvelope, 'hash' | 'prevHash'> => ({
  eventId: `e-${streamId}-${revision}`,
  type: 'Added',
  schemaVersion: 1,
  streamId,
  revision,
  occurredAt: '2026-12-01T00:00:00.000Z',
  recordedAt: '2026-12-01T00:00:00.000Z',
  actor,
  commandId: `c-${n}`,
  correlationId: `c-${n}`,
  causationId: null,
  data: { n, 名: '豇豆', nested: { list: [1, 2.5, null, 'x'] } },
});

/** Decision 0020: hashing a batch's chains elsewhere (later, on worker threads) must write the very same hashes. */
describe('chain hashing for batches', () => {
  const chains: UnhashedChain[] = Array.from({ length: 40 }, (_, s) => ({
    prevHash: s % 2 ? GENESIS_HASH : computeEventHash({ ...envelope(`s-${s}`, 0, -1), prevHash: GENESIS_HASH }),
    events: Array.from({ length: 1 + (s % 4) }, (_, r) => envelope(`s-${s}`, r + (s % 2 ? 0 : 1), s * 10 + r)),
  }));

  it('worker threads give byte for byte the hashes of the calling thread, in the order of the chains', async () => {
    const pool = new WorkerChainHasher({ threads: 2, minEvents: 0 });
    try {
      const expected = await inlineChainHasher.hashChains(chains);
      expect(await pool.hashChains(chains)).toEqual(expected);
      // Each hash is computeEventHash of the envelope linked to the previous one.
      const first = chains[1]!;
      expect(expected[1]![0]).toBe(computeEventHash({ ...first.events[0]!, prevHash: first.prevHash }));
      expect(expected[1]![1]).toBe(computeEventHash({ ...first.events[1]!, prevHash: expected[1]![0]! }));
    } finally {
      await pool.close();
    }
  });

  it('below minEvents a batch never reaches the pool', async () => {
    const pool = new WorkerChainHasher({ threads: 1, minEvents: 1_000_000 });
    const run = jest.spyOn((pool as unknown as { pool: { run: () => unknown } }).pool, 'run');
    try {
      expect(await pool.hashChains(chains)).toEqual(chains.map(hashChain));
      expect(run).not.toHaveBeenCalled();
    } finally {
      await pool.close();
    }
  });

  it('sealChains links placeholders stream by stream across commands, and the result verifies as a chain', async () => {
    // Two commands writing stream "a" (the second continues the first's placeholder) and one writing "b".
    let n = 0;
    const staged = (streamId: string, revision: number, prevHash: string): EventEnvelope => ({ ...envelope(streamId, revision, n), prevHash, hash: `${PENDING_HASH_PREFIX}${++n}` });
    const a0 = staged('a', 0, GENESIS_HASH);
    const b0 = staged('b', 0, GENESIS_HASH);
    const a1 = staged('a', 1, a0.hash);
    const a2 = staged('a', 2, a1.hash);
    const commands: CommandAppend[] = [
      { commandId: 'c1', appends: [{ streamId: 'a', expectedRevision: 'no_stream', events: [a0] }, { streamId: 'b', expectedRevision: 'no_stream', events: [b0] }] },
      { commandId: 'c2', appends: [{ streamId: 'a', expectedRevision: 0, events: [a1, a2] }] },
    ];
    await sealChains(commands, inlineChainHasher);
    const recorded = (events: EventEnvelope[]) => events.map((e, i) => ({ ...e, position: i + 1 }) as RecordedEvent);
    expect(verifyStreamChain(recorded([a0, a1, a2]))).toBeNull();
    expect(verifyStreamChain(recorded([b0]))).toBeNull();
    expect(a1.prevHash).toBe(a0.hash);
    expect([a0, a1, a2, b0].every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
  });

  it('sealChains refuses an event continuing a placeholder that is not in the batch', async () => {
    const orphan = { ...envelope('x', 1, 1), prevHash: `${PENDING_HASH_PREFIX}999`, hash: `${PENDING_HASH_PREFIX}1000` };
    await expect(sealChains([{ commandId: 'c', appends: [{ streamId: 'x', expectedRevision: 0, events: [orphan] }] }], inlineChainHasher)).rejects.toThrow(/not staged/);
  });

  it('HASH_WORKERS configures the platform hasher; 0 is the calling thread only, nonsense is refused', async () => {
    const off = chainHasherFromEnv({ HASH_WORKERS: '0' });
    expect(off).not.toBeInstanceOf(WorkerChainHasher);
    expect(await off.hashChains(chains)).toEqual(chains.map(hashChain));
    const on = chainHasherFromEnv({ HASH_WORKERS: '1', HASH_WORKERS_MIN_EVENTS: '0' });
    expect(on).toBeInstanceOf(WorkerChainHasher);
    await on.close();
    expect(() => chainHasherFromEnv({ HASH_WORKERS: '-1' })).toThrow(/HASH_WORKERS/);
  });
});
