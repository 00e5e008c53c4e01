import { assertInScope } from '../../domain/accounts/region-scope';
import type { Actor } from '../../domain/shared/actor';
import { BusinessRuleError } from '../../domain/shared/errors';

/**
 * A producer acts only for its own entity (its account's org is the entity). Supervision staff may act on a
 * producer's behalf (e.g. a county clerk entering a paper record) but only inside their region.
 */
export function assertActsFor(actor: Actor, entityId: string, what: string, regionCode: string): void {
  if (actor.role === 'producer') {
    if (actor.orgId !== entityId)
      throw new BusinessRuleError('NOT_HOLDER', `only the holding entity may ${what}`, { entityId, actorOrgId: actor.orgId });
    return;
  }
  assertInScope(actor, regionCode);
}
