import type { Role } from '../../app/session';

/**
 * Which roles the incident pages are for, mirroring the API's role tree (domain/accounts/permissions.ts):
 * only to decide what to show. The API decides what is allowed, and the pages show its refusals.
 */
const READERS: ReadonlySet<Role> = new Set(['supervisor', 'inspector', 'township-admin', 'county-admin', 'city-admin', 'province-admin', 'ministry-admin', 'enforcement', 'auditor']);
/** incident.record / incident.review / warning.manage: county administrations and above. */
const MANAGERS: ReadonlySet<Role> = new Set(['county-admin', 'city-admin', 'province-admin', 'ministry-admin']);

export const readsIncidents = (role: Role | undefined) => role !== undefined && READERS.has(role);
export const managesIncidents = (role: Role | undefined) => role !== undefined && MANAGERS.has(role);
