import type { Actor, Role } from '../shared/actor';
import { BusinessRuleError } from '../shared/errors';
import { isAdminRole } from '../transfers/decide';

/**
 * Who may do what on the regulator's side. Permissions (which role may call an endpoint) are checked at
 * the boundary; these are the business rules on top: *which* lab, *which* agency. Refusals use the
 * NOT_ALLOWED code (HTTP 403).
 */
export function isSupervisionAgency(role: Role): boolean {
  return role === 'system' || isAdminRole(role);
}

export function assertSupervisionAgency(actor: Actor, what: string): void {
  if (!isSupervisionAgency(actor.role)) {
    throw new BusinessRuleError('NOT_ALLOWED', `only a supervision agency may ${what}`, { role: actor.role });
  }
}

/** The actor acts for one of `orgIds` (its organisation), or is the platform itself. */
export function assertActsForOrg(actor: Actor, orgIds: readonly string[], what: string): void {
  if (actor.role === 'system') return;
  if (!orgIds.includes(actor.orgId)) {
    throw new BusinessRuleError('NOT_ALLOWED', `only ${orgIds.length === 1 ? `organisation ${orgIds[0]}` : `one of ${orgIds.join(', ')}`} may ${what}`, {
      actorOrgId: actor.orgId,
      allowed: orgIds,
    });
  }
}
