import type { EventStore, RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadDoc } from '../../../../application/ports/read-store';
import { SynthesisCache } from '../../../../application/reports/synthesis-cache';
import { foldIntoMemory, generateTree } from './support/recall-tree';

/**
 * The per-incident synthesis cache (issue 12): the chain table and the three downloads share one synthesis,
 * reused across the access-log entries their own reads append, recomputed as soon as anything the read models
 * of the chain could fold is appended.
 */
describe('SynthesisCache', () => {
  async function setup(options: { maxScan?: number } = {}) {
    const tree = generateTree({ lots: 40, fanOut: 3 });
    const log: RecordedEvent[] = [...tree.events];
    const collections = new Map<string, Map<string, ReadDoc>>();
    await foldIntoMemory(log, collections);
    const models = await foldIntoMemory([], collections);
    let caughtUpTo = log.length;
    const store = {
      headPosition: async () => log[log.length - 1]!.position,
      readAll: async ({ afterPosition, maxCount }: { afterPosition: number; maxCount: number }) => log.filter((e) => e.position > afterPosition).slice(0, maxCount),
    } as unknown as EventStore;
    const progress = { waitFor: async (position: number) => caughtUpTo >= position };
    const cache = new SynthesisCache({ models, store, progress }, { catchUpMs: 0, ...options });
    const template = log[log.length - 1]!;
    /** Appends an event to the log and folds it into the read models (as the projection runner would). */
    const append = async (streamId: string, type: string, data: Record<string, unknown>, fold = true) => {
      const e = { ...template, eventId: `ev-x${log.length}`, streamId, type, data, position: log[log.length - 1]!.position + 1 } as RecordedEvent;
      log.push(e);
      if (fold) {
        await foldIntoMemory([e], collections);
        caughtUpTo = e.position;
      }
      return e;
    };
    const accessRead = () => append(`access-u-moa-20261201`, 'DataAccessed', { method: 'GET', path: '/api/v1/incidents/i-1/report', status: 200, permission: 'incident.read', source: 'http' }, false).then((e) => (caughtUpTo = e.position));
    return { tree, log, cache, append, accessRead, setCaughtUp: (p: number) => (caughtUpTo = p) };
  }

  it('synthesises once for the chain table and every download, across the access-log entries they append', async () => {
    const { tree, log, cache, accessRead } = await setup();
    const first = await cache.synthesise([tree.origin]);
    expect(first.nodes).toHaveLength(40);
    expect(first.asOfPosition).toBe(log[log.length - 1]!.position);
    for (let i = 0; i < 3; i++) {
      await accessRead();
      const again = await cache.synthesise([tree.origin]);
      expect(again.nodes).toBe(first.nodes); // the same objects: not recomputed
      expect(again.asOfPosition).toBe(log[log.length - 1]!.position); // as of the head it was asked at
    }
    expect(cache.stats).toEqual({ misses: 1, hits: 3 });
    // Shared by the renderers and the redaction: nobody may change it.
    expect(Object.isFrozen(first.nodes)).toBe(true);
    expect(Object.isFrozen(first.nodes[0]!.holder)).toBe(true);
  });

  it('recomputes when an event the chain depends on is appended (a market entry out of a leaf)', async () => {
    const { tree, log, cache, append, accessRead } = await setup();
    const before = await cache.synthesise([tree.origin]);
    const entry = log.find((e) => e.type === 'MarketEntryCertified')!;
    await accessRead();
    await append(entry.streamId, 'MarketEntryCertified', { ...entry.data, certificateNo: 'CERT-NEW-1' });
    await accessRead();
    const after = await cache.synthesise([tree.origin]);
    expect(before.edges.some((e) => e.transferId === 'CERT-NEW-1')).toBe(false);
    expect(after.edges.filter((e) => e.transferId === 'CERT-NEW-1')).toHaveLength(1);
    expect(cache.stats).toEqual({ misses: 2, hits: 0 });
    // … and the new synthesis is what the next download gets.
    expect((await cache.synthesise([tree.origin])).edges).toBe(after.edges);
  });

  it('keys on the trace codes and the walk: another incident or the forward-from-origins walk is its own entry', async () => {
    const { tree, cache } = await setup();
    const leaf = tree.leaves[0]!;
    const narrow = await cache.synthesise([leaf]);
    const wide = await cache.synthesise([leaf], { forwardFromOrigins: true });
    expect(wide.nodes.length).toBeGreaterThan(narrow.nodes.length);
    expect((await cache.synthesise([leaf])).nodes).toBe(narrow.nodes);
    expect(cache.stats).toEqual({ misses: 2, hits: 1 });
  });

  it('does not cache a synthesis made before the read models caught up with the head', async () => {
    const { tree, log, cache, setCaughtUp } = await setup();
    setCaughtUp(log[log.length - 1]!.position - 1);
    const stale = await cache.synthesise([tree.origin]);
    expect(stale.asOfPosition).toBe(-1);
    setCaughtUp(log[log.length - 1]!.position);
    const fresh = await cache.synthesise([tree.origin]);
    expect(fresh.nodes).not.toBe(stale.nodes);
    expect(fresh.asOfPosition).toBe(log[log.length - 1]!.position);
    expect(cache.stats.misses).toBe(2);
  });

  it('recomputes rather than read more than maxScan events to prove an entry still holds', async () => {
    const { tree, cache, accessRead } = await setup({ maxScan: 3 });
    const first = await cache.synthesise([tree.origin]);
    for (let i = 0; i < 3; i++) await accessRead();
    expect((await cache.synthesise([tree.origin])).nodes).toBe(first.nodes); // 3 checked: still current
    for (let i = 0; i < 4; i++) await accessRead();
    expect((await cache.synthesise([tree.origin])).nodes).not.toBe(first.nodes);
    expect(cache.stats).toEqual({ misses: 2, hits: 1 });
  });
});
