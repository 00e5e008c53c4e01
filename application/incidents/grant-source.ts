import type { AccessGrant, GrantSource } from '../access/grants';
import type { ReadModels } from '../ports/read-models';
import { SUPERVISION_ROLES } from './incident-commands';

/**
 * The real GrantSource: the grants of incident responses, from the incidents projection. A grantee region
 * names one agency — the agency *of* that region (the lead agency, or an affected county) — so a grant
 * reaches the supervision accounts whose region is exactly that code, not every account below it: the
 * county of a holder in Guangdong sees the chain, the townships under it do not (the seam's contract,
 * application/access/grants.ts; decision 0009).
 * A grant is in force from the response's start until the close (`until`, exclusive).
 */
export function incidentGrantSource(models: ReadModels): GrantSource {
  return {
    async activeGrantsFor(actor, now) {
      if (!SUPERVISION_ROLES.has(actor.role)) return [];
      const docs = await models.find('incident_grants', { granteeRegionCodes: actor.regionCode ?? '' }, { limit: 1000 });
      const t = now.getTime();
      return docs
        .filter((g) => Date.parse(g.from as string) <= t && (g.until === null || t < Date.parse(g.until as string)))
        .map(
          (g): AccessGrant => ({
            grantId: g.grantId as string,
            reason: g.reason as AccessGrant['reason'],
            granteeRegionCodes: g.granteeRegionCodes as string[],
            traceCodes: g.traceCodes as string[],
            entityIds: g.entityIds as string[],
            from: g.from as string,
            until: (g.until as string | null) ?? null,
          }),
        );
    },
  };
}
