import { decide, entityResource, refusal } from '../access';
import type { Actor } from '../../domain/shared/actor';
import { BusinessRuleError } from '../../domain/shared/errors';

/**
 * A producer acts only for its own entity (its account's org is the entity). Supervision staff may act on a
 * producer's behalf (e.g. a county clerk entering a paper record) but only inside their region. The access
 * policy decides both; this names what was refused.
 */
export function assertActsFor(actor: Actor, entityId: string, what: string, regionCode: string): void {
  const decision = decide(actor, 'act', entityResource({ _id: entityId, regionCode }), []);
  if (decision.allowed) return;
  if (decision.reason === 'not-party') throw new BusinessRuleError('NOT_HOLDER', `only the holding entity may ${what}`, { entityId, actorOrgId: actor.orgId });
  throw refusal(decision);
}
