import type { Role } from '../../app/session';

/** Who gets the statistics entry: the roles with `statistics.read` (domain/accounts/permissions.ts). Only for showing; the API decides. */
const READERS: ReadonlySet<Role> = new Set(['supervisor', 'inspector', 'township-admin', 'county-admin', 'city-admin', 'province-admin', 'ministry-admin', 'enforcement', 'auditor']);
export const readsStatistics = (role: Role | undefined) => role !== undefined && READERS.has(role);
