import type { Actor } from '../../domain/shared/actor';
import { decide, lotResource, type AccessGrant } from '../access';
import type { ChainFlow, ChainNode, ChainSynthesis } from './chain-synthesis';

/**
 * A chain synthesis cut to what the actor may see, by asking the access policy about every lot (the same
 * rule as `GET /trace/{code}/chain`): lots outside the actor's reach leave the synthesis; a flow from a
 * visible lot into one of them keeps its quantity and time but its receiver becomes `redacted-N`; a flow
 * sent from a lot the actor may not see is left out. The grants that opened lots are returned for the access log.
 */
export function redactSynthesis(actor: Actor, s: ChainSynthesis, grants: readonly AccessGrant[]): { synthesis: ChainSynthesis; grantsUsed: { grantId: string; incidentId: string }[] } {
  const used = new Map<string, { grantId: string; incidentId: string }>();
  const visible = new Set<string>();
  for (const n of s.nodes) {
    const d = decide(actor, 'read', lotResource({ _id: n.traceCode, _v: 0, holder: { entityId: n.holder.entityId, regionCode: n.holder.regionCode } }), grants);
    if (!d.allowed) continue;
    visible.add(n.traceCode);
    if (d.grant) used.set(d.grant.grantId, d.grant);
  }
  const refs = new Map<string, string>();
  const refOf = (code: string) => {
    let ref = refs.get(code);
    if (!ref) refs.set(code, (ref = `redacted-${refs.size + 1}`));
    return ref;
  };
  const nodes: ChainNode[] = s.nodes.filter((n) => visible.has(n.traceCode)).map((n) => (n.parentTraceCode && !visible.has(n.parentTraceCode) ? { ...n, parentTraceCode: refOf(n.parentTraceCode) } : n));
  const edges: ChainFlow[] = s.edges
    .filter((e) => visible.has(e.from))
    .map((e) =>
      e.to === null || visible.has(e.to) ? e : { ...e, to: refOf(e.to), receiver: { entityId: null, eid: null, name: '辖区外主体', phone: null, address: null, marketKind: null } },
    );
  const regions = new Set<string>();
  for (const n of nodes) regions.add(n.holder.regionCode);
  for (const e of edges) if (e.toRegion) regions.add(e.toRegion);
  return {
    synthesis: { ...s, rootTraceCodes: s.rootTraceCodes.filter((c) => visible.has(c)), nodes, edges, regionsTouched: s.regionsTouched.filter((r) => regions.has(r)) },
    grantsUsed: [...used.values()],
  };
}
