import type { RecordedEvent } from '../../../../../application/ports/event-store';
import type { ReadModels } from '../../../../../application/ports/read-models';
import type { ReadDoc } from '../../../../../application/ports/read-store';
import { entitiesProjection } from '../../../../../projections/entities/entities.projection';
import { lotsProjection } from '../../../../../projections/lots/lots.projection';
import type { DocInput, Projection, ProjectionContext } from '../../../../../projections/runner/projection';
import { traceGraphProjection } from '../../../../../projections/trace-graph/trace-graph.projection';

/**
 * A generated recall tree: one origin lot per tree, fanned out over hand-overs to holders in many provinces,
 * with off-ledger sales and market entries at the leaves. The events go through the real lots, trace-graph
 * and entities projections, so the read models have exactly the shape production gives them. Used by the
 * synthesis and report specs, and by bench/reports.ts on a larger scale.
 */

/** County codes in distinct provinces (GB/T 2260): Hainan first, as in issue 12. */
export const COUNTIES = ['469027', '460105', '440111', '110101', '310104', '320102', '330106', '420106', '430102', '510104', '500103', '610113', '370102', '350203'];

export interface TreeSpec {
  /** Lots in the tree (origin included). */
  lots: number;
  /** Children per lot (the last level may be partial). */
  fanOut: number;
  seed?: number;
  /** Trace-code prefix, so several trees can share one store. */
  prefix?: string;
}

export interface GeneratedTree {
  events: RecordedEvent[];
  origin: string;
  traceCodes: string[];
  leaves: string[];
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const T0 = Date.parse('2026-10-01T00:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export function generateTree(spec: TreeSpec): GeneratedTree {
  const random = rng(spec.seed ?? 7);
  const prefix = spec.prefix ?? 'R';
  const events: RecordedEvent[] = [];
  let position = 0;
  const push = (streamId: string, type: string, data: Record<string, unknown>, at: string) =>
    events.push({ eventId: `ev-${position}`, type, schemaVersion: 1, streamId, revision: 0, position: ++position, occurredAt: at, recordedAt: at, actor: { userId: 'gen', orgId: 'gen', role: 'producer' }, commandId: `c-${position}`, correlationId: 'gen', causationId: null, data, prevHash: null, hash: 'x' } as unknown as RecordedEvent);

  interface Holder { entityId: string; eid: string; name: string; county: string }
  const holders: Holder[] = [];
  const holderFor = (i: number): Holder => {
    const county = COUNTIES[i % COUNTIES.length]!;
    const entityId = `${prefix}-E${i}`;
    const eid = `${county}${String(i).padStart(5, '0').slice(-5)}`;
    if (!holders[i]) {
      holders[i] = { entityId, eid, name: `${prefix}主体${i}`, county };
      const at = iso(-1000 + i);
      push(`entity-${entityId}`, 'RegistrationApplied', {
        entityId, name: `${prefix}主体${i}`, entityType: i === 0 ? 'cooperative' : 'enterprise', regionCode: county, address: `${county} 路 ${i} 号`,
        legalRepresentative: `联系人${i}`, contactPhone: `1380000${String(i).padStart(4, '0').slice(-4)}`, bases: [], products: ['芒果'], appliedAt: at,
      }, at);
      push(`entity-${entityId}`, 'RegistrationApproved', { entityId, eid, approvedAt: at, reviewerId: 'r' }, at);
    }
    return holders[i]!;
  };

  const base = { baseId: `${prefix}-B0`, name: '乐东芒果基地', regionCode: '469027', lat: 18.750123, lon: 109.170456 };
  const origin = `${prefix}0000`;
  const o = holderFor(0);
  const quantities = new Map<string, number>();
  const createLot = (code: string, h: Holder, amount: number, at: string, parent: { code: string; transferId: string } | null) => {
    quantities.set(code, amount);
    push(`lot-${code}`, 'LotCreated', {
      traceCode: code, entityId: h.entityId, eid: h.eid, entityName: h.name, product: '芒果', quantity: { amount, unit: 'kg' }, productionDate: '2026-09-30', base,
      origin: parent ? { kind: 'transfer', parentTraceCode: parent.code, transferId: parent.transferId } : { kind: 'produced' }, createdAt: at,
    }, at);
  };
  createLot(origin, o, spec.lots * 100, iso(0), null);

  const codes = [origin];
  const balance = new Map<string, { available: number; reserved: number; shipped: number }>([[origin, { available: spec.lots * 100, reserved: 0, shipped: 0 }]]);
  const q = (amount: number) => ({ amount, unit: 'kg' as const });
  const bal = (code: string) => {
    const b = balance.get(code)!;
    return { available: q(b.available), reserved: q(b.reserved), shipped: q(b.shipped) };
  };
  let minute = 10;
  for (let parentIndex = 0; codes.length < spec.lots; parentIndex++) {
    const parent = codes[parentIndex]!;
    const parentHolderIndex = parentIndex === 0 ? 0 : Number(parent.slice(prefix.length));
    const parentHolder = holders[parentHolderIndex] ?? o;
    for (let k = 0; k < spec.fanOut && codes.length < spec.lots; k++) {
      const index = codes.length;
      const child = `${prefix}${String(index).padStart(4, '0')}`;
      const h = holderFor(index);
      const pb = balance.get(parent)!;
      const amount = Math.max(1, Math.floor(pb.available / (spec.fanOut + 1)));
      const transferId = `${prefix}-T${index}`;
      const at = iso(minute++);
      pb.available -= amount;
      pb.reserved += amount;
      push(`lot-${parent}`, 'QuantityReserved', { traceCode: parent, transferId, quantity: q(amount), requested: q(amount), reservedAt: at, balance: bal(parent) }, at);
      const confirmedAt = iso(minute++);
      pb.reserved -= amount;
      pb.shipped += amount;
      push(`lot-${parent}`, 'ReservationCommitted', { traceCode: parent, transferId, quantity: q(amount), committedAt: confirmedAt, balance: bal(parent) }, confirmedAt);
      push(`transfer-${transferId}`, 'TransferConfirmed', {
        transferId, fromTraceCode: parent, childTraceCode: child, product: '芒果', quantity: q(amount), fromEntityId: parentHolder.entityId,
        to: { kind: 'registered', entityId: h.entityId, eid: h.eid, name: h.name }, confirmedAt, confirmedBy: 'u',
      }, confirmedAt);
      createLot(child, h, amount, confirmedAt, { code: parent, transferId });
      balance.set(child, { available: amount, reserved: 0, shipped: 0 });
      codes.push(child);
    }
  }

  // Leaves sell part of their stock: off the ledger, or into a market (入市).
  const hasChildren = new Set(events.filter((e) => e.type === 'TransferConfirmed').map((e) => (e.data as { fromTraceCode: string }).fromTraceCode));
  const leaves = codes.filter((c) => !hasChildren.has(c));
  leaves.forEach((leaf, i) => {
    const b = balance.get(leaf)!;
    const amount = Math.max(1, Math.floor(b.available * (0.2 + random() * 0.3)));
    if (amount >= b.available) return;
    b.available -= amount;
    b.shipped += amount;
    const at = iso(minute++);
    if (i % 2 === 0) {
      push(`lot-${leaf}`, 'ShippedOffLedger', { traceCode: leaf, shipmentId: `${prefix}-S${i}`, quantity: q(amount), requested: q(amount), receiver: { name: `散户${i}`, phone: '13900000000' }, shippedAt: at, balance: bal(leaf) }, at);
    } else {
      const county = COUNTIES[(i + 3) % COUNTIES.length]!;
      push(`lot-${leaf}`, 'MarketEntryCertified', { traceCode: leaf, certificateNo: `${prefix}-M${i}`, market: { name: `${county}农产品批发市场`, kind: 'wholesale', regionCode: county }, quantity: q(amount), requested: q(amount), qrPayload: `m-${i}`, certifiedAt: at, balance: bal(leaf) }, at);
    }
  });
  // ShippedOffLedger feeds both the lots and the trace-graph projections.
  return { events, origin, traceCodes: codes, leaves };
}

/** Read models in memory, filled by folding the events through the real projections. */
export async function foldIntoMemory(events: RecordedEvent[], collections: Map<string, Map<string, ReadDoc>> = new Map()): Promise<ReadModels> {
  const col = (c: string) => {
    let m = collections.get(c);
    if (!m) collections.set(c, (m = new Map()));
    return m;
  };
  const projections: Projection[] = [entitiesProjection, lotsProjection, traceGraphProjection];
  for (const event of events) {
    const ctx: ProjectionContext = {
      get: async (c, id) => col(c).get(id) ?? null,
      put: (c, doc: DocInput) => void col(c).set(doc._id, { ...doc, _v: event.position } as ReadDoc),
      delete: (c, id) => void col(c).delete(id),
      index: () => undefined,
      unindex: () => undefined,
    };
    for (const p of projections) if (p.handles.includes(event.type)) await p.apply(event, ctx);
  }
  return memoryModels(collections);
}

export function memoryModels(collections: Map<string, Map<string, ReadDoc>>): ReadModels {
  const docs = (c: string) => collections.get(c) ?? new Map<string, ReadDoc>();
  return {
    get: async (c, id) => docs(c).get(id) ?? null,
    getMany: async (c, ids) => ids.flatMap((id) => (docs(c).has(id) ? [docs(c).get(id)!] : [])),
    find: async (c, filter) => {
      const [[field, cond]] = Object.entries(filter) as [string, { $in: string[] }][];
      const wanted = new Set(cond!.$in);
      return [...docs(c).values()].filter((d) => wanted.has(d[field!] as string));
    },
    count: async () => 0,
    search: async () => {
      throw new Error('search is not used by the synthesis');
    },
  };
}
