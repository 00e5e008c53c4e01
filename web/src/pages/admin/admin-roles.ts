import type { Role } from '../../app/session';

/**
 * account.read: township administrations and above see the accounts of their region; account.create (county
 * and above) creates and administers them (domain/accounts/delegation.ts). Only for showing: the API decides.
 */
const ADMINS: ReadonlySet<Role> = new Set(['township-admin', 'county-admin', 'city-admin', 'province-admin', 'ministry-admin']);
export const administersAccounts = (role: Role | undefined) => role !== undefined && ADMINS.has(role);
export const createsAccounts = (role: Role | undefined) => administersAccounts(role) && role !== 'township-admin';

/** Admin levels in order: each creates the next one down, and the staff of its own level. */
export const ADMIN_LEVELS: Role[] = ['ministry-admin', 'province-admin', 'city-admin', 'county-admin', 'township-admin'];
export const STAFF_ROLES: Role[] = ['supervisor', 'inspector', 'lab', 'enforcement', 'auditor'];
const PREFIX_LENGTH: Partial<Record<Role, number>> = { 'province-admin': 2, 'city-admin': 4, 'county-admin': 6, 'township-admin': 9 };

/** The roles an admin may create (the API's rule, so the form offers only what will be accepted). */
export function creatableRoles(role: Role | undefined): Role[] {
  const level = role ? ADMIN_LEVELS.indexOf(role) : -1;
  if (level < 0 || role === 'township-admin') return [];
  const below = ADMIN_LEVELS[level + 1];
  return [...(below ? [below] : []), ...STAFF_ROLES];
}

/** How many digits the region code of a new account of this role has ('' for staff: the admin's own). */
export const regionDigitsOf = (role: Role) => PREFIX_LENGTH[role];
