import type { Role } from '../../app/session';

/*
 * Who sees which supervision work page (domain/accounts/permissions.ts). Only for showing: the API decides.
 */
const COUNTY_AND_ABOVE: ReadonlySet<Role> = new Set(['county-admin', 'city-admin', 'province-admin', 'ministry-admin']);

/** entity.review: county administrations and above review registrations. */
export const reviewsRegistrations = (role: Role | undefined) => role !== undefined && COUNTY_AND_ABOVE.has(role);
/** inspection.record: inspectors (their own tasks), township administrations and above (publish). */
export const recordsInspections = (role: Role | undefined) => role === 'inspector' || role === 'township-admin' || reviewsRegistrations(role);
/** May publish an inspection plan (an inspector only carries out the tasks it is named in). */
export const publishesInspections = (role: Role | undefined) => role === 'township-admin' || reviewsRegistrations(role);
/** task.manage for agencies: county and above publish 监测任务 (labs work theirs on #/lab). */
export const publishesTasks = (role: Role | undefined) => reviewsRegistrations(role);
/** fault.report: county and above; fault.resolve: the ministry. */
export const reportsFaults = (role: Role | undefined) => reviewsRegistrations(role);
export const resolvesFaults = (role: Role | undefined) => role === 'ministry-admin';
