import type { ReadDoc } from '../ports/read-store';
import type { ReadModels } from '../ports/read-models';
import { walkGraph } from './graph-walk';

export type ChainDirection = 'backward' | 'forward' | 'both';

export interface ChainEdge {
  from: string;
  /** null when the goods left the ledger (shipped to an unregistered party): the chain ends there. */
  to: string | null;
  kind: 'transfer' | 'off-ledger';
  transferId: string;
  quantity: number;
  unit: string;
  at: string;
  receiver: Record<string, unknown>;
}

export interface TraceChain {
  traceCode: string;
  direction: ChainDirection;
  /** Lots in the chain, keyed by trace code (the starting lot included). */
  lots: ReadDoc[];
  edges: ChainEdge[];
  /** Backward: the origin lot (produced, not received). */
  origin: string | null;
  /** Forward (recall): every lot downstream and everyone holding one. */
  holders: { entityId: string; name: string; eid: string | null; traceCodes: string[] }[];
  truncated: boolean;
  depthReached: number;
}

const MAX_NODES = 100_000;

/**
 * Trace-chain reconstruction over the `lots` and `lot_edges` read models.
 * Backward walks parent links (a received lot has exactly one source) to the origin; forward walks the
 * edges downstream in ONE read-store query where the store can (SQLite: a recursive CTE over the
 * indexed `from`/`to` columns), else level by level with one `$in` per level (graph-walk.ts), then reads
 * every lot reached in one `getMany`.
 */
export async function traceChain(
  models: ReadModels,
  traceCode: string,
  direction: ChainDirection,
  maxDepth: number,
): Promise<TraceChain | null> {
  const start = await models.get('lots', traceCode);
  if (!start) return null;
  const lots = new Map<string, ReadDoc>([[traceCode, start]]);
  const edges: ChainEdge[] = [];
  let origin: string | null = null;
  let depthReached = 0;
  let truncated = false;

  if (direction !== 'forward') {
    let current = start;
    let depth = 0;
    while (current.parentTraceCode && depth < maxDepth) {
      const parentCode = current.parentTraceCode as string;
      const edge = await models.get('lot_edges', current.sourceTransferId as string);
      if (edge) edges.push(toEdge(edge));
      const parent = await models.get('lots', parentCode);
      if (!parent) break;
      lots.set(parentCode, parent);
      current = parent;
      depth++;
    }
    origin = current.parentTraceCode ? null : (current._id as string);
    if (current.parentTraceCode) truncated = true;
    depthReached = Math.max(depthReached, depth);
  }

  if (direction !== 'backward') {
    // One edge more than the node bound: reaching it means the chain was cut.
    const walked = await walkGraph(models, 'lot_edges', { start: [traceCode], fromPath: 'from', toPath: 'to', maxDepth, sortPath: 'at', maxEdges: MAX_NODES + 1 });
    let depth = 0;
    const downstream: string[] = [];
    for (const { doc, depth: d } of walked.slice(0, MAX_NODES)) {
      const edge = toEdge(doc);
      edges.push(edge);
      depth = Math.max(depth, d);
      if (edge.to && !lots.has(edge.to)) {
        lots.set(edge.to, start); // placeholder keeps the walk's order; replaced below
        downstream.push(edge.to);
      }
    }
    const found = new Map((await models.getMany('lots', downstream)).map((doc) => [doc._id, doc]));
    for (const code of downstream) {
      const doc = found.get(code);
      if (doc) lots.set(code, doc);
      else lots.delete(code);
    }
    // As the level walk had it: cut when lots at the last depth may go on, or when the node bound was hit.
    if (walked.length > MAX_NODES) truncated = true;
    if (depth >= maxDepth && walked.some((w) => w.depth === depth && w.doc.to)) truncated = true;
    depthReached = Math.max(depthReached, depth);
  }

  return {
    traceCode,
    direction,
    lots: [...lots.values()],
    edges,
    origin,
    holders: direction === 'backward' ? [] : holdersOf([...lots.values()].filter((l) => l._id !== traceCode || direction === 'forward'), edges),
    truncated,
    depthReached,
  };
}

function toEdge(e: ReadDoc): ChainEdge {
  return {
    from: e.from as string,
    to: (e.to as string | null) ?? null,
    kind: e.kind as ChainEdge['kind'],
    transferId: e.transferId as string,
    quantity: e.quantity as number,
    unit: e.unit as string,
    at: e.at as string,
    receiver: (e.receiver as Record<string, unknown>) ?? {},
  };
}

/** Who holds what: for a recall, every registered holder of a downstream lot, plus off-ledger receivers. */
function holdersOf(lots: ReadDoc[], edges: ChainEdge[]): TraceChain['holders'] {
  const byEntity = new Map<string, TraceChain['holders'][number]>();
  for (const lot of lots) {
    const h = lot.holder as { entityId: string; name: string; eid?: string };
    const entry = byEntity.get(h.entityId) ?? { entityId: h.entityId, name: h.name, eid: h.eid ?? null, traceCodes: [] };
    entry.traceCodes.push(lot._id);
    byEntity.set(h.entityId, entry);
  }
  for (const e of edges.filter((x) => x.kind === 'off-ledger')) {
    const key = `off-ledger:${e.transferId}`;
    byEntity.set(key, { entityId: key, name: String(e.receiver.name ?? ''), eid: null, traceCodes: [e.from] });
  }
  return [...byEntity.values()];
}
