import type { BatchReads } from './batch-reads';
import { ALL_PRODUCTS, bucketId, flowId, GRAINS, levelOf, parentRegion, periodOf, regionChain, regionPrefix, type FlowKind, type FlowLevel, type StatsBucket, type StatsFlow } from './buckets';

export const STATS = 'stats';
export const STATS_FLOWS = 'stats_flows';
/** Per-enterprise counters by month and all time, for the evaluation of each enterprise (运行监测评价). */
export const STATS_ENTITIES = 'stats_entities';

export interface StatsEntity {
  _id: string;
  grain: 'month' | 'all';
  period: string;
  entityId: string;
  region: string;
  name: string | null;
  c: Record<string, number>;
}


type Counters = Record<string, number>;

function addInto(target: Counters, delta: Counters): void {
  for (const [k, v] of Object.entries(delta)) {
    const sum = (target[k] ?? 0) + v;
    if (sum === 0) delete target[k];
    else target[k] = sum;
  }
}

/**
 * The counter changes of ONE event, gathered per document before anything is written: the runner keeps only
 * the first write per document and event, and one event may touch a bucket twice (an application and its
 * review deadline in the same month, a flow inside one county). flush() then reads each document once,
 * adds, and writes it once.
 */
export class Tally {
  private readonly buckets = new Map<string, { doc: Omit<StatsBucket, 'c'>; c: Counters }>();
  private readonly flows = new Map<string, { doc: Omit<StatsFlow, 'c'>; c: Counters }>();
  private readonly entities = new Map<string, { doc: Omit<StatsEntity, 'c'>; c: Counters }>();

  /** Counts at `code`'s region and every region above it, by day / month / all, for the product and for all products. */
  count(code: string | null | undefined, day: string, product: string | null | undefined, counters: Counters): void {
    if (Object.keys(counters).length === 0) return;
    const products = product && product !== ALL_PRODUCTS ? [ALL_PRODUCTS, product] : [ALL_PRODUCTS];
    for (const region of regionChain(code))
      for (const grain of GRAINS)
        for (const p of products) {
          const period = periodOf(grain, day);
          const id = bucketId(grain, period, region, p);
          let entry = this.buckets.get(id);
          if (!entry) this.buckets.set(id, (entry = { doc: { _id: id, grain, period, region, level: levelOf(region), parent: parentRegion(region), product: p }, c: {} }));
          addInto(entry.c, counters);
        }
  }

  /** A quantity moved from one place to another: counted between provinces and between counties, by month and all. */
  flow(kind: FlowKind, fromCode: string, toCode: string, day: string, product: string | null | undefined, counters: Counters): void {
    const from = regionPrefix(fromCode);
    const to = regionPrefix(toCode);
    if (from.length < 6 || to.length < 6) return; // a flow needs two counties to be drawn
    const products = product && product !== ALL_PRODUCTS ? [ALL_PRODUCTS, product] : [ALL_PRODUCTS];
    const levels: [FlowLevel, number][] = [['province', 2], ['county', 6]];
    for (const [level, n] of levels)
      for (const grain of ['month', 'all'] as const)
        for (const p of products) {
          const period = periodOf(grain, day);
          const f = from.slice(0, n);
          const t = to.slice(0, n);
          const id = flowId(kind, level, grain, period, f, t, p);
          let entry = this.flows.get(id);
          if (!entry) this.flows.set(id, (entry = { doc: { _id: id, kind, level, grain, period, from: f, to: t, product: p }, c: {} }));
          addInto(entry.c, counters);
        }
  }

  /** Counts for one enterprise (by month and all time); `name` when the event carries it (kept otherwise). */
  entity(entityId: string | null | undefined, region: string, name: string | null, day: string, counters: Counters): void {
    if (!entityId || Object.keys(counters).length === 0) return;
    for (const grain of ['month', 'all'] as const) {
      const period = periodOf(grain, day);
      const id = `${grain}:${period}|${entityId}`;
      let entry = this.entities.get(id);
      if (!entry) this.entities.set(id, (entry = { doc: { _id: id, grain, period, entityId, region: regionPrefix(region), name }, c: {} }));
      addInto(entry.c, counters);
    }
  }

  async flush(ctx: BatchReads): Promise<void> {
    for (const [collection, entries] of [[STATS, this.buckets], [STATS_FLOWS, this.flows], [STATS_ENTITIES, this.entities]] as const) {
      for (const [id, { doc, c }] of entries) {
        const current = await ctx.get(collection, id);
        if (ctx.folded(current)) continue;
        // This batch's own object (the context's copy, or this projection's last write in the batch): added to in
        // place — copying every counter map for every event was most of what was left of the cost.
        const counters: Counters = (current?.c as Counters | undefined) ?? {};
        addInto(counters, c);
        const name = 'name' in doc ? (doc.name ?? (current?.name as string | null | undefined) ?? null) : undefined;
        if (current) {
          // Rewritten in place too (same reasoning): the header as this event has it, the name kept if it has none.
          Object.assign(current, doc);
          if (name !== undefined) current.name = name;
          ctx.put(collection, current);
        } else ctx.put(collection, { ...doc, ...(name !== undefined ? { name } : {}), c: counters });
      }
    }
  }
}
