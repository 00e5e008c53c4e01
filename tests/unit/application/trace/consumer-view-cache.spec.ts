import type { ReadModels } from '../../../../application/ports/read-models';
import type { ReadDoc } from '../../../../application/ports/read-store';
import { consumerView } from '../../../../application/trace/consumer-view';
import { ConsumerViewCache } from '../../../../application/trace/consumer-view-cache';

/** Mutable read models in memory: a test changes a document as a projection would (a higher `_v`). */
function store() {
  const collections = new Map<string, Map<string, ReadDoc>>();
  const reads: Record<string, number> = {};
  const col = (c: string) => collections.get(c) ?? collections.set(c, new Map()).get(c)!;
  const put = (c: string, doc: ReadDoc) => void col(c).set(doc._id, structuredClone(doc));
  const models: ReadModels = {
    async get(c, id) {
      reads[c] = (reads[c] ?? 0) + 1;
      return structuredClone(col(c).get(id) ?? null);
    },
    async getMany(c, ids) {
      reads[c] = (reads[c] ?? 0) + ids.length;
      return ids.flatMap((id) => (col(c).has(id) ? [structuredClone(col(c).get(id)!)] : []));
    },
    async find(c, filter) {
      reads[c] = (reads[c] ?? 0) + 1;
      if (c !== 'incident_notices') return [];
      return [...col(c).values()].filter((d) => (d.traceCodes as string[]).includes(filter.traceCodes as string) && d.incidentClosedAt === null);
    },
    async count() {
      return 0;
    },
    async search() {
      throw new Error('not used');
    },
  };
  return { models, put, reads };
}

const lot = (code: string, v: number, parent: string | null, extra: Record<string, unknown> = {}): ReadDoc => ({
  _id: code,
  _v: v,
  traceCode: code,
  product: '豇豆',
  productionDate: '2026-11-20',
  quantity: { amount: 100, unit: 'kg' },
  unit: 'kg',
  createdAt: '2026-11-21T08:00:00.000Z',
  parentTraceCode: parent,
  sourceTransferId: parent ? `T-${code}` : null,
  holder: { entityId: 'E1', name: '合作社', regionCode: '469007' },
  base: { name: '基地', regionCode: '469007', lat: 19.1, lon: 108.6 },
  holds: [],
  certificates: [],
  verdicts: [],
  ...extra,
});
const HOLD = { holdId: 'H1', owner: { kind: 'failed-result', id: 'S1', caseId: 'C1' }, label: '不合格 · 暂停销售', reason: '抽检不合格', since: '2026-11-22T00:00:00Z', sourceTraceCode: null };

describe('ConsumerViewCache', () => {
  function setup() {
    const s = store();
    s.put('entities', { _id: 'E1', _v: 1, entityType: 'cooperative' });
    s.put('lots', lot('ROOT', 1, null));
    s.put('lots', lot('MID', 2, 'ROOT'));
    s.put('lots', lot('LEAF', 3, 'MID'));
    return { ...s, cache: new ConsumerViewCache(s.models) };
  }

  it('answers the view it built while the lot and its notices are unchanged, without walking the lineage again', async () => {
    const { models, cache, reads } = setup();
    const first = await cache.lookup('LEAF');
    expect(first).toEqual(await consumerView(models, 'LEAF'));
    const lotsRead = reads.lots!;
    expect(await cache.lookup('LEAF')).toBe(first);
    expect(reads.lots! - lotsRead).toBe(1); // the lot itself, for its version; not MID and ROOT
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('shows a hold, its lifting and its history on the next lookup after the lot document moves', async () => {
    const { cache, put } = setup();
    expect((await cache.lookup('LEAF'))!.status).toBe('normal');
    put('lots', lot('LEAF', 10, 'MID', { holds: [HOLD] }));
    put('lot_hold_history', { _id: 'LEAF', _v: 10, entries: [{ event: 'held', holdId: 'H1', ownerKind: 'failed-result', ownerId: 'S1', decisionKind: null, reason: '抽检不合格', at: '2026-11-22T00:00:00Z', sourceTraceCode: null }] });
    const held = (await cache.lookup('LEAF'))!;
    expect(held.status).toBe('on-hold');
    expect(held.warnings.map((w) => w.holdId)).toEqual(['H1']);
    expect(held.holdHistory.map((e) => e.event)).toEqual(['held']);
    put('lots', lot('LEAF', 11, 'MID', { holds: [] }));
    expect((await cache.lookup('LEAF'))!.status).toBe('normal');
  });

  it('shows a notice published about the lot, and drops it when its incident closes', async () => {
    const { cache, put } = setup();
    expect((await cache.lookup('LEAF'))!.notices).toEqual([]);
    const notice = { _id: 'N1', _v: 20, traceCodes: ['LEAF', 'MID'], incidentClosedAt: null, title: '召回通告', body: '请停止销售', publishedAt: '2026-11-23T00:00:00Z' };
    put('incident_notices', notice);
    expect((await cache.lookup('LEAF'))!.notices.map((n) => n.noticeId)).toEqual(['N1']);
    put('incident_notices', { ...notice, _v: 21, incidentClosedAt: '2026-11-30T00:00:00Z' });
    expect((await cache.lookup('LEAF'))!.notices).toEqual([]);
  });

  it('answers null for an unknown lot, and evicts the least recently used view beyond its bound', async () => {
    const s = setup();
    const small = new ConsumerViewCache(s.models, 2);
    expect(await small.lookup('NOPE')).toBeNull();
    await small.lookup('ROOT');
    await small.lookup('MID');
    await small.lookup('ROOT'); // ROOT is now the most recent
    await small.lookup('LEAF'); // evicts MID
    expect(small.stats().entries).toBe(2);
    const misses = small.stats().misses;
    await small.lookup('ROOT');
    expect(small.stats().misses).toBe(misses);
    await small.lookup('MID');
    expect(small.stats().misses).toBe(misses + 1);
  });
});
