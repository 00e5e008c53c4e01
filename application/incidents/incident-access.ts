import { decide, entityResource, incidentResource, lotResource, type AccessGrant } from '../access';
import type { ChainNode, ChainSynthesis } from '../reports/chain-synthesis';
import type { ReadDoc } from '../ports/read-store';
import type { Actor } from '../../domain/shared/actor';

/**
 * The access policy applied to incident answers. An incident is located where it happened, where its
 * chain runs and at its lead agency (`incidentResource`): supervision of any of these regions, its
 * responsible person, and an agency a grant of its response names see the record. Its chain is shown node
 * by node as the policy allows — in region, or opened by the response's grant (lead agency and affected
 * regions, while it runs), else redacted to its region.
 */
export { incidentResource };

export function mayReadIncident(actor: Actor, doc: ReadDoc, grants: readonly AccessGrant[] = []): boolean {
  return decide(actor, 'read', incidentResource(doc as Parameters<typeof incidentResource>[0]), grants).allowed;
}

export interface RedactedNode {
  ref: string;
  regionCode: string;
  redacted: true;
}

export interface ChainView {
  nodes: (ChainNode | RedactedNode)[];
  edges: unknown[];
  regionsTouched: string[];
  truncated: boolean;
  /** The incident whose grant opened at least one node of this answer (null when the region alone did). */
  openedByGrantOf: string | null;
  redactedCount: number;
}

/** The synthesis as this caller may see it: nodes out of reach keep only their region, under a local ref. */
export function chainViewFor(actor: Actor, synthesis: ChainSynthesis, grants: readonly AccessGrant[]): ChainView {
  const refs = new Map<string, string>();
  let openedByGrantOf: string | null = null;
  const nodes = synthesis.nodes.map((n, i): ChainNode | RedactedNode => {
    const decision = decide(actor, 'read', lotResource({ _id: n.traceCode, _v: 0, holder: { entityId: n.holder.entityId, regionCode: n.holder.regionCode } }), grants);
    if (decision.allowed) {
      if (decision.via === 'grant' && decision.grant) openedByGrantOf = decision.grant.incidentId;
      return n;
    }
    const ref = `node-${i + 1}`;
    refs.set(n.traceCode, ref);
    return { ref, regionCode: n.holder.regionCode, redacted: true };
  });
  const edges = synthesis.edges.map((e) => {
    const from = refs.get(e.from);
    const to = e.to ? refs.get(e.to) : undefined;
    if (!from && !to) return e;
    return { kind: e.kind, from: from ?? e.from, to: e.to ? (to ?? e.to) : null, at: e.at, fromRegion: e.fromRegion, toRegion: e.toRegion, redacted: true };
  });
  return { nodes, edges, regionsTouched: synthesis.regionsTouched, truncated: synthesis.truncated, openedByGrantOf, redactedCount: refs.size };
}

/** A holder's contact in a recall answer, as the policy allows (the holder's own region, or the grant). */
export function mayReadHolder(actor: Actor, holder: { entityId: string; regionCode: string }, grants: readonly AccessGrant[]): boolean {
  return decide(actor, 'read', entityResource({ _id: holder.entityId, regionCode: holder.regionCode }), grants).allowed;
}
