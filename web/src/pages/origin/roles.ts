import type { Role } from '../../app/session';

/*
 * Who sees which origin-data page (domain/accounts/permissions.ts, decision 0016). Only for showing: the API decides.
 */
const SUPERVISION: ReadonlySet<Role> = new Set(['supervisor', 'inspector', 'township-admin', 'county-admin', 'city-admin', 'province-admin', 'ministry-admin', 'enforcement', 'auditor']);
const COLLECTORS: ReadonlySet<Role> = new Set(['inspector', 'township-admin', 'county-admin', 'city-admin', 'province-admin', 'ministry-admin']);
const REVIEWERS: ReadonlySet<Role> = new Set(['county-admin', 'city-admin', 'province-admin', 'ministry-admin']);

/** origin.read on the supervision side: the table, the map and completeness. */
export const readsOrigin = (role: Role | undefined) => role !== undefined && SUPERVISION.has(role);
/** origin.collect: 网格员 / 信息采集员 (inspector, township) and the administrations above them. */
export const collectsOrigin = (role: Role | undefined) => role !== undefined && COLLECTORS.has(role);
/** origin.review: the county and above approve or return records. */
export const reviewsOrigin = (role: Role | undefined) => role !== undefined && REVIEWERS.has(role);
