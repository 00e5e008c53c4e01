import type { Actor } from '../../domain/shared/actor';
import { BusinessRuleError } from '../../domain/shared/errors';

/**
 * A producer acts only for its own entity (its account's org is the entity). Supervision staff and the
 * system may act on a producer's behalf (e.g. a county clerk entering a paper record); finer, region-scoped
 * permissions come with accounts (issue #5).
 */
export function assertActsFor(actor: Actor, entityId: string, what: string): void {
  if (actor.role === 'producer' && actor.orgId !== entityId)
    throw new BusinessRuleError('NOT_HOLDER', `only the holding entity may ${what}`, { entityId, actorOrgId: actor.orgId });
}
