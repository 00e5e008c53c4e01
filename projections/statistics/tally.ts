import { ALL_PRODUCTS, bucketId, flowId, GRAINS, levelOf, parentRegion, regionChain, regionPrefix, type FlowKind, type FlowLevel, type StatsBucket, type StatsFlow } from './buckets';

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

export type Counters = Record<string, number>;
export type TallyCollection = typeof STATS | typeof STATS_FLOWS | typeof STATS_ENTITIES;

/**
 * Adds `delta` into `target`. A counter that sums to 0 stays, as 0: the store adds increments in place and keeps
 * a 0 it reaches, so a batch must leave the same counters as its events one at a time (a 0 reads as absent).
 */
export function addInto(target: Counters, delta: Counters): void {
  // for…in, not Object.entries: no array of pairs per call (this runs once per leaf and bucket).
  for (const k in delta) target[k] = (target[k] ?? 0) + delta[k]!;
}

/** One document's share of a tally: the counters to add, and its other fields (what the id stands for). */
export interface TallyDoc {
  collection: TallyCollection;
  id: string;
  c: Counters;
  /** Written when the increment creates the document (a bucket's or flow's header). */
  init: Record<string, unknown>;
  /** Written with every increment: an enterprise's region (the last counted event's) and newest name. */
  set: Record<string, unknown>;
}

/** A county's chain of containing regions, once per code (a few thousand codes at most: GB/T 2260). */
const chains = new Map<string, readonly string[]>();
function chainOf(code: string | null | undefined): readonly string[] {
  const key = code ?? '';
  let chain = chains.get(key);
  if (!chain) {
    chain = regionChain(code);
    if (chains.size < 100_000) chains.set(key, chain);
  }
  return chain;
}

const bucketHeaders = new Map<string, { level: number; parent: string | null }>();
function regionHeader(region: string): { level: number; parent: string | null } {
  let h = bucketHeaders.get(region);
  if (!h) bucketHeaders.set(region, (h = { level: levelOf(region), parent: parentRegion(region) }));
  return h;
}

interface BucketLeaf {
  code: string | null | undefined;
  day: string;
  product: string;
  c: Counters;
}
interface FlowLeaf {
  kind: FlowKind;
  from: string;
  to: string;
  month: string;
  product: string;
  c: Counters;
}
interface EntityEntry {
  header: { _id: string; grain: 'month' | 'all'; period: string; entityId: string; region: string };
  name: string | null;
  c: Counters;
}

const FLOW_LEVELS: readonly [FlowLevel, number][] = [
  ['province', 2],
  ['county', 6],
];

/**
 * The counter changes of a run of events (one event, or a whole batch), gathered before anything is read or
 * written. Counts are kept at their finest grain — a "leaf": (place, day, product) for a bucket, (kind, from,
 * to, month, product) for a flow — and spread over the region chain, the grains and "all products" only once
 * per leaf in documents(): an event touches 20–50 buckets, a batch's events mostly the same few hundred, so
 * the batch builds each bucket id and adds into it once per leaf instead of once per event.
 */
export class Tally {
  private readonly buckets = new Map<string, BucketLeaf>();
  private readonly flows = new Map<string, FlowLeaf>();
  private readonly entities = new Map<string, EntityEntry>();

  /** Counts at `code`'s region and every region above it, by day / month / all, for the product and for all products. */
  count(code: string | null | undefined, day: string, product: string | null | undefined, counters: Counters): void {
    if (isEmpty(counters)) return;
    const p = product || ALL_PRODUCTS;
    const key = `${code ?? ''}|${day}|${p}`;
    let leaf = this.buckets.get(key);
    if (!leaf) this.buckets.set(key, (leaf = { code, day, product: p, c: {} }));
    addInto(leaf.c, counters);
  }

  /** A quantity moved from one place to another: counted between provinces and between counties, by month. */
  flow(kind: FlowKind, fromCode: string, toCode: string, day: string, product: string | null | undefined, counters: Counters): void {
    const from = regionPrefix(fromCode);
    const to = regionPrefix(toCode);
    if (from.length < 6 || to.length < 6 || isEmpty(counters)) return; // a flow needs two counties to be drawn
    const p = product || ALL_PRODUCTS;
    const month = day.slice(0, 7);
    const key = `${kind}|${from}|${to}|${month}|${p}`;
    let leaf = this.flows.get(key);
    if (!leaf) this.flows.set(key, (leaf = { kind, from, to, month, product: p, c: {} }));
    addInto(leaf.c, counters);
  }

  /**
   * Counts for one enterprise (by month and all time). The document's region is the last counted event's;
   * its name the last one an event carried (`name` null keeps the one before), as one write per event left them.
   */
  entity(entityId: string | null | undefined, region: string, name: string | null, day: string, counters: Counters): void {
    if (!entityId || isEmpty(counters)) return;
    const prefix = regionPrefix(region);
    for (const [grain, period] of [['month', day.slice(0, 7)], ['all', 'all']] as const) {
      const id = `${grain}:${period}|${entityId}`;
      let entry = this.entities.get(id);
      if (!entry) this.entities.set(id, (entry = { header: { _id: id, grain, period, entityId, region: prefix }, name: null, c: {} }));
      entry.header.region = prefix;
      if (name !== null) entry.name = name;
      addInto(entry.c, counters);
    }
  }

  /** Every document this tally changes, each once, with the sum of its leaves' counters. */
  documents(): TallyDoc[] {
    const docs = new Map<string, TallyDoc>();
    const touch = (collection: TallyCollection, id: string, header: () => Record<string, unknown>, c: Counters) => {
      const key = `${collection}\u0000${id}`;
      let doc = docs.get(key);
      if (!doc) docs.set(key, (doc = { collection, id, init: header(), set: {}, c: {} }));
      addInto(doc.c, c);
    };
    // A document touched by a counted event is written even when its counters net to zero (an application
    // and its review in one batch leave the deadline day's bucket at {}), as one write per event left it.
    for (const leaf of this.buckets.values()) {
      const products = leaf.product === ALL_PRODUCTS ? [ALL_PRODUCTS] : [ALL_PRODUCTS, leaf.product];
      const month = leaf.day.slice(0, 7);
      for (const region of chainOf(leaf.code))
        for (const grain of GRAINS) {
          const period = grain === 'day' ? leaf.day : grain === 'month' ? month : 'all';
          for (const p of products) {
            const id = bucketId(grain, period, region, p);
            touch(STATS, id, () => ({ grain, period, region, ...regionHeader(region), product: p }) satisfies Omit<StatsBucket, 'c' | '_id'>, leaf.c);
          }
        }
    }
    for (const leaf of this.flows.values()) {
      const products = leaf.product === ALL_PRODUCTS ? [ALL_PRODUCTS] : [ALL_PRODUCTS, leaf.product];
      for (const [level, n] of FLOW_LEVELS) {
        const from = leaf.from.slice(0, n);
        const to = leaf.to.slice(0, n);
        // Monthly only: the flow map reads months (an all-time flow document was never read, and was a quarter
        // of the documents a batch wrote).
        for (const p of products) {
          const id = flowId(leaf.kind, level, 'month', leaf.month, from, to, p);
          touch(STATS_FLOWS, id, () => ({ kind: leaf.kind, level, grain: 'month', period: leaf.month, from, to, product: p }) satisfies Omit<StatsFlow, 'c' | '_id'>, leaf.c);
        }
      }
    }
    const out = [...docs.values()];
    for (const e of this.entities.values()) {
      const { _id, region, ...init } = e.header;
      // The name: the newest one a counted event carried; a new document without one starts with null.
      out.push({ collection: STATS_ENTITIES, id: _id, c: e.c, init: e.name === null ? { ...init, name: null } : init, set: e.name === null ? { region } : { region, name: e.name } });
    }
    return out;
  }
}

function isEmpty(c: Counters): boolean {
  for (const _ in c) return false;
  return true;
}
