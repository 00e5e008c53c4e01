import type { Role } from '../../app/session';

/** `case.manage` (domain/accounts/permissions.ts): enforcement, and county administrations and above. Only for showing. */
const CASE_MANAGERS: ReadonlySet<Role> = new Set(['enforcement', 'county-admin', 'city-admin', 'province-admin', 'ministry-admin']);
export const managesCases = (role: Role | undefined) => role !== undefined && CASE_MANAGERS.has(role);
