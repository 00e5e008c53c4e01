import type { Actor } from '../../domain/shared/actor';
import { narrowRegion, scopeOf } from '../access';

/**
 * Which region's statistics a caller gets, as the access policy narrows any region list: none asked → the
 * caller's whole scope; a region inside it → that one; one containing it (a county asking for its province)
 * → the caller's own; any other → OUT_OF_SCOPE (403). A six-digit code like '460000' stands for its prefix.
 */
export function statisticsRegion(actor: Actor, requested: string | undefined): string {
  const prefix = requested ? (/^\d{2}0000$/.test(requested) ? requested.slice(0, 2) : /^\d{4}00$/.test(requested) ? requested.slice(0, 4) : requested) : undefined;
  return narrowRegion(scopeOf(actor), prefix) ?? '';
}
