import { get } from '../../api/client';
import type { Page as Paged } from '../../api/types';
import type { Role } from '../../app/session';

/** An account as GET /api/v1/accounts lists it (projections/accounts): never a secret. */
export interface Account {
  accountId: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  orgId: string;
  orgName: string;
  status: 'active' | 'disabled';
  mustChangePassword?: boolean;
  lockedUntil: string | null;
  lockedSources?: { source: string; until: string }[];
  lastLoginAt: string | null;
  createdAt: string;
  createdBy?: string;
  disabledReason?: string | null;
}

/**
 * Accounts of my region (the API narrows the list), every page of it: the lists here are an administration's
 * own staff, hundreds at most. The API has no role filter, so callers filter the answer.
 */
export async function allAccounts(region?: string): Promise<Account[]> {
  const out: Account[] = [];
  for (let page = 1; page <= 50; page++) {
    const r = await get<Paged<Account>>('/api/v1/accounts', { page, size: 200, region });
    out.push(...r.items);
    if (out.length >= r.total || r.items.length === 0) break;
  }
  return out;
}

export const isLocked = (a: Account, now = Date.now()) =>
  (a.lockedUntil !== null && Date.parse(a.lockedUntil) > now) || (a.lockedSources ?? []).some((s) => Date.parse(s.until) > now);
