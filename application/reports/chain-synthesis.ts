import type { ReadDoc } from '../ports/read-store';
import type { ReadModels } from '../ports/read-models';

/**
 * 追溯链条合成 (chain synthesis, seed 004 §六(四)): from an incident's lots, backward to every origin and
 * forward to every holder, through every hand-over, off-ledger sale and market entry — every node with its
 * holder, region, contact, quantities, times and test results. The three reports (PDF, XLSX, EPCIS) and the
 * incident's map and table are pure functions of this one shape.
 *
 * No access decision is taken here: the synthesis is whole, with contacts. The caller asks the access
 * policy and redacts before anything leaves the server.
 */
export interface ChainSynthesis {
  /** The lots the synthesis started from (an incident's trace codes), in the order given, unknown codes dropped. */
  rootTraceCodes: string[];
  /** Codes asked for that no lot carries (so a caller can name the field in a 4xx). */
  unknownTraceCodes: string[];
  /** Every lot of the chain, origins first, then by depth and time. */
  nodes: ChainNode[];
  /** Every hand-over, off-ledger sale and market entry between (or out of) those lots, by time. */
  edges: ChainFlow[];
  /** 6-digit county codes (GB/T 2260) of every holder, base and market the chain touches, sorted. */
  regionsTouched: string[];
  /** Ledger position the read models had reached when the caller synthesised (-1 when not stated). */
  asOfPosition: number;
  /** True when a walk stopped at `maxDepth` or `maxNodes` before the chain ended. */
  truncated: boolean;
}

export interface ChainContact {
  /** 法定代表人 / 联系人 as registered. */
  person: string | null;
  phone: string | null;
}

export interface ChainHolder {
  entityId: string;
  name: string;
  eid: string | null;
  /** enterprise, cooperative, familyFarm, slaughterhouse, household (null when the entity is not in the read model). */
  entityType: string | null;
  /** 6-digit county code of the holder (from the registration, else the e-ID). */
  regionCode: string;
  address: string | null;
  contact: ChainContact;
}

export interface ChainTestResult {
  sampleId: string | null;
  round: string;
  verdict: string;
  /** Analytes that failed (name, measured value, unit, limit); empty on a pass. */
  analytes: { name: string; value: number | null; unit: string | null; limit: string }[];
  /** Tested at (ISO); null when the lab gave no time. */
  at: string | null;
  /** True when the verdict is inherited from an upstream lot's failed sample (propagated hold). */
  inherited: boolean;
  sampledTraceCode: string | null;
}

export interface ChainHold {
  warningId: string;
  level: string | null;
  reason: string | null;
  since: string | null;
  sourceTraceCode: string | null;
}

export interface ChainNode {
  traceCode: string;
  product: string;
  holder: ChainHolder;
  /** Where the lot (or its origin) was produced. */
  base: { baseId: string; name: string; regionCode: string; lat: number; lon: number } | null;
  quantities: {
    /** Produced (origin lot) or received in the hand-over that created it, in the lot's unit. */
    received: number;
    /** Left the lot: confirmed hand-overs, off-ledger sales and market entries. */
    shippedOn: number;
    /** Still with the holder: available plus reserved for a hand-over not yet confirmed. */
    remaining: number;
    /** The reserved part of `remaining`. */
    reserved: number;
    unit: string;
  };
  /** 生产日期 YYYY-MM-DD of the lot (a received lot keeps the day its record was created). */
  producedAt: string | null;
  /** ISO time the lot record was created (production recorded, or the hand-over confirmed). */
  createdAt: string | null;
  /** ISO time the holder confirmed receipt; null for an origin lot. */
  receivedAt: string | null;
  parentTraceCode: string | null;
  sourceTransferId: string | null;
  /** The origin lot of this lot's tree. */
  rootTraceCode: string;
  /** Hand-overs from the origin (0 = origin). */
  depth: number;
  isOrigin: boolean;
  testResults: ChainTestResult[];
  holds: ChainHold[];
}

export type ChainFlowKind = 'transfer' | 'off-ledger' | 'market-entry';

export interface ChainFlow {
  kind: ChainFlowKind;
  from: string;
  /** The child lot of a confirmed hand-over; null when the goods left the ledger (off-ledger sale, market entry). */
  to: string | null;
  /** Transfer id, off-ledger shipment id, or market-entry certificate number. */
  transferId: string;
  quantity: number;
  unit: string;
  at: string;
  receiver: {
    entityId: string | null;
    eid: string | null;
    name: string;
    phone: string | null;
    address: string | null;
    /** For a market entry: wholesale, retail or processor. */
    marketKind: string | null;
  };
  /** 6-digit county code of the sender. */
  fromRegion: string;
  /** 6-digit county code of the receiver; null when unknown (an off-ledger buyer). */
  toRegion: string | null;
}

export interface SynthesisOptions {
  /** Ledger position the caller read at (the log head, or the projection checkpoint); recorded as-is. */
  asOfPosition?: number;
  /** Hand-overs followed in each direction (default 64). */
  maxDepth?: number;
  /** Stop growing past this many lots (default 100,000). */
  maxNodes?: number;
  /**
   * Also walk forward from every origin reached (siblings of the given lots: the contamination may sit
   * upstream). Default false: forward from the given lots only.
   */
  forwardFromOrigins?: boolean;
}

const IN_CHUNK = 500;

/** The county (6 digits) of a region code of any level at or below it; shorter codes are kept as they are. */
export function countyOf(regionCode: string | null | undefined): string | null {
  if (!regionCode) return null;
  return regionCode.length >= 6 ? regionCode.slice(0, 6) : regionCode;
}

export async function synthesiseChain(models: ReadModels, traceCodes: string[], opts: SynthesisOptions = {}): Promise<ChainSynthesis> {
  const maxDepth = opts.maxDepth ?? 64;
  const maxNodes = opts.maxNodes ?? 100_000;
  const wanted = [...new Set(traceCodes)];
  const lots = new Map<string, ReadDoc>();
  for (const doc of await getManyChunked(models, 'lots', wanted)) lots.set(doc._id, doc);
  const rootTraceCodes = wanted.filter((c) => lots.has(c));
  const unknownTraceCodes = wanted.filter((c) => !lots.has(c));
  const transferEdges = new Map<string, ReadDoc>();
  let truncated = false;

  // Backward: a received lot has exactly one parent, so each root has one path to its origin.
  let frontier = rootTraceCodes.filter((c) => lots.get(c)!.parentTraceCode);
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth >= maxDepth) {
      truncated = true;
      break;
    }
    const sourceIds = frontier.map((c) => lots.get(c)!.sourceTransferId as string).filter(Boolean);
    for (const e of await getManyChunked(models, 'lot_edges', sourceIds)) transferEdges.set(e._id, e);
    const parents = [...new Set(frontier.map((c) => lots.get(c)!.parentTraceCode as string))].filter((p) => !lots.has(p));
    for (const doc of await getManyChunked(models, 'lots', parents)) lots.set(doc._id, doc);
    frontier = parents.filter((p) => lots.get(p)?.parentTraceCode);
  }

  // Forward: level by level, one query per level (and chunk), whatever the fan-out.
  const origins = [...lots.values()].filter((l) => !l.parentTraceCode).map((l) => l._id);
  const forwardStart = opts.forwardFromOrigins ? [...new Set([...rootTraceCodes, ...origins])] : rootTraceCodes;
  const expanded = new Set<string>();
  frontier = forwardStart;
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth >= maxDepth || lots.size > maxNodes) {
      truncated = true;
      break;
    }
    for (const c of frontier) expanded.add(c);
    const out = await findInChunked(models, 'lot_edges', 'from', frontier);
    const reached = new Set<string>();
    for (const e of out) {
      transferEdges.set(e._id, e);
      const to = e.to as string | null;
      if (to && !expanded.has(to)) reached.add(to);
    }
    const next = [...reached];
    const missing = next.filter((c) => !lots.has(c));
    for (const doc of await getManyChunked(models, 'lots', missing)) lots.set(doc._id, doc);
    frontier = next.filter((c) => lots.has(c));
  }

  const holderIds = [...new Set([...lots.values()].map((l) => (l.holder as { entityId: string }).entityId))];
  const entities = new Map<string, ReadDoc>();
  for (const doc of await getManyChunked(models, 'entities', holderIds)) entities.set(doc._id, doc);

  const nodes = [...lots.values()].map((l) => toNode(l, entities, transferEdges));
  nodes.sort((a, b) => a.depth - b.depth || cmp(a.createdAt, b.createdAt) || cmp(a.traceCode, b.traceCode));
  const regionOfLot = new Map(nodes.map((n) => [n.traceCode, n.holder.regionCode]));

  const edges: ChainFlow[] = [];
  for (const e of transferEdges.values()) {
    // Only hand-overs whose sender is in the chain (a backward edge's parent always is).
    if (!lots.has(e.from as string)) continue;
    edges.push(toFlow(e, regionOfLot, entities));
  }
  for (const l of lots.values()) {
    for (const cert of (l.certificates as MarketEntryDoc[] | undefined) ?? []) {
      edges.push({
        kind: 'market-entry',
        from: l._id,
        to: null,
        transferId: cert.certificateNo,
        quantity: cert.quantity.amount,
        unit: cert.quantity.unit,
        at: cert.issuedAt,
        receiver: { entityId: null, eid: null, name: cert.market.name, phone: null, address: null, marketKind: cert.market.kind },
        fromRegion: regionOfLot.get(l._id)!,
        toRegion: countyOf(cert.market.regionCode),
      });
    }
  }
  edges.sort((a, b) => cmp(a.at, b.at) || cmp(a.transferId, b.transferId));

  const regions = new Set<string>();
  for (const n of nodes) {
    regions.add(n.holder.regionCode);
    const baseCounty = countyOf(n.base?.regionCode);
    if (baseCounty) regions.add(baseCounty);
  }
  for (const e of edges) if (e.toRegion) regions.add(e.toRegion);

  return {
    rootTraceCodes,
    unknownTraceCodes,
    nodes,
    edges,
    regionsTouched: [...regions].filter((r) => /^\d{6}$/.test(r)).sort(),
    asOfPosition: opts.asOfPosition ?? -1,
    truncated,
  };
}

interface MarketEntryDoc {
  certificateNo: string;
  market: { name: string; kind: string; regionCode: string };
  quantity: { amount: number; unit: string };
  issuedAt: string;
}

interface LotHolderDoc {
  entityId: string;
  eid?: string | null;
  name: string;
  regionCode?: string;
}

function toNode(l: ReadDoc, entities: Map<string, ReadDoc>, edges: Map<string, ReadDoc>): ChainNode {
  const h = l.holder as LotHolderDoc;
  const quantity = l.quantity as { amount: number; unit: string };
  const sourceTransferId = (l.sourceTransferId as string | null) ?? null;
  const sourceEdge = sourceTransferId ? edges.get(sourceTransferId) : undefined;
  const available = (l.available as number) ?? 0;
  const reserved = (l.reserved as number) ?? 0;
  const base = (l.base as ChainNode['base'] | undefined) ?? null;
  return {
    traceCode: l._id,
    product: l.product as string,
    holder: holderOf(h, entities.get(h.entityId)),
    base: base ? { baseId: base.baseId, name: base.name, regionCode: base.regionCode, lat: base.lat, lon: base.lon } : null,
    quantities: { received: quantity.amount, shippedOn: (l.shipped as number) ?? 0, remaining: available + reserved, reserved, unit: quantity.unit },
    producedAt: (l.productionDate as string | undefined) ?? null,
    createdAt: (l.createdAt as string | undefined) ?? null,
    receivedAt: sourceEdge ? (sourceEdge.at as string) : l.parentTraceCode ? ((l.createdAt as string | undefined) ?? null) : null,
    parentTraceCode: (l.parentTraceCode as string | null) ?? null,
    sourceTransferId,
    rootTraceCode: (l.rootTraceCode as string | undefined) ?? l._id,
    depth: (l.depth as number | undefined) ?? 0,
    isOrigin: !l.parentTraceCode,
    testResults: ((l.verdicts as VerdictDoc[] | undefined) ?? []).map(toTestResult),
    holds: ((l.holds as HoldDoc[] | undefined) ?? []).map((x) => ({
      warningId: x.warningId,
      level: x.level ?? null,
      reason: x.reason ?? null,
      since: x.since ?? null,
      sourceTraceCode: x.sourceTraceCode ?? null,
    })),
  };
}

function holderOf(h: LotHolderDoc, entity: ReadDoc | undefined): ChainHolder {
  const region = countyOf((entity?.regionCode as string | undefined) ?? h.regionCode ?? h.eid?.slice(0, 6)) ?? '';
  return {
    entityId: h.entityId,
    name: (entity?.name as string | undefined) ?? h.name,
    eid: (entity?.eid as string | null | undefined) ?? h.eid ?? null,
    entityType: (entity?.entityType as string | undefined) ?? null,
    regionCode: region,
    address: (entity?.address as string | undefined) ?? null,
    contact: {
      person: (entity?.legalRepresentative as string | undefined) ?? null,
      phone: (entity?.contactPhone as string | undefined) ?? null,
    },
  };
}

interface VerdictDoc {
  sampleId?: string | null;
  round?: string;
  verdict: string;
  testedAt?: string | null;
  failed?: { name: string; value: number | null; unit: string | null; limit: string }[];
  inherited?: boolean;
  sampledTraceCode?: string | null;
}

function toTestResult(v: VerdictDoc): ChainTestResult {
  return {
    sampleId: v.sampleId ?? null,
    round: v.round ?? 'initial',
    verdict: v.verdict,
    analytes: (v.failed ?? []).map((f) => ({ name: f.name, value: f.value ?? null, unit: f.unit ?? null, limit: f.limit })),
    at: v.testedAt ?? null,
    inherited: v.inherited ?? false,
    sampledTraceCode: v.sampledTraceCode ?? null,
  };
}

interface HoldDoc {
  warningId: string;
  level?: string;
  reason?: string;
  since?: string;
  sourceTraceCode?: string;
}

function toFlow(e: ReadDoc, regionOfLot: Map<string, string>, entities: Map<string, ReadDoc>): ChainFlow {
  const r = (e.receiver as Record<string, unknown> | undefined) ?? {};
  const to = (e.to as string | null) ?? null;
  const receiverEntity = typeof r.entityId === 'string' ? entities.get(r.entityId) : undefined;
  const eid = typeof r.eid === 'string' ? r.eid : null;
  return {
    kind: e.kind as 'transfer' | 'off-ledger',
    from: e.from as string,
    to,
    transferId: e.transferId as string,
    quantity: e.quantity as number,
    unit: e.unit as string,
    at: e.at as string,
    receiver: {
      entityId: typeof r.entityId === 'string' ? r.entityId : null,
      eid,
      name: String(r.name ?? ''),
      phone: typeof r.phone === 'string' ? r.phone : ((receiverEntity?.contactPhone as string | undefined) ?? null),
      address: typeof r.address === 'string' ? r.address : ((receiverEntity?.address as string | undefined) ?? null),
      marketKind: null,
    },
    fromRegion: regionOfLot.get(e.from as string) ?? '',
    toRegion: to ? (regionOfLot.get(to) ?? countyOf(eid?.slice(0, 6))) : countyOf(eid?.slice(0, 6)),
  };
}

function cmp(a: string | null, b: string | null): number {
  return (a ?? '').localeCompare(b ?? '');
}

async function getManyChunked(models: ReadModels, collection: string, ids: string[]): Promise<ReadDoc[]> {
  const out: ReadDoc[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await models.getMany(collection, ids.slice(i, i + IN_CHUNK))));
  return out;
}

async function findInChunked(models: ReadModels, collection: string, field: string, values: string[]): Promise<ReadDoc[]> {
  const out: ReadDoc[] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    out.push(...(await models.find(collection, { [field]: { $in: values.slice(i, i + IN_CHUNK) } })));
  }
  return out;
}
