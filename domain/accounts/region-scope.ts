import type { Actor } from '../shared/actor';
import { BusinessRuleError } from '../shared/errors';

/**
 * Region scope by GB/T 2260 prefix: '' is the whole country (ministry), '46' a province, '4602' a city,
 * '460202' a county, and longer township codes below. A user sees and acts only inside its subtree.
 */
export function inScope(actor: Pick<Actor, 'regionCode' | 'role'>, regionCode: string | null | undefined): boolean {
  if (actor.role === 'system') return true;
  const scope = actor.regionCode ?? '';
  if (scope === '') return true;
  return typeof regionCode === 'string' && regionCode.startsWith(scope);
}

export class OutOfScopeError extends BusinessRuleError {
  constructor(regionCode: string | null | undefined, scope: string) {
    super('OUT_OF_SCOPE', `outside your region (${scope || 'national'})`, { regionCode: regionCode ?? null, scope });
  }
}

export function assertInScope(actor: Actor, regionCode: string | null | undefined): void {
  if (!inScope(actor, regionCode)) throw new OutOfScopeError(regionCode, actor.regionCode ?? '');
}

/** Narrows a requested region filter to the actor's scope; a request for a region outside it is refused. */
export function narrowRegion(actor: Actor, requested: string | undefined): string | undefined {
  const scope = actor.role === 'system' ? '' : (actor.regionCode ?? '');
  if (!requested) return scope || undefined;
  if (requested.startsWith(scope)) return requested;
  if (scope.startsWith(requested)) return scope; // asking for the province while scoped to a county: the county
  throw new OutOfScopeError(requested, scope);
}

/** Length of the region prefix that each administrative level's accounts carry. */
export const LEVEL_PREFIX_LENGTH = { ministry: 0, province: 2, city: 4, county: 6, township: 9 } as const;
