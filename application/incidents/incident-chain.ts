import type { IncidentChainScope } from '../../domain/incidents';
import type { RecallHolder, RecallLot } from '../../domain/recall';
import { NotFoundError } from '../../domain/shared/errors';
import type { EventStore } from '../ports/event-store';
import type { ProjectionProgress, ReadModels } from '../ports/read-models';
import { checkTraceCode } from '../lots/load-lot';
import { synthesiseChain, type ChainSynthesis } from '../reports/chain-synthesis';

export interface ChainDeps {
  models: ReadModels;
  progress: ProjectionProgress;
  store: EventStore;
  traceCodeSecret: string;
}

/** The lots of one holder in the chain, as its recall notice lists them. */
export interface HolderRecall {
  holder: RecallHolder;
  lots: RecallLot[];
}

export interface IncidentChain {
  synthesis: ChainSynthesis;
  scope: IncidentChainScope;
  holders: HolderRecall[];
}

/**
 * An incident's chain (追溯链条合成) from its trace codes: backward to every origin and forward from those
 * origins to every holder (the contamination may sit upstream of the sampled lot, so its siblings count).
 * Waits until the read models include the log head, so a lot confirmed a moment ago is in it.
 * A malformed code is a 400 naming `field[i]`, a well-formed code no lot carries a 404.
 */
export async function incidentChain(deps: ChainDeps, traceCodes: string[], field = 'traceCodes'): Promise<IncidentChain> {
  const codes = traceCodes.map((c, i) => checkTraceCode(c, deps.traceCodeSecret, `${field}[${i}]`));
  await deps.progress.waitFor(await deps.store.headPosition(), 10_000);
  const synthesis = await synthesiseChain(deps.models, codes, { forwardFromOrigins: true });
  const unknown = synthesis.unknownTraceCodes[0];
  if (unknown !== undefined) throw new NotFoundError('lot', unknown);
  return { synthesis, scope: scopeOf(synthesis), holders: holdersOf(synthesis) };
}

export function scopeOf(s: ChainSynthesis): IncidentChainScope {
  return {
    regionsTouched: [...s.regionsTouched],
    traceCodes: s.nodes.map((n) => n.traceCode),
    holderEntityIds: [...new Set(s.nodes.map((n) => n.holder.entityId))],
  };
}

/**
 * Each registered holder with its lots: received, and passed on to another registered holder of the chain
 * (a confirmed hand-over, whose receiver answers for it). Off-ledger sales and market entries stay with the
 * sender to account for — it knows where they went.
 */
export function holdersOf(s: ChainSynthesis): HolderRecall[] {
  const passedOn = new Map<string, number>();
  for (const e of s.edges) if (e.kind === 'transfer' && e.to) passedOn.set(e.from, (passedOn.get(e.from) ?? 0) + e.quantity);
  const byHolder = new Map<string, HolderRecall>();
  for (const n of s.nodes) {
    const h = n.holder;
    const entry = byHolder.get(h.entityId) ?? {
      holder: { entityId: h.entityId, name: h.name, eid: h.eid, regionCode: h.regionCode, contact: { person: h.contact.person, phone: h.contact.phone } },
      lots: [],
    };
    entry.lots.push({
      traceCode: n.traceCode,
      product: n.product,
      unit: n.quantities.unit,
      received: n.quantities.received,
      passedOn: Math.round((passedOn.get(n.traceCode) ?? 0) * 1000) / 1000,
    });
    byHolder.set(h.entityId, entry);
  }
  return [...byHolder.values()];
}
