/**
 * Access beyond the region subtree, as data (DESIGN.md, Access): while an incident's response runs, its lead
 * agency and every affected region's agency see the whole chain with contacts. A grant has a start and an end,
 * and every read it allows is written to the access log with the grant's reason (the incident id).
 *
 * This file is the seam between the access policy (which consults grants) and the incidents capability (which
 * issues and ends them, through its projection). Neither side changes the shape without the other.
 */
export interface AccessGrant {
  grantId: string;
  /** Why the grant exists; only incident responses today. */
  reason: { kind: 'incident-response'; incidentId: string };
  /**
   * The agencies given the grant, each named by its region exactly ('' = the ministry, '46' = Hainan's
   * department, '440111' = 白云区's bureau): the supervision accounts of that region, not those below it.
   */
  granteeRegionCodes: string[];
  /** What the grant opens: the lots of the synthesised chain and their holders (entity ids). */
  traceCodes: string[];
  entityIds: string[];
  /** ISO times; `until` null while the response runs. */
  from: string;
  until: string | null;
}

/** Where the policy finds the grants in force for an actor (the incidents projection, in production). */
export interface GrantSource {
  /**
   * Grants in force at `now` that name the actor's region exactly among their grantees (least privilege,
   * decision 0009: a grant is for the agency of a region — the lead agency, every affected county — and a
   * prefix match would hand a ministry-led response's chain to every account in the country).
   */
  activeGrantsFor(actor: { role: string; regionCode?: string; orgId: string }, now: Date): Promise<AccessGrant[]>;
}

export const GRANT_SOURCE = Symbol('GrantSource');

/** No grants at all: the default until the incidents capability provides its projection. */
export const NO_GRANTS: GrantSource = { activeGrantsFor: async () => [] };
