import { inScope, OutOfScopeError } from '../../../domain/accounts';
import type { Actor } from '../../../domain/shared/actor';
import { NotFoundError } from '../../../domain/shared/errors';

/** Supervision sees a record when its region lies inside the actor's scope (403 otherwise, as in the ledger core). */
export function assertRegion(actor: Actor, regionCode: unknown): void {
  const region = typeof regionCode === 'string' ? regionCode : undefined;
  if (!inScope(actor, region)) throw new OutOfScopeError(region, actor.regionCode ?? '');
}

/** Labs and producers see only their organisation's records; others' are unknown to them (404). */
export function assertOrgAmong(actor: Actor, orgIds: unknown[], what: string, id: string): void {
  if (!orgIds.includes(actor.orgId)) throw new NotFoundError(what, id);
}

/** GB/T 2260 six-digit code → the prefix that region filters match on ('460000' → '46'). */
export function prefixOf(code: string): string {
  if (/^\d{2}0000$/.test(code)) return code.slice(0, 2);
  if (/^\d{4}00$/.test(code)) return code.slice(0, 4);
  return code;
}
