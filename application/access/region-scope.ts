import { covers, OutOfScopeError } from '../../domain/accounts/region-scope';
import type { Actor } from '../../domain/shared/actor';

export { covers, OutOfScopeError };

/**
 * Region scope by GB/T 2260 prefix: '' is the whole country (ministry), '46' a province, '4602' a city,
 * '460202' a county, '460202100' a township. A scope covers a place when the place's code starts with it.
 *
 * A record is located by the most precise code it carries. The registry and the ledger record county codes
 * (six digits) today; a township scope therefore covers a record only once the record carries a township
 * code inside it (`460202100…`). A county-only record is not in any township's scope: a county has a score
 * of townships, and each seeing the whole county would be twenty grants where one was meant. Township
 * accounts reach county-located records through what they are party to (an inspection task naming them)
 * and through grants; see docs/decisions/0009-one-access-policy.md.
 */
export function scopeOf(actor: Pick<Actor, 'role' | 'regionCode'>): string {
  return actor.role === 'system' ? '' : (actor.regionCode ?? '');
}

/**
 * The prefix a six-digit code stands for: '460000' names the province '46', '460100' the city '4601';
 * a county ('460105') or township code ('460105100') stands for itself.
 */
export function prefixOf(code: string): string {
  if (/^\d{2}0000$/.test(code)) return code.slice(0, 2);
  if (/^\d{4}00$/.test(code)) return code.slice(0, 4);
  return code;
}

/** Two regions overlap when one contains the other (a county takes part in its province's task). */
export function overlaps(scope: string, code: string | null | undefined): boolean {
  if (typeof code !== 'string') return scope === '';
  const region = prefixOf(code);
  return region.startsWith(scope) || scope.startsWith(region);
}

/**
 * A list's region filter inside the caller's scope: none asked → the whole scope; a region inside the scope
 * → that region; a region that contains the scope (the province asked by a county) → the scope; anything
 * else is refused. Returns undefined for "no filter" (the national scope asking for everything).
 */
export function narrowRegion(scope: string, requested: string | undefined): string | undefined {
  if (!requested) return scope || undefined;
  if (requested.startsWith(scope)) return requested;
  if (scope.startsWith(requested)) return scope;
  throw new OutOfScopeError(requested, scope);
}
