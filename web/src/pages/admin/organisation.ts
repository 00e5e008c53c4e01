import type { Account } from '../supervisor/work-api';

/**
 * Who belongs to an administration. The API has no organisation record: an account carries an orgId and an
 * orgName, and staff created by an admin get an orgId of their own (`org-{role}-{region}-{orgName}`), so the
 * same organisation is the same orgId, or the same name in the same region.
 */
export function inMyOrganisation(me: Account, other: Account): boolean {
  return other.orgId === me.orgId || (other.orgName === me.orgName && other.regionCode === me.regionCode);
}
