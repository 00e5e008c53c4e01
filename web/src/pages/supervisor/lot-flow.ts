import { get } from '../../api/client';
import type { Entity, Lot, TraceChain } from '../../api/types';
import type { FlowEdge, FlowNode } from '../../map/flows';
import { quantity } from '../../ui/format';

export interface LotFlow {
  root: Lot;
  chain: TraceChain;
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Hand-overs in order, for the list beside the map. */
  steps: { from: string; fromHolder: string; to: string | null; toHolder: string; quantity: string; at: string; kind: string }[];
}

/**
 * Origin → downstream for the lot's whole tree: from the origin lot (its root) forward. The origin sits at its
 * base; each downstream lot at its holder's first registered base. Holders outside the caller's region come
 * back redacted and are left off the map, not guessed.
 */
export async function loadLotFlow(traceCode: string): Promise<LotFlow> {
  const lot = await get<Lot>(`/api/v1/lots/${encodeURIComponent(traceCode)}`);
  const rootCode = lot.rootTraceCode || lot.traceCode;
  const chain = await get<TraceChain>(`/api/v1/trace/${encodeURIComponent(rootCode)}/chain`, { direction: 'forward' });
  const lots = chain.lots.filter((l): l is Lot => !('redacted' in l));
  const root = lots.find((l) => l._id === rootCode) ?? lot;
  const holderIds = [...new Set(lots.map((l) => l.holder.entityId))];
  const entities = new Map<string, Entity>();
  await Promise.all(
    holderIds.map((id) =>
      get<Entity>(`/api/v1/entities/${encodeURIComponent(id)}`)
        .then((e) => entities.set(id, e))
        .catch(() => undefined),
    ),
  );
  const nodes: FlowNode[] = [];
  for (const l of lots) {
    const isRoot = l._id === root._id;
    const at = isRoot ? l.base : entities.get(l.holder.entityId)?.bases[0];
    if (at) nodes.push({ id: l._id, lat: at.lat, lon: at.lon, label: `${l.holder.name} · ${quantity(l.quantity)}`, origin: isRoot });
  }
  const byCode = new Map(lots.map((l) => [l._id, l]));
  const transfers = chain.edges.filter((e) => e.kind === 'transfer' && e.to);
  return {
    root,
    chain,
    nodes,
    edges: transfers.map((e) => ({ from: e.from, to: e.to!, label: quantity({ amount: e.quantity, unit: e.unit }) })),
    steps: chain.edges.map((e) => ({
      from: e.from,
      fromHolder: byCode.get(e.from)?.holder.name ?? '—',
      to: e.to,
      toHolder: e.to ? (byCode.get(e.to)?.holder.name ?? '—') : String(e.receiver.name ?? '—'),
      quantity: quantity({ amount: e.quantity, unit: e.unit }),
      at: e.at,
      kind: e.kind,
    })),
  };
}
