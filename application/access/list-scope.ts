import type { Actor } from '../../domain/shared/actor';
import type { Filter } from '../ports/read-store';
import { narrowRegion, scopeOf } from './region-scope';

/**
 * The part of a list query that the policy owns: which documents of a read-model collection the caller may
 * see at all, as a filter the controller merges into its own (status, product, …). The same rules as
 * `decide` for one record, said as a query: parties see their own, everyone else their region subtree.
 * A requested `region` outside the caller's scope is refused (403), one that contains it is narrowed.
 */
export type ScopedList =
  | 'entities'
  | 'lots'
  | 'transfers'
  | 'samples'
  | 'monitoring_tasks'
  | 'inspections'
  | 'cases'
  | 'risk_warnings'
  | 'accounts'
  | 'complaints';

const prefix = (field: string, region: string | undefined): Filter => (region ? { [field]: { $prefix: region } } : {});

/**
 * The region filter of a list whose records the registry locates to townships too (entities, lots): a county
 * or wider region by the county code field, a township by the `townshipCodes` the read model keeps (the same
 * codes entityResource and lotResource read), so that the list agrees with the one-record decision.
 */
const located = (countyField: string, region: string | undefined): Filter =>
  region && region.length > 6 ? { townshipCodes: { $prefix: region } } : prefix(countyField, region);

export function listScope(actor: Actor, list: ScopedList, requestedRegion?: string): Filter {
  const scope = scopeOf(actor);
  const region = () => narrowRegion(scope, requestedRegion);
  const producer = actor.role === 'producer';
  switch (list) {
    case 'entities':
      return producer ? { _id: actor.orgId, ...located('regionCode', requestedRegion) } : located('regionCode', region());
    case 'lots':
      // A producer's own lots, in any region it asks for; supervision's by where the holder is.
      return producer ? { 'holder.entityId': actor.orgId, ...located('holder.regionCode', requestedRegion) } : located('holder.regionCode', region());
    case 'transfers':
      // Outgoing by default; the incoming list is the receiver's when it asks for it (see transfersListScope).
      return producer ? { fromEntityId: actor.orgId } : prefix('fromRegion', region());
    case 'samples':
      if (actor.role === 'lab') return { labOrgId: actor.orgId };
      return producer ? { 'subject.entityId': actor.orgId } : prefix('regionCode', region());
    case 'monitoring_tasks': {
      if (actor.role === 'lab') return { labOrgIds: actor.orgId };
      // Tasks are published for a province (or the country); a city or county takes part in its province's.
      const r = region();
      return prefix('regionCode', r?.slice(0, 2));
    }
    case 'inspections':
      // An inspector, and a township (inspection tasks are published for a county or wider), list the tasks naming them.
      if (actor.role === 'inspector' || scope.length > 6) return { inspectorIds: actor.userId };
      return prefix('regionCode', region());
    case 'cases':
    case 'complaints':
    case 'risk_warnings':
    case 'accounts':
      return prefix('regionCode', region());
  }
}

/**
 * The audit log's scope: regional auditors see what was done by actors of their region (the actor's region code
 * starts with theirs); national ones everything. Not a document filter: the embedded stack answers the audit
 * query from the ledger's own table (decision 0027), KurrentDB from a read model, both through AuditLogQuery.
 */
export function auditLogScope(actor: Actor): { regionPrefix?: string } {
  const scope = scopeOf(actor);
  return scope ? { regionPrefix: scope } : {};
}

/**
 * 复检 requests waiting for a lab: a re-test may be issued to a lab other than the one that took the sample,
 * which is party to the sample (sampleResource) though the samples list shows a lab only its own; this is
 * the list of the re-tests issued to it. Anyone else: the samples it may list, with a re-test requested.
 */
export function retestListScope(actor: Actor, requestedRegion?: string): Filter {
  if (actor.role === 'lab') return { 'retestRequest.retestLab.orgId': actor.orgId, status: 'retest-requested' };
  return { ...listScope(actor, 'samples', requestedRegion), status: 'retest-requested' };
}

/** The receiver lists its incoming transfers (`toEntityId` = itself); otherwise a producer sees its outgoing ones. */
export function transfersListScope(actor: Actor, requested: { toEntityId?: string; fromEntityId?: string; region?: string }): Filter {
  const asked: Filter = {
    ...(requested.toEntityId ? { toEntityId: requested.toEntityId } : {}),
    ...(requested.fromEntityId ? { fromEntityId: requested.fromEntityId } : {}),
  };
  if (actor.role === 'producer') return requested.toEntityId === actor.orgId ? asked : { ...asked, ...listScope(actor, 'transfers') };
  return { ...asked, ...listScope(actor, 'transfers', requested.region) };
}

/** The search index's region filter: the caller's scope, narrowed to a requested region inside it. */
export function searchRegion(actor: Actor, requested: string | undefined): string | undefined {
  return narrowRegion(scopeOf(actor), requested);
}

/**
 * Notifications addressed by region: those of the caller's subtree, and the nation-wide ones (region '').
 * Returns the region filters to query, one per query (the read store has no `$or`).
 */
export function notificationRegions(actor: Actor): Filter[] {
  const scope = scopeOf(actor);
  return scope ? [{ regionCode: { $prefix: scope } }, { regionCode: '' }] : [{}];
}
