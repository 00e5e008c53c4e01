import type { Actor } from '../../domain/shared/actor';
import { BusinessRuleError, NotFoundError } from '../../domain/shared/errors';
import type { AccessGrant } from './grants';
import { covers, OutOfScopeError, overlaps, prefixOf, scopeOf } from './region-scope';
import type { Resource } from './resources';

/**
 * The one access policy (DESIGN.md, Access): may this actor see (`read`) or change (`act` on) this record,
 * given the grants in force for it? A pure function: the caller brings the actor, the record (as a
 * Resource) and the grants; the answer says yes and on what footing, or no and why. Permissions (which
 * role may call which route) are the role tree's; this decides *which records*.
 *
 * The rules, in order:
 *  1. the platform itself may do anything;
 *  2. an organisation party to the record (its holder, a transfer's sides, a sample's lab, a task's labs and
 *     publisher) and a user assigned to it (an inspection's inspectors, an incident's responsible person) may
 *     see it, and act on it — except a lab, which acts only inside its region even on its own samples;
 *  3. a producer reaches nothing else (404 on a read, so it learns nothing of other holders; NOT_HOLDER on an act);
 *  4. a lab sees only its own samples and tasks (404 for others'), and lots in its region; which samples it
 *     may act on is the sampling decider's (its own), where it may act is rule 6;
 *  5. a record without a region (the export, account and access-log streams) is national only;
 *  6. supervision, labs, enforcement and auditors reach what lies in their region subtree — for an act, where
 *     the record says acting is decided (`actPlaces`: an incident is managed at its lead agency's region);
 *  7. a grant in force opens the lots and entities it names and its incident, for reading only (every such
 *     read is logged);
 *  8. nothing else.
 */
export type AccessAction = 'read' | 'act';

export type AccessDecision =
  | { allowed: true; via: 'system' | 'party' | 'region' | 'grant'; grant?: { grantId: string; incidentId: string } }
  | { allowed: false; reason: 'not-party' | 'national-only' | 'out-of-region'; resource: Resource; scope: string; action: AccessAction };

/** What a grant opens (AccessGrant: the lots of the chain, their holders, its incident), read through logged routes only. */
const GRANT_OPENS = new Set<Resource['kind']>(['lot', 'entity', 'incident']);

/** Labs see these only as a party to them: another lab's samples and tasks are unknown to it. */
const LAB_PARTY_ONLY = new Set<Resource['kind']>(['sample', 'task']);

export function decide(actor: Actor, action: AccessAction, resource: Resource, grants: readonly AccessGrant[]): AccessDecision {
  const scope = scopeOf(actor);
  const deny = (reason: Extract<AccessDecision, { allowed: false }>['reason']): AccessDecision => ({ allowed: false, reason, resource, scope, action });
  if (actor.role === 'system') return { allowed: true, via: 'system' };

  const party = resource.parties.includes(actor.orgId) || resource.assignees.includes(actor.userId);
  const actsOnlyInRegion = actor.role === 'lab' && action === 'act';
  if (party && !actsOnlyInRegion) return { allowed: true, via: 'party' };
  if (actor.role === 'producer') return deny('not-party');
  if (actor.role === 'lab' && action === 'read' && LAB_PARTY_ONLY.has(resource.kind) && !party) return deny('not-party');

  if (resource.nationalOnly) return scope === '' ? { allowed: true, via: 'region' } : deny('national-only');
  const places = action === 'act' && resource.actPlaces ? resource.actPlaces : resource.places;
  const inRegion = places.some((place) => (resource.overlap ? overlaps(scope, place) : covers(scope, place)));
  if (inRegion) return { allowed: true, via: 'region' };

  if (action === 'read' && GRANT_OPENS.has(resource.kind)) {
    const grant = grants.find((g) => grantOpens(g, resource));
    if (grant) return { allowed: true, via: 'grant', grant: { grantId: grant.grantId, incidentId: grant.reason.incidentId } };
  }
  return deny('out-of-region');
}

/**
 * A task's work stays inside the task's region (as the sampling place already must): a lab of the task may
 * not sample, under it, a lot or an entity located elsewhere. Refused as OUT_OF_SCOPE (403).
 */
export function assertWithinTaskRegion(taskRegionCode: string, resource: Resource): void {
  const taskRegion = prefixOf(taskRegionCode);
  if (resource.places.some((place) => covers(taskRegion, place))) return;
  throw new BusinessRuleError('OUT_OF_SCOPE', `the ${resource.kind} is outside the task’s region (${taskRegionCode})`, {
    regionCode: resource.places.find((p) => p !== null) ?? null,
    taskRegionCode,
  });
}

/** A grant opens a record it names by trace code or entity id, and the incident whose response it serves. */
export function grantOpens(grant: AccessGrant, resource: Resource): boolean {
  return (
    resource.traceCodes.some((c) => grant.traceCodes.includes(c)) ||
    resource.entityIds.some((e) => grant.entityIds.includes(e)) ||
    (resource.incidentIds ?? []).includes(grant.reason.incidentId)
  );
}

/** The refusal a denied decision answers with: 404 where existence itself is not the caller's to know. */
export function refusal(decision: Extract<AccessDecision, { allowed: false }>): Error {
  const { reason, resource, scope, action } = decision;
  if (reason === 'not-party') {
    if (action === 'read') return new NotFoundError(resource.kind, resource.id);
    return new BusinessRuleError('NOT_HOLDER', `only a party to this ${resource.kind} may act on it`, { [`${resource.kind}Id`]: resource.id });
  }
  const places = action === 'act' && resource.actPlaces ? resource.actPlaces : resource.places;
  return new OutOfScopeError(reason === 'national-only' ? '(national)' : (places.find((p) => p !== null) ?? null), scope);
}

/** The decision, or its refusal thrown: for callers that go on only when allowed. */
export function assertAllowed(actor: Actor, action: AccessAction, resource: Resource, grants: readonly AccessGrant[] = []): Extract<AccessDecision, { allowed: true }> {
  const decision = decide(actor, action, resource, grants);
  if (!decision.allowed) throw refusal(decision);
  return decision;
}
