import type { ReadModels } from '../../../../application/ports/read-models';
import type { ReadDoc } from '../../../../application/ports/read-store';
import { traceChain } from '../../../../application/trace/chain-query';
import { consumerView } from '../../../../application/trace/consumer-view';

/** Read models in memory, counting the documents read per collection. */
function memoryModels(collections: Record<string, ReadDoc[]>) {
  const reads: Record<string, number> = {};
  const byId = (c: string) => new Map((collections[c] ?? []).map((d) => [d._id, d]));
  const models: ReadModels = {
    async get(c, id) {
      reads[c] = (reads[c] ?? 0) + 1;
      return byId(c).get(id) ?? null;
    },
    async getMany(c, ids) {
      reads[c] = (reads[c] ?? 0) + ids.length;
      const docs = byId(c);
      return ids.flatMap((id) => (docs.has(id) ? [docs.get(id)!] : []));
    },
    async find(c, filter) {
      const from = (filter.from as { $in: string[] } | undefined)?.$in;
      if (!from) return []; // no incident notices in these chains (application/trace/consumer-view.ts openNotices)
      return (collections[c] ?? []).filter((d) => from.includes(d.from as string));
    },
    async count() {
      return 0;
    },
    async search() {
      throw new Error('not used');
    },
  };
  return { models, reads };
}

/** A chain of `length` lots, each received from the one before (hand-overs on consecutive days). */
function chainOf(length: number) {
  const lots: ReadDoc[] = [];
  const edges: ReadDoc[] = [];
  for (let i = 0; i < length; i++) {
    const code = `LOT${String(i).padStart(3, '0')}`;
    lots.push({
      _id: code,
      _v: 1,
      product: '豇豆',
      productionDate: '2026-11-20',
      quantity: { amount: 1000 - i, unit: 'kg' },
      unit: 'kg',
      createdAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00.000Z`,
      parentTraceCode: i === 0 ? null : lots[i - 1]!._id,
      sourceTransferId: i === 0 ? null : `T${i}`,
      holder: { entityId: i === 0 ? 'E-household' : `E${i % 3}`, name: i === 0 ? '李四光' : `商户${i % 3}`, regionCode: '469007' },
      base: { name: '基地', regionCode: '469007', lat: 19.123456, lon: 108.654321 },
      holds: [],
    });
    if (i > 0) edges.push({ _id: `T${i}`, _v: 1, from: lots[i - 1]!._id, to: code, kind: 'transfer', transferId: `T${i}`, quantity: 1, unit: 'kg', at: '2026-11-20' });
  }
  const entities: ReadDoc[] = [
    { _id: 'E-household', _v: 1, entityType: 'household' },
    { _id: 'E0', _v: 1, entityType: 'enterprise' },
    { _id: 'E1', _v: 1, entityType: 'cooperative' },
    { _id: 'E2', _v: 1, entityType: 'market' },
  ];
  return { lots, lot_edges: edges, entities };
}

describe('consumerView', () => {
  it.each([1, 3, 12, 65, 80])('shows the same lineage as the backward chain query (%i lots), reading only lots and entities', async (length) => {
    const data = chainOf(length);
    const leaf = data.lots[length - 1]!._id;
    const { models, reads } = memoryModels(data);
    const view = (await consumerView(models, leaf))!;

    const chain = (await traceChain(memoryModels(data).models, leaf, 'backward', 64))!;
    const byCode = new Map(chain.lots.map((l) => [l._id, l]));
    const expected: string[] = [];
    for (let code: string | null = leaf; code && byCode.has(code); code = (byCode.get(code)!.parentTraceCode as string | null) ?? null) expected.unshift(code);

    expect(view.chain.map((c) => c.traceCode)).toEqual(expected);
    expect(view.chain).toHaveLength(Math.min(length, 65)); // the lot and at most 64 hand-overs back
    expect(view.origin.traceCode).toBe(expected[0]);
    expect(reads.lot_edges ?? 0).toBe(0);
    expect(reads.lots).toBe(expected.length);
  });

  it('masks a household origin and shows its plot coarsely', async () => {
    const { models } = memoryModels(chainOf(3));
    const view = (await consumerView(models, 'LOT002'))!;
    expect(view.origin.entity).toMatchObject({ name: '李**', entityType: 'household' });
    expect(view.origin.base).toMatchObject({ lat: 19.12, lon: 108.65 });
    expect(view.chain[1]!.holder).toMatchObject({ name: '商户1', entityType: 'cooperative' });
  });

  it('stops at a missing parent (not projected yet) and answers null for an unknown lot', async () => {
    const data = chainOf(4);
    data.lots.splice(1, 1);
    const { models } = memoryModels(data);
    expect((await consumerView(models, 'LOT003'))!.chain.map((c) => c.traceCode)).toEqual(['LOT002', 'LOT003']);
    expect(await consumerView(models, 'NOPE')).toBeNull();
  });

  it('reads each holder entity once (its type never changes), but again while it is not projected yet', async () => {
    const data = chainOf(3);
    const withheld = data.entities.splice(2, 1); // E1 (holder of LOT001) not in the read models yet
    const { models, reads } = memoryModels(data);
    expect((await consumerView(models, 'LOT002'))!.chain[1]!.holder.entityType).toBeNull();
    const afterFirst = reads.entities!;
    data.entities.push(...withheld);
    expect((await consumerView(models, 'LOT002'))!.chain[1]!.holder.entityType).toBe('cooperative');
    expect(reads.entities! - afterFirst).toBe(1); // only the one missing before
    await consumerView(models, 'LOT002');
    await consumerView(models, 'LOT001');
    expect(reads.entities! - afterFirst).toBe(1);
  });
});
