import type { BatchCommandType } from '../../application/batch/batch-commands';
import { productOf, randomCounty, registrationPayload, TIERS, type Tier } from './catalog';
import { Prng } from './prng';

/** A value produced by an earlier command: `field` of the result of `commandId`. */
export class Sym {
  constructor(
    readonly commandId: string,
    readonly field: string,
  ) {}
}

/** One command of the plan; its payload may hold Syms (resolved to literals or `$ref`s by the batcher). */
export interface Op {
  commandId: string;
  type: BatchCommandType;
  payload: unknown;
  /** Events the command appends when it succeeds (for counting without asking the server). */
  events: number;
}

/** Events each command type appends (see the handlers): used to size the plan. */
export const EVENTS_PER_COMMAND: Record<BatchCommandType, number> = {
  applyForRegistration: 1,
  approveRegistration: 4, // RegistrationApproved, eid claim, AccountCreated, username claim
  rejectRegistration: 1,
  createLot: 2, // LotNumberAssigned, LotCreated
  ship: 2, // QuantityReserved (or ShippedOffLedger) + TransferInitiated (or recorded)
  confirmTransfer: 4, // TransferConfirmed, ReservationCommitted, LotNumberAssigned, child LotCreated
  rejectTransfer: 2,
  issueMarketEntry: 1,
};

export interface PlannedEntity {
  key: number;
  tier: Tier;
  regionCode: string;
  products: string[];
  baseIds: string[];
  entityId: Sym | string;
  eid: Sym | string;
}

export interface SizeSpec {
  /** Events the plan aims at (approximately; the last trees finish). */
  events: number;
  entities: number;
  /** Interleaved trees (how mixed a batch is). */
  activeTrees: number;
  /** One big recall tree (fan-out 3, depth 6 ≈ 1,093 lots) every this many events. */
  bigTreeEvery: number;
}

export const SIZES: Record<'XS' | 'S' | 'M' | 'L', SizeSpec> = {
  XS: { events: 12_000, entities: 60, activeTrees: 16, bigTreeEvery: 1_000_000 },
  S: { events: 100_000, entities: 400, activeTrees: 64, bigTreeEvery: 200_000 },
  M: { events: 1_000_000, entities: 3_000, activeTrees: 128, bigTreeEvery: 200_000 },
  L: { events: 10_000_000, entities: 20_000, activeTrees: 256, bigTreeEvery: 500_000 },
};

const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2025, 11, 1);
const DAYS = 355; // production dates 2025-12-01 … 2026-11-20

/**
 * The synthetic dataset as a lazy stream of commands (deterministic for a seed):
 *  1. registration: entities in four tiers (producer → collector → wholesaler → retailer) across all
 *     provinces, each applied for and approved;
 *  2. supply chains: origin lots at producers' bases, then hop after hop (depth 1–12, weighted towards
 *     short chains) shipments to the next tier, each confirmed by the receiver (3 % rejected), fan-out 1–3;
 *     at the leaves some market-entry certificates and off-ledger sales. The first tree, and one every
 *     `bigTreeEvery` events, is a recall-sized tree: fan-out 3, depth 6, about 1,093 lots.
 * Trees are interleaved so that one batch carries many chains, like a provincial platform's upload.
 */
export class DatasetPlan {
  readonly entities: PlannedEntity[] = [];
  /** commandIds of the createLot of every recall-sized tree (their trace codes are the roots to trace forward). */
  readonly bigTreeOrigins: string[] = [];
  private readonly byTier = new Map<Tier, PlannedEntity[]>();
  private plannedEvents = 0;
  private counter = 0;

  constructor(
    readonly spec: SizeSpec,
    readonly seed: number,
    /** Prefix of every commandId (a second plan on the same ledger needs another). */
    readonly prefix = `gen${seed}`,
  ) {}

  get events(): number {
    return this.plannedEvents;
  }

  /** The registration phase: apply + approve for every entity. */
  *registrations(): Generator<Op> {
    const rng = new Prng(this.seed).fork(1);
    for (let key = 0; key < this.spec.entities; key++) {
      const tier = TIERS[rng.weighted([55, 20, 15, 10])]!;
      const county = randomCounty(rng);
      const payload = registrationPayload(rng, key, tier, county);
      const apply = this.op('applyForRegistration', payload, `apply-${key}`);
      yield apply;
      const approve = this.op('approveRegistration', { entityId: new Sym(apply.commandId, 'entityId') }, `approve-${key}`);
      yield approve;
      this.adopt({
        key,
        tier,
        regionCode: county.code,
        products: payload.products,
        baseIds: payload.bases.map((b) => b.baseId),
        entityId: new Sym(apply.commandId, 'entityId'),
        eid: new Sym(approve.commandId, 'eid'),
      });
    }
  }

  /** Entities registered elsewhere (e.g. by an earlier plan) that this plan's chains may use. */
  adopt(entity: PlannedEntity): void {
    if (!this.entities.includes(entity)) this.entities.push(entity);
    const list = this.byTier.get(entity.tier) ?? [];
    list.push(entity);
    this.byTier.set(entity.tier, list);
  }

  /** The supply-chain phase, until the plan holds `targetEvents` more events. */
  *chains(targetEvents = this.spec.events - this.plannedEvents, salt = 2): Generator<Op> {
    const rng = new Prng(this.seed).fork(salt);
    const stop = this.plannedEvents + targetEvents;
    const active: Generator<Op>[] = [];
    let trees = 0;
    let nextBig = this.plannedEvents;
    const startTree = () => {
      const big = this.plannedEvents >= nextBig;
      if (big) nextBig += this.spec.bigTreeEvery;
      active.push(this.tree(rng.fork(trees++), big));
    };
    while (active.length < this.spec.activeTrees && this.plannedEvents < stop) startTree();
    // Round robin over the active trees; a finished tree is replaced while the plan needs events.
    for (let i = 0; active.length > 0; i = (i + 1) % Math.max(active.length, 1)) {
      if (i >= active.length) i = 0;
      const step = active[i]!.next();
      if (step.done) {
        active.splice(i, 1);
        if (this.plannedEvents < stop) startTree();
        i--;
        continue;
      }
      yield step.value;
    }
  }

  private *tree(rng: Prng, big: boolean): Generator<Op> {
    const origin = rng.pick(this.tier('producer'));
    const product = productOf(rng.pick(origin.products));
    const productionDate = new Date(FIRST_DAY + rng.int(DAYS) * DAY).toISOString().slice(0, 10);
    const depth = big ? 6 : [1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12][rng.weighted([12, 10, 8, 10, 8, 7, 8, 6, 7, 5, 4, 3, 3, 2, 2, 2, 3])]!;
    const amount = big ? 10_000_000 : rng.between(1_000, 20_000);
    const created = this.op('createLot', {
      entityId: origin.entityId,
      baseId: rng.pick(origin.baseIds),
      product: product.name,
      quantity: { amount, unit: product.unit },
      productionDate,
    });
    if (big) this.bigTreeOrigins.push(created.commandId);
    yield created;
    let level = [{ traceCode: new Sym(created.commandId, 'traceCode'), holder: origin, available: amount }];
    for (let hop = 1; hop <= depth && level.length > 0; hop++) {
      const next: typeof level = [];
      for (const lot of level) {
        const fanout = big ? 3 : rng.weighted([70, 22, 8]) + 1;
        const share = Math.floor((lot.available * 0.8) / fanout);
        if (share < 1) continue;
        for (let k = 0; k < fanout; k++) {
          const receiver = this.receiver(rng, hop, lot.holder);
          const ship = this.op('ship', { fromTraceCode: lot.traceCode, quantity: { amount: share, unit: product.unit }, to: { kind: 'registered', eid: receiver.eid } });
          yield ship;
          lot.available -= share;
          if (!big && rng.chance(0.03)) {
            yield this.op('rejectTransfer', { transferId: new Sym(ship.commandId, 'transferId'), reason: '到货验收不合格，拒收' });
            lot.available += share;
            continue;
          }
          const confirm = this.op('confirmTransfer', { transferId: new Sym(ship.commandId, 'transferId') });
          yield confirm;
          next.push({ traceCode: new Sym(confirm.commandId, 'childTraceCode'), holder: receiver, available: share });
        }
      }
      level = next;
    }
    for (const leaf of level) {
      if (rng.chance(0.1) && leaf.available >= 2) {
        yield this.op('issueMarketEntry', {
          traceCode: leaf.traceCode,
          market: { name: `${leaf.holder.regionCode}农产品批发市场`, kind: rng.pick(['wholesale', 'retail', 'processor'] as const), regionCode: leaf.holder.regionCode },
          quantity: { amount: Math.max(1, Math.floor(leaf.available / 2)), unit: product.unit },
        });
      } else if (rng.chance(0.05) && leaf.available >= 2) {
        yield this.op('ship', {
          fromTraceCode: leaf.traceCode,
          quantity: { amount: Math.floor(leaf.available / 2), unit: product.unit },
          to: { kind: 'unregistered', name: `个体摊贩${rng.between(1, 999)}`, phone: `139${String(rng.int(1e8)).padStart(8, '0')}` },
        });
      }
    }
  }

  /** Hop h goes to tier h (capped at retailers), sometimes to a peer of the same tier; never back to the sender. */
  private receiver(rng: Prng, hop: number, from: PlannedEntity): PlannedEntity {
    const tierIndex = Math.min(hop, TIERS.length - 1) - (rng.chance(0.2) ? 1 : 0);
    const candidates = this.tier(TIERS[Math.max(1, tierIndex)]!);
    for (;;) {
      const r = rng.pick(candidates);
      if (r !== from || candidates.length === 1) return r;
    }
  }

  private tier(tier: Tier): PlannedEntity[] {
    const list = this.byTier.get(tier);
    if (!list || list.length === 0) throw new Error(`the plan has no ${tier} entities (too few entities for the size)`);
    return list;
  }

  private op(type: BatchCommandType, payload: unknown, name?: string): Op {
    this.plannedEvents += EVENTS_PER_COMMAND[type];
    return { commandId: `${this.prefix}-${name ?? `${type}-${this.counter++}`}`, type, payload, events: EVENTS_PER_COMMAND[type] };
  }
}
